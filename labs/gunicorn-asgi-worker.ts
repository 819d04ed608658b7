// Hypothesis (Gunicorn 24's release notes: a native ASGI worker on asyncio): Gunicorn's own ASGI worker sends the slow
// download from its event loop and keeps its heartbeat, so the arbiter never kills it.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With Gunicorn's own ASGI worker (`-k gunicorn.workers.gasgi.ASGIWorker`, Gunicorn 24 and later; the Flask app wrapped as ASGI), the slow download through `proxy_buffering off` completes with no WORKER TIMEOUT.",
  hypothesisFrom: "Gunicorn 24's release notes (a native ASGI worker on asyncio) and its docs on async workers; Debian sid's Gunicorn 26.2 ships it",
  release: 'sid',
  gunicorn: { worker: 'asgi', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
  claims: [
    {
      quote: 'Large files that must go through the application: use an async worker (gevent, uvicorn, ...).',
      says: { workerTimeout: false, outcome: 'complete' },
    },
  ],
});

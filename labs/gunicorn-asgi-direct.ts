// Hypothesis (Gunicorn 24's release notes: a native ASGI worker on asyncio): with no proxy at all, Gunicorn's own ASGI
// worker sends the slow download from its event loop and keeps its heartbeat, so the arbiter never kills it.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With Gunicorn's own ASGI worker (`-k gunicorn.workers.gasgi.ASGIWorker`, the Flask app wrapped as ASGI) reached directly, no proxy, the slow download completes with no WORKER TIMEOUT, as behind `proxy_buffering off`.",
  hypothesisFrom: "Gunicorn 24's release notes (a native ASGI worker on asyncio) and its docs on async workers; Debian sid's Gunicorn 26.2 ships it",
  release: 'sid',
  gunicorn: { worker: 'asgi', timeoutS: 2 },
  nginx: null,
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
});

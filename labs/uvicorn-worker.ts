// Hypothesis: the article's "uvicorn" (Gunicorn's UvicornWorker, the Flask app wrapped as ASGI) survives the slow client.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'With `-k uvicorn.workers.UvicornWorker` and the Flask app wrapped as ASGI (asgiref), the slow download completes with no WORKER TIMEOUT.',
  gunicorn: { worker: 'uvicorn', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
  claims: [
    {
      quote: 'Large files that must go through the application: use an async worker (gevent, uvicorn, ...).',
      says: { workerTimeout: false, outcome: 'complete' },
    },
  ],
});

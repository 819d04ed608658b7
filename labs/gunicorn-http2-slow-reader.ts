// Hypothesis (Gunicorn 26.2's release notes: cleartext HTTP/2 on the gthread, gevent and asgi workers; the sync worker
// falls back to HTTP/1.1): a slow HTTP/2 reader straight to Gunicorn's gthread worker holds one of its threads, as a
// slow HTTP/1.1 reader does, but the worker keeps its heartbeat: no WORKER TIMEOUT, and the download completes.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With Gunicorn `-k gthread --threads 2 --timeout 2 --http-protocols h2,h1 --http2-cleartext prior-knowledge` and no proxy, a slow reader speaking HTTP/2 (h2c) gets the whole file: no WORKER TIMEOUT, as for HTTP/1.1.',
  hypothesisFrom:
    "Gunicorn 26.2's release notes (cleartext HTTP/2 with prior knowledge on the gthread, gevent and asgi workers) and its HTTP/2 guide (beta since 25.0); Debian sid's Gunicorn 26.2.2",
  release: 'sid',
  gunicorn: { worker: 'gthread', threads: 2, timeoutS: 2, http2: true },
  nginx: null,
  client: { http2: true },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
});

// Hypothesis: Nginx's default request buffering reads the slow body itself, so Gunicorn gets it whole at once.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Behind Nginx with its default `proxy_request_buffering on`, the same slow upload reaches the sync worker only once Nginx holds all of it: no WORKER TIMEOUT, and the app answers 200 with every byte.',
  hypothesisFrom: "Nginx's documentation of proxy_request_buffering (on by default)",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyRequestBuffering: true },
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024 } },
  expect: { workerTimeout: false, appGotWholeUpload: true, clientStatus: 200 },
});

// Hypothesis (Nginx's docs on proxy_request_buffering): a chunked body is buffered whatever the directive says unless
// Nginx speaks HTTP/1.1 to the upstream; with 1.1, request buffering off streams it at the client's pace.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With `proxy_request_buffering off` and `proxy_http_version 1.1`, a chunked upload (no Content-Length) streams to the sync worker at the client's pace: the worker is killed at its 2 s timeout and the app never receives the whole body.",
  hypothesisFrom: "Nginx's documentation of proxy_request_buffering: chunked bodies and HTTP/1.1",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyRequestBuffering: false, proxyHttpVersion: '1.1' },
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024, chunked: true } },
  expect: { workerTimeout: true, appGotWholeUpload: false },
  // As with a Content-Length body: Nginx reads the rest, then a 502 of its own (Gunicorn 20.1) or the dying worker's 500.
  // From Gunicorn 23.0 on the dying worker answers 500 (its access line); the client gets it, or Nginx's 502 where its
  // write of the rest of the body fails first (a race: see slow-upload-unbuffered).
  expectByRelease: { bookworm: { clientStatus: 502 }, trixie: { gunicornAccessStatus: 500 }, sid: { gunicornAccessStatus: 500 } },
});

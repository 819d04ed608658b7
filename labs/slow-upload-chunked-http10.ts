// Hypothesis (Nginx's docs on proxy_request_buffering): with HTTP/1.0 to the upstream (the default of Nginx 1.22 and
// 1.26), Nginx buffers a chunked body whatever proxy_request_buffering says, since 1.0 has no chunked requests.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `proxy_request_buffering off` but `proxy_http_version 1.0`, the same chunked upload is buffered by Nginx anyway and passed on whole with a Content-Length: no WORKER TIMEOUT, and the app answers 200 with every byte.',
  hypothesisFrom: "Nginx's documentation of proxy_request_buffering: chunked bodies and HTTP/1.1",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyRequestBuffering: false, proxyHttpVersion: '1.0' },
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024, chunked: true } },
  expect: { workerTimeout: false, appGotWholeUpload: true, clientStatus: 200 },
});

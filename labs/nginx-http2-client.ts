// Hypothesis (the question users ask as they turn on HTTP/2 at the edge): a client speaking HTTP/2 to Nginx changes
// nothing for the sync worker behind `proxy_buffering off`: Nginx still proxies with HTTP/1.1 and reads from Gunicorn
// only as fast as the client's stream takes it (HTTP/2's flow control), so the worker is held and killed as before.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With a slow client speaking cleartext HTTP/2 to Nginx (`http2 on`) and `proxy_buffering off` before Gunicorn `-k sync --timeout 2`, the worker is held and killed as with HTTP/1.1; the client keeps a 200 with part of the file, its stream reset by Nginx.',
  hypothesisFrom:
    "Nginx's documentation of ngx_http_v2_module (`http2 on`, 1.25.1; HTTP/2 to the client, proxy_http_version to the upstream) and of proxy_buffering; RFC 9113's flow control",
  // Nginx 1.22 (bookworm) serves cleartext HTTP/2 only on a port that refuses HTTP/1.1: trixie and sid.
  release: 'trixie',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false, http2: true },
  client: { http2: true },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
});

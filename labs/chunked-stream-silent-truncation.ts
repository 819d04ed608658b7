// Hypothesis (beyond the article): with HTTP/1.0 to the upstream, a killed sync worker's generated body reaches
// the client as a clean, complete-looking response that is silently short.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `proxy_http_version 1.0` (the default of Nginx 1.22 and 1.26; 1.30 proxies with 1.1), Gunicorn ends a generated body by closing the connection; when the slow client gets the sync worker killed, Nginx takes that close as the end and sends the client a clean final chunk: a 200 that ends tidily, with data missing and no Nginx error.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false, proxyHttpVersion: '1.0' },
  client: { path: '/stream/large.bin' },
  // The client sees a complete chunked response; only the known size and checksum show the loss.
  expect: { workerTimeout: true, outcome: 'complete', clientStatus: 200, checksumMatches: false },
  claims: [{ quote: 'The response finally ends as a 500 error.', says: { clientStatus: 500 } }],
});

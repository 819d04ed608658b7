// Hypothesis (Apache's docs): mod_proxy_http passes the response on in ProxyIOBufferSize chunks as it reads it, so a
// slow client holds the sync worker until WORKER TIMEOUT.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "Apache's mod_proxy_http streams the response in small chunks: behind it, a slow client keeps a Gunicorn sync worker sending until the arbiter kills it mid-transfer.",
  hypothesisFrom: "Apache's mod_proxy docs: ProxyIOBufferSize, the internal buffer for proxied data",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'apache' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200, frontLogIncludes: 'error reading response' },
});

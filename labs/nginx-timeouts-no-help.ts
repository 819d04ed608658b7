// Hypothesis: Nginx's own timeouts bound Nginx's waits; Gunicorn's arbiter counts its worker's heartbeat regardless.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: "Raising only Nginx's `proxy_read_timeout` and `send_timeout` does not help: the sync worker is still killed by WORKER TIMEOUT.",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false, proxyReadTimeoutS: 300, sendTimeoutS: 300 },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
  claims: [{ quote: 'The master process sees the worker exceed its timeout (30 s by default) and kills it.', says: { workerTimeout: true } }],
});

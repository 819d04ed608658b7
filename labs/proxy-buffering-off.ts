// Hypothesis (the article): with `proxy_buffering off`, a slow client holds a sync worker in sendall until the arbiter kills it.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With Nginx `proxy_buffering off`, a slow client keeps a Gunicorn sync worker blocked sending a large file until the arbiter logs WORKER TIMEOUT and kills it mid-transfer.',
  fileSizeBytes: 8 * MiB,
  gunicorn: { worker: 'sync', workers: 1, timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/files/large.bin', rateBytesPerS: 1 * MiB, throttle: 'network' },
  expect: {
    workerTimeout: true,
    outcome: 'truncated',
    clientStatus: 200,
    nginxErrorIncludes: 'upstream prematurely closed connection',
  },
  claims: [
    { quote: 'the worker is terminated while inside sock.sendall; the log shows a WORKER TIMEOUT error', says: { workerTimeout: true } },
    {
      quote: "If the client reads slowly (a poor network), the write can take longer than Gunicorn's timeout.",
      says: { workerTimeout: true, outcome: 'truncated' },
    },
    { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } },
  ],
});

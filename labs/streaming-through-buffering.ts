// Hypothesis (the article's caveat on remedy 2): buffering in Nginx breaks true streaming. Measured: it doesn't.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `proxy_buffering on`, server-sent events generated one every 200 ms still reach a client that keeps up as they are made: Nginx buffers only what the client cannot take yet, it does not hold the stream back.',
  fileSizeBytes: 1 * MiB,
  gunicorn: { worker: 'gevent', timeoutS: 30 },
  nginx: { proxyBuffering: true },
  client: { path: '/events?count=15&interval_ms=200', body: 'other', rateBytesPerS: null },
  expect: { workerTimeout: false, outcome: 'complete', clientStatus: 200, streaming: 'live' },
  claims: [{ quote: 'proxy_buffering on — con: not suitable where true streaming is needed.', says: { streaming: 'held' } }],
});

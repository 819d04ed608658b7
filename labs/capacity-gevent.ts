// Hypothesis (the article's remedy 1, as capacity): one gevent worker serves each slow client from a greenlet, so it
// holds as many as the search opens and still answers the health probe.
import { defineLab, KiB, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    '`-k gevent -w 1`, no proxy: holds at least half of the 64 slow clients the search opens (run alone, it held all 64) with a health probe answered within 1 s; the app server itself holds them.',
  gunicorn: { worker: 'gevent', workers: 1, timeoutS: 60 },
  nginx: null,
  fileSizeBytes: 4 * MiB,
  client: { throttle: 'reader', rateBytesPerS: 32 * KiB, capacity: { max: 64, probePaths: ['/ping'], probeWithinMs: 1000 } },
  expect: { capacityHeldAtLeast: 32, capacityHeldBy: 'app', workerTimeout: false },
  claims: [{ quote: 'Use an async worker such as gevent: natural fit for I/O-bound work, handles slow clients.', says: { capacityHeldAtLeast: 32 } }],
});

// Hypothesis (not the article's): behind `proxy_buffering off`, each slow client holds a sync worker for its whole
// download, so a stack of three workers answers its health check with two slow clients and stops with the third.
import { defineLab, KiB, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Behind `proxy_buffering off`, `-k sync -w 3` holds 2 slow clients while a health probe is still answered within 1 s: the third takes the last worker, and the probe waits.',
  hypothesisFrom: 'user reports of health checks failing under slow clients (benoitc/gunicorn #3518, harvard-lil/perma #3855)',
  // Longer than the search (about 20 s here), so no worker is killed while it runs: the figure is the workers'.
  gunicorn: { worker: 'sync', workers: 3, timeoutS: 60 },
  nginx: { proxyBuffering: false },
  fileSizeBytes: 4 * MiB,
  client: { throttle: 'reader', rateBytesPerS: 32 * KiB, capacity: { max: 64, probePaths: ['/ping'], probeWithinMs: 1000 } },
  expect: { capacityHeld: 2, capacityHeldBy: 'app', workerTimeout: false },
});

// Hypothesis (the article): an async worker "handles slow clients" where sync workers are held one per download,
// and gevent "may use more memory". Twenty slow downloads at once, each paced on its own, against five set-ups.
import { defineComparison } from '../../src/lab/comparison.ts';
import { KiB, MiB } from '../../src/lab/define-lab.ts';

export default defineComparison({
  hypothesis:
    "Twenty slow downloads at once: one gevent worker completes more of them than one sync worker, at less memory per download fed than sync workers (one process per download), and Nginx's buffering lets even one sync worker complete more.",
  fileSizeBytes: 4 * MiB,
  gunicorn: { timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: {
    downloads: 20,
    rateBytesPerS: 512 * KiB,
    throttle: 'reader',
    // Twice a download's 8 s at its rate, and a margin: a download that got no byte by then only waited.
    maxSeconds: 20,
    // Quick requests meanwhile, from another user's link.
    probes: [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000].map((afterMs) => ({ path: '/ping', afterMs })),
  },
  variants: {
    'sync-1': { gunicorn: { worker: 'sync', workers: 1 } },
    'sync-4': { gunicorn: { worker: 'sync', workers: 4 } },
    'gthread-4': { gunicorn: { worker: 'gthread', workers: 1, threads: 4 } },
    'gevent-1': { gunicorn: { worker: 'gevent', workers: 1 } },
    'sync-1-buffered': { gunicorn: { worker: 'sync', workers: 1 }, nginx: { proxyBuffering: true } },
  },
  relations: [
    { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' },
    { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-4' },
    { left: 'gevent-1', measure: 'memoryPerDownloadBytes', op: '<', right: 'sync-4' },
    { left: 'sync-1-buffered', measure: 'completed', op: '>', right: 'sync-1' },
  ],
  claims: [
    {
      quote: 'Use an async worker: natural fit for I/O-bound work, handles slow clients.',
      says: [
        { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' },
        { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-4' },
      ],
    },
    {
      quote: 'gevent may use more memory',
      says: [
        { left: 'gevent-1', measure: 'appPeakBytes', op: '>', right: 'sync-1' },
        { left: 'gevent-1', measure: 'memoryPerDownloadBytes', op: '>', right: 'sync-4' },
      ],
    },
  ],
});

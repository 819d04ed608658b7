// Hypothesis (not the article's): how many slow clients a stack holds before its health check stalls is set by the
// layer that holds them. Behind `proxy_buffering off` it is the app server's: sync workers one each, gthread threads one
// each (one left for the probe), gevent greenlets without a bound here; behind `proxy_buffering on` Nginx holds them all.
import { defineComparison } from '../../src/lab/comparison.ts';
import { KiB, MiB } from '../../src/lab/define-lab.ts';

export default defineComparison({
  hypothesis:
    'Slow clients held with a health probe answered within 1 s: behind proxy_buffering off, gthread 1×4 holds more than sync ×3, and gevent more than both; proxy_buffering on lifts sync and gthread to the cap.',
  fileSizeBytes: 4 * MiB,
  // Longer than a search (about 20 s), so no worker is killed while it runs: the figures are the workers'.
  gunicorn: { timeoutS: 60 },
  nginx: { proxyBuffering: false },
  client: { throttle: 'reader', rateBytesPerS: 32 * KiB, capacity: { max: 64, probePaths: ['/ping'], probeWithinMs: 1000 } },
  variants: {
    'sync-3': { gunicorn: { worker: 'sync', workers: 3 } },
    'gthread-1x4': { gunicorn: { worker: 'gthread', workers: 1, threads: 4 } },
    'gevent-1': { gunicorn: { worker: 'gevent', workers: 1 } },
    'sync-3-buffered': { gunicorn: { worker: 'sync', workers: 3 }, nginx: { proxyBuffering: true } },
    'gthread-1x4-buffered': { gunicorn: { worker: 'gthread', workers: 1, threads: 4 }, nginx: { proxyBuffering: true } },
  },
  relations: [
    { left: 'gthread-1x4', measure: 'slowClientsHeld', op: '>', right: 'sync-3' },
    { left: 'gevent-1', measure: 'slowClientsHeld', op: '>', right: 'gthread-1x4' },
    { left: 'sync-3-buffered', measure: 'slowClientsHeld', op: '>', right: 'sync-3' },
    { left: 'gthread-1x4-buffered', measure: 'slowClientsHeld', op: '>', right: 'gthread-1x4' },
  ],
  claims: [
    {
      quote: 'Use an async worker: natural fit for I/O-bound work, handles slow clients.',
      says: [
        { left: 'gevent-1', measure: 'slowClientsHeld', op: '>', right: 'sync-3' },
        { left: 'gevent-1', measure: 'slowClientsHeld', op: '>', right: 'gthread-1x4' },
      ],
    },
  ],
});

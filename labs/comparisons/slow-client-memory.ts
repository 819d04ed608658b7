// Hypothesis (the servers' docs; not the article's): what one more slow client costs an app server in memory is what
// it holds for that client: a sync worker (Gunicorn's sync, uWSGI's processes) a whole process, gthread a thread,
// gevent a greenlet, and Waitress what its I/O loop buffers of the response (in memory, past 1 MiB in a temp file).
// One slow client and eight, no proxy, each server alone: the difference over seven is what one more slow client costs.
import { defineComparison } from '../../src/lab/comparison.ts';
import { KiB, MiB } from '../../src/lab/define-lab.ts';

// Eight slow downloads at once, each paced on its own; `one` is the same with a single download, the baseline.
const one = { client: { downloads: 1 } };
// Past the slowest download (2 MiB at 256 KiB/s: 8 s): nothing is killed, so the memory is that of the held clients.
const gunicorn = (worker: 'sync' | 'gthread' | 'gevent', workers: number) => ({
  gunicorn: { worker, workers, timeoutS: 60, ...(worker === 'gthread' ? { threads: 8 } : {}) },
});

export default defineComparison({
  hypothesis:
    "Eight slow clients at once, no proxy: eight sync workers (one process per slow client) take more app memory than one gthread worker's eight threads, one gevent worker's greenlets, or Waitress's one process and its buffers; uWSGI's eight processes take more than gthread's threads too.",
  fileSizeBytes: 2 * MiB,
  nginx: null,
  client: { downloads: 8, rateBytesPerS: 256 * KiB, throttle: 'reader', maxSeconds: 30 },
  variants: {
    'sync-1': { ...gunicorn('sync', 1), ...one },
    'sync-8': gunicorn('sync', 8),
    'gthread-1': { ...gunicorn('gthread', 1), ...one },
    'gthread-8': gunicorn('gthread', 1),
    'gevent-1': { ...gunicorn('gevent', 1), ...one },
    'gevent-8': gunicorn('gevent', 1),
    'uwsgi-1': { server: { kind: 'uwsgi', processes: 1, harakiriS: null }, ...one },
    'uwsgi-8': { server: { kind: 'uwsgi', processes: 8, harakiriS: null } },
    'waitress-1': { server: { kind: 'waitress', threads: 8 }, ...one },
    'waitress-8': { server: { kind: 'waitress', threads: 8 } },
  },
  relations: [
    { left: 'sync-8', measure: 'appPeakBytes', op: '>', right: 'gthread-8' },
    { left: 'sync-8', measure: 'appPeakBytes', op: '>', right: 'gevent-8' },
    { left: 'uwsgi-8', measure: 'appPeakBytes', op: '>', right: 'gthread-8' },
    { left: 'sync-8', measure: 'appPeakBytes', op: '>', right: 'waitress-8' },
  ],
});

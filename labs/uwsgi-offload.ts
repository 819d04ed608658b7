// Hypothesis (uWSGI's docs on offloading): with --offload-threads, a file response (the WSGI file wrapper) is handed to
// an offload thread, and the worker's request ends at once: no harakiri, though no proxy buffers anything.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With uWSGI `--harakiri 2 --offload-threads 1` and no proxy, the file is sent by an offload thread: the worker is free at once, no HARAKIRI, and the slow download completes.',
  hypothesisFrom: "uWSGI's documentation of the offloading subsystem (--offload-threads: static files and the file wrapper sent off the workers)",
  server: { kind: 'uwsgi', processes: 1, harakiriS: 2, offloadThreads: 1 },
  nginx: null,
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
});

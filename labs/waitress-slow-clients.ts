// Hypothesis (Waitress's docs on its design): the app's threads hand their response to Waitress's own I/O loop, which
// buffers it (past 1 MiB in a temp file) and sends it, so slow clients do not hold the threads.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With Waitress `--threads 2` and no proxy, four slow downloads at once hold no app thread: a quick request sent meanwhile is answered at once, and every download completes.',
  hypothesisFrom: "Waitress's documentation of its design (responses buffered and sent by its asyncore loop, not by the app's threads)",
  server: { kind: 'waitress', threads: 2 },
  nginx: null,
  fileSizeBytes: 4 * 1024 * 1024,
  client: { throttle: 'reader', downloads: 4, probes: [{ path: '/ping', afterMs: 1500 }] },
  expect: { workerTimeout: false, sideRequestsWaited: false, outcome: 'complete', checksumMatches: true },
});

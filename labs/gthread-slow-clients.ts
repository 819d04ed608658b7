// Hypothesis (not the article's): gthread's remedy has a size. Each slow client holds a thread while it reads; with
// more slow clients than threads, the rest wait for one, and so does anyone else.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `-k gthread --threads 2` and four slow downloads at once, two are served and two wait for a thread: a quick request sent meanwhile waits too, while no worker is killed.',
  hypothesisFrom: "Gunicorn's design documentation: gthread's threads are its concurrency",
  gunicorn: { worker: 'gthread', threads: 2, timeoutS: 2 },
  nginx: null,
  fileSizeBytes: 4 * 1024 * 1024,
  client: { throttle: 'reader', downloads: 4, probes: [{ path: '/ping', afterMs: 1500 }] },
  expect: { workerTimeout: false, sideRequestsWaited: true, outcome: 'complete', checksumMatches: true },
});

// Hypothesis (not the article's: uploads that "always fail at 3 minutes exactly", courtlistener #2640): a slow
// upload straight to a sync worker holds it reading the body, and the arbiter kills it mid-body.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With no proxy, a 2 MiB upload written at 256 KiB/s holds a sync worker reading the body; at its 2 s timeout the worker is killed and the app never receives the whole body.',
  hypothesisFrom: "courtlistener #2640: uploads that always fail at a sync worker's timeout",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024 } },
  expect: { workerTimeout: true, appGotWholeUpload: false, workerTimeoutNearS: 2 },
});

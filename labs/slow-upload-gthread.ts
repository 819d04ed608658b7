// Hypothesis: a gthread worker's heartbeat comes from its main loop, so a thread reading a slow body is not killed.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With no proxy and `-k gthread --threads 4`, the slow upload is read whole by one thread: no WORKER TIMEOUT, and the app answers 200 with every byte.',
  hypothesisFrom: "Gunicorn's design documentation: the gthread worker's main loop keeps the heartbeat",
  gunicorn: { worker: 'gthread', threads: 4, timeoutS: 2 },
  nginx: null,
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024 } },
  expect: { workerTimeout: false, appGotWholeUpload: true, clientStatus: 200 },
});

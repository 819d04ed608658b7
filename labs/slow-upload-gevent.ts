// Hypothesis: a gevent worker reads the slow body in a greenlet; its heartbeat goes on.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With no proxy and `-k gevent`, the slow upload is read whole while the worker keeps its heartbeat: no WORKER TIMEOUT, and the app answers 200 with every byte.',
  hypothesisFrom: "Gunicorn's design documentation: async workers for requests that block on the network",
  gunicorn: { worker: 'gevent', timeoutS: 2 },
  nginx: null,
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024 } },
  expect: { workerTimeout: false, appGotWholeUpload: true, clientStatus: 200 },
});

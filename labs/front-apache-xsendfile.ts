// Hypothesis (mod_xsendfile's docs): the app names the file in an X-Sendfile header and Apache sends it itself, as
// Nginx does with X-Accel-Redirect: the sync worker only authorises, and the slow download completes.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With mod_xsendfile, the app answers with an `X-Sendfile` header in milliseconds and Apache sends the file from the shared folder: no WORKER TIMEOUT, and the slow download completes.',
  hypothesisFrom: "mod_xsendfile's docs: X-SENDFILE, the Apache counterpart of X-Accel-Redirect",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'apache', xSendFile: true },
  client: { path: '/sendfile/large.bin' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, gunicornRequestMaxMs: 500 },
});

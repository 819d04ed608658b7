// Hypothesis (HAProxy's docs): HAProxy holds one buffer per direction (tune.bufsize, 16 KiB), so it passes a slow
// client's pace back to Gunicorn: the sync worker is held until WORKER TIMEOUT, and HAProxy's log says the server
// side ended the transfer.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'HAProxy buffers no whole response (one 16 KiB buffer per direction): behind it, a slow client keeps a Gunicorn sync worker sending until the arbiter kills it mid-transfer.',
  hypothesisFrom: "HAProxy's configuration manual: tune.bufsize, one buffer per stream direction",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'haproxy' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200, frontLogIncludes: 'SD' },
});

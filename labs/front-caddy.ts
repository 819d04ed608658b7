// Hypothesis (Caddy's docs): Caddy's reverse_proxy streams a response by default, so behind it a slow client holds a
// sync worker until WORKER TIMEOUT, as with Nginx's `proxy_buffering off`.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "Caddy's reverse_proxy streams responses by default: behind it, a slow client keeps a Gunicorn sync worker sending until the arbiter kills it mid-transfer.",
  hypothesisFrom: "Caddy's reverse_proxy docs: responses are streamed unless response buffering is enabled",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'caddy' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200, frontLogIncludes: 'aborting with incomplete response' },
});

// Hypothesis (Caddy's docs): with response buffering on, Caddy reads the whole response from Gunicorn before the slow
// client has it, so the sync worker is free at once and the download completes.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With response buffering on in Caddy's reverse_proxy (`buffer_responses` in Caddy 2.6, `response_buffers` after), Caddy takes the whole file from the sync worker at once: no WORKER TIMEOUT, and the slow download completes.",
  hypothesisFrom: "Caddy's reverse_proxy docs: buffer_responses / response_buffers",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'caddy', bufferResponses: true },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, gunicornRequestMaxMs: 1000 },
});

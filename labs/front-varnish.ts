// Hypothesis (Varnish's docs): Varnish fetches from the backend on a thread of its own into its storage while it
// delivers to the client, so the sync worker sends at the network's speed and the slow client costs it nothing.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Varnish fetches the response into its storage on its own thread while it delivers to the slow client: the sync worker is done in well under a second, with no WORKER TIMEOUT, and the download completes.',
  hypothesisFrom: "Varnish's docs: streaming delivery while the backend fetch goes on (beresp.do_stream)",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  front: { kind: 'varnish' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, gunicornRequestMaxMs: 1000 },
});

// Hypothesis (not the article's): a gthread worker's threads are its capacity; a slow reader holds one for its whole
// download (Gunicorn 25.2's hand-back frees only a connection that sends nothing), so four threads hold three slow
// clients and the fourth leaves the probe waiting.
import { defineLab, KiB, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    '`-k gthread -w 1 --threads 4`, no proxy: 3 slow clients held while a health probe is answered within 1 s; the fourth takes the last thread and the probe waits.',
  hypothesisFrom: "Gunicorn's design docs (gthread: a connection holds a thread while it is served) and benoitc/gunicorn #3518 / PR #3519",
  gunicorn: { worker: 'gthread', workers: 1, threads: 4, timeoutS: 60 },
  nginx: null,
  fileSizeBytes: 4 * MiB,
  client: { throttle: 'reader', rateBytesPerS: 32 * KiB, capacity: { max: 64, probePaths: ['/ping'], probeWithinMs: 1000 } },
  expect: { capacityHeld: 3, capacityHeldBy: 'app', workerTimeout: false },
});

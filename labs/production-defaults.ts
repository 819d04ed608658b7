// Hypothesis (the article): "the master sees the worker exceed its timeout (30 s by default)". Nothing shortened.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With nothing pinned or shortened (Gunicorn's default timeout, the kernel's own socket buffers, a 64 MiB file the buffers cannot hold, a client at 1 MiB/s), the sync worker is killed all the same, about 30 s into the download.",
  slow: true,
  fileSizeBytes: 64 * MiB,
  pinSocketBuffers: false,
  gunicorn: { worker: 'sync', timeoutS: null },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: true, workerTimeoutNearS: 30, outcome: 'truncated', clientStatus: 200 },
  claims: [{ quote: 'the master sees the worker exceed its timeout (30 s by default)', says: { workerTimeout: true, workerTimeoutNearS: 30 } }],
});

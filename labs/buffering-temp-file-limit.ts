// Hypothesis: buffering only helps while Nginx may buffer the whole body; a small proxy_max_temp_file_size brings the kill back.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `proxy_buffering on` but `proxy_max_temp_file_size` far below the file, Nginx stops reading upstream once its temp file is full, and the sync worker is killed again.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: true, maxTempFileSizeBytes: 1 * MiB },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
  claims: [{ quote: 'Turn proxy_buffering on: a simple setting fixes it.', says: { workerTimeout: false, outcome: 'complete' } }],
});

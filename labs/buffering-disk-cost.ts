// Hypothesis (what remedy 2 costs): buffering frees Gunicorn by keeping the download on Nginx's disk instead.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With `proxy_buffering on` and a 32 MiB download read at 8 MiB/s, the sync worker is done almost at once, and Nginx holds nearly the whole file in its temp files (on disk) until the client has it: buffering moves the wait from Gunicorn to Nginx's disk.",
  fileSizeBytes: 32 * MiB,
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: true },
  client: { rateBytesPerS: 8 * MiB },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true, nginxSpill: 'most' },
  claims: [{ quote: 'Turn proxy_buffering on: a simple setting fixes it.', says: { workerTimeout: false, outcome: 'complete' } }],
});

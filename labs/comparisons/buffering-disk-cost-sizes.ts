// Hypothesis (what remedy 2 costs, by size): with buffering on, Nginx's disk takes the whole download whatever its
// size, and Gunicorn's time grows with the size too, while staying far below the client's.
import { defineComparison } from '../../src/lab/comparison.ts';
import { MiB } from '../../src/lab/define-lab.ts';

export default defineComparison({
  hypothesis:
    'With `proxy_buffering on` and a client at 8 MiB/s, the larger the file, the more Nginx keeps in its temp files at once (about the whole file) and the longer the sync worker is busy on it: 4, 32 and 128 MiB.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: true },
  client: { rateBytesPerS: 8 * MiB },
  variants: {
    '4m': { fileSizeBytes: 4 * MiB },
    '32m': { fileSizeBytes: 32 * MiB },
    '128m': { fileSizeBytes: 128 * MiB },
  },
  relations: [
    { left: '32m', measure: 'nginxTempPeakBytes', op: '>', right: '4m' },
    { left: '128m', measure: 'nginxTempPeakBytes', op: '>', right: '32m' },
    { left: '128m', measure: 'gunicornBusyMs', op: '>', right: '4m' },
  ],
});

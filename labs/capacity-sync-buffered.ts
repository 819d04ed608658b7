// Hypothesis (not the article's): with Nginx's default `proxy_buffering on`, Nginx takes each response whole and feeds
// the slow client itself, so the same three sync workers hold as many slow clients as the search opens.
import { defineLab, KiB, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "Behind Nginx's default `proxy_buffering on`, `-k sync -w 3` holds at least half of the 64 slow clients the search opens (run alone, it held all 64) with the health probe answered within 1 s: Nginx holds them, Gunicorn has finished each response.",
  hypothesisFrom: "Nginx's proxy_buffering docs: the response is read from the upstream as soon as possible",
  gunicorn: { worker: 'sync', workers: 3, timeoutS: 60 },
  nginx: { proxyBuffering: true },
  fileSizeBytes: 4 * MiB,
  client: { throttle: 'reader', rateBytesPerS: 32 * KiB, capacity: { max: 64, probePaths: ['/ping'], probeWithinMs: 1000 } },
  expect: { capacityHeldAtLeast: 32, capacityHeldBy: 'front', workerTimeout: false },
});

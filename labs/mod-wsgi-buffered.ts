// Hypothesis (Nginx's docs on proxy_buffering, on by default): Nginx reads Apache's whole response at once, to memory
// and its temp file, and feeds the slow client itself, so mod_wsgi's daemon finishes its request long before
// request-timeout.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With Nginx's default `proxy_buffering on` before Apache's mod_wsgi in daemon mode (`processes=1 threads=1 request-timeout=2`), Nginx takes the whole 16 MiB from Apache at once: no request time limit is logged, and the slow download completes.",
  hypothesisFrom: "Nginx's documentation of proxy_buffering (on by default) and mod_wsgi's of WSGIDaemonProcess request-timeout",
  fileSizeBytes: 16 * MiB,
  server: { kind: 'mod_wsgi', processes: 1, threads: 1, requestTimeoutS: 2 },
  nginx: { proxyBuffering: true },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
});

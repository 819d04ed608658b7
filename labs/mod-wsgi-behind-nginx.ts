// Hypothesis (mod_wsgi's docs of request-timeout, Nginx's of proxy_buffering): behind Nginx with `proxy_buffering off`,
// Nginx passes the response on only as fast as the client reads, so Apache's child and the daemon behind it are held
// as if the client were theirs, and mod_wsgi's request-timeout cuts the download as it does with no proxy.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With Nginx `proxy_buffering off` before Apache\'s mod_wsgi in daemon mode (`processes=1 threads=1 request-timeout=2`), a slow download keeps the daemon\'s thread writing past 2 s: mod_wsgi logs "request time limit exceeded", aborts the daemon after its shutdown-timeout (5 s), and the client keeps a truncated 200.',
  hypothesisFrom:
    "mod_wsgi's documentation of WSGIDaemonProcess (request-timeout, shutdown-timeout) and Nginx's of proxy_buffering (off: the response is passed to the client synchronously, as it is received)",
  // As mod-wsgi-daemon: 16 MiB at 1 MiB/s outlasts the time limit and the 5 s wait after it.
  fileSizeBytes: 16 * MiB,
  server: { kind: 'mod_wsgi', processes: 1, threads: 1, requestTimeoutS: 2 },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
});

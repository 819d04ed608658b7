// Hypothesis (mod_wsgi's docs of WSGIDaemonProcess request-timeout, and its 4.5.13 release notes: a client that reads
// slowly fills the buffer between Apache's child and the daemon, and the daemon's request thread blocks): the daemon
// process's request runs past request-timeout while a slow client reads, so mod_wsgi restarts it mid-transfer.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With Apache\'s mod_wsgi in daemon mode (`processes=1 threads=1 request-timeout=2`) and no proxy before Apache, a slow download keeps the daemon\'s thread writing past 2 s: mod_wsgi logs "request time limit exceeded", waits its shutdown-timeout (5 s) and aborts the daemon process, and the client keeps a truncated 200.',
  hypothesisFrom:
    "mod_wsgi's documentation of WSGIDaemonProcess (request-timeout restarts the daemon process; shutdown-timeout, 5 s, bounds the wait for its requests) and its 4.5.13 release notes (a client that does not read blocks the daemon's request thread)",
  // 16 MiB at 1 MiB/s: the transfer outlasts the time limit (2 s, checked about once a second) plus the 5 s wait, so
  // the abort cuts it; an 8 MiB file read at this rate ends inside that wait on some releases, and completes.
  fileSizeBytes: 16 * MiB,
  server: { kind: 'mod_wsgi', processes: 1, threads: 1, requestTimeoutS: 2 },
  nginx: null,
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
});

// Hypothesis (Nginx's docs on uwsgi_buffering, on by default): Nginx reads the whole response from uWSGI at once and
// feeds the slow client itself, so the worker's request ends before its harakiri.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With uWSGI `--harakiri 2` behind Nginx `uwsgi_pass` and Nginx's default `uwsgi_buffering on`, Nginx takes the whole file from the worker at once: no HARAKIRI, and the slow download completes.",
  hypothesisFrom: "Nginx's documentation of uwsgi_buffering (on by default) and uWSGI's of --harakiri",
  server: { kind: 'uwsgi', processes: 1, harakiriS: 2 },
  nginx: { protocol: 'uwsgi', proxyBuffering: true },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
});

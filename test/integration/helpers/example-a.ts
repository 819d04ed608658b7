// Example (a) of the README as check takes it: Flask behind its nginx.conf, one sync worker (gunicorn-sync.conf.py),
// its 8 MiB report; more flags after (--json, --keep).
export const exampleA = (...more: string[]) => [
  'check',
  '--nginx',
  'examples/flask/nginx.conf',
  '--app',
  'examples/flask',
  '--app-module',
  'app:app',
  '--gunicorn-config',
  'examples/flask/gunicorn-sync.conf.py',
  '--path',
  '/download/report.bin',
  ...more,
];

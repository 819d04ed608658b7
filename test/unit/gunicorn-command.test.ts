// Unit tests of src/topology/gunicorn-command.ts.
import test from 'ava';
import { validateLab } from '../../src/lab/schema.ts';
import { gunicornCommand } from '../../src/topology/gunicorn-command.ts';

const lab = (extra: Record<string, unknown> = {}) => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...extra });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};

test('gunicorn: sync worker, timeout, parseable access log', (t) => {
  const cmd = gunicornCommand(lab().gunicorn);
  t.deepEqual(cmd.slice(0, 9), ['gunicorn', '--config', '/app/lab_hooks.py', '--bind', '0.0.0.0:8000', '--workers', '1', '--worker-class', 'sync']);
  t.is(cmd[cmd.indexOf('--timeout') + 1], '2');
  t.is(cmd[cmd.indexOf('--access-logformat') + 1], 'access %(s)s %(B)s %(D)s "%(r)s"');
  t.false(cmd.includes('--threads'));
  t.is(cmd.at(-1), 'app:app');
});

test('gunicorn: cleartext HTTP/2 beside HTTP/1.1 where asked, trusting every peer (h2c is served to trusted peers only)', (t) => {
  const h2 = gunicornCommand(lab({ gunicorn: { worker: 'gthread', http2: true }, nginx: null, release: 'sid' }).gunicorn);
  const at = h2.indexOf('--http-protocols');
  t.deepEqual(h2.slice(at, at + 6), ['--http-protocols', 'h2,h1', '--http2-cleartext', 'prior-knowledge', '--forwarded-allow-ips', '*']);
  t.false(gunicornCommand(lab().gunicorn).includes('--http-protocols'));
});

test('gunicorn: gthread gets its threads, uvicorn the ASGI app', (t) => {
  const gthread = gunicornCommand(lab({ gunicorn: { worker: 'gthread', threads: 4 } }).gunicorn);
  t.is(gthread[gthread.indexOf('--threads') + 1], '4');
  const uvicorn = gunicornCommand(lab({ gunicorn: { worker: 'uvicorn' } }).gunicorn);
  t.true(uvicorn.includes('uvicorn.workers.UvicornWorker'));
  t.is(uvicorn.at(-1), 'asgi:app');
});

// Which proxy exit is worth one more start: Nginx that could not resolve its upstream at start (Podman's DNS late).
import test from 'ava';
import { exitedUnresolved } from '../../src/topology/unresolved-upstream.ts';

test('a proxy that exited saying its upstream host was not found is started again; another exit, or one still running, is not', (t) => {
  const unresolved = ['2026/12/06 22:00:00 [emerg] 1#1: host not found in upstream "web:5000" in /etc/nginx/nginx.conf:30'];
  t.true(exitedUnresolved({ running: false, exitCode: 1 }, unresolved));
  t.false(exitedUnresolved({ running: true, exitCode: 0 }, unresolved));
  t.false(exitedUnresolved({ running: false, exitCode: 1 }, ['[emerg] unknown directive "proxy_bufferin"']));
  t.false(exitedUnresolved(null, unresolved));
});

// Unit tests of src/check/user-stack.ts.
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { readNginxSource } from '../../src/check/nginx-source.ts';
import { chooseUpstream, gunicornAppCommand, gunicornEnv, socketGroup, userStack } from '../../src/check/user-stack.ts';
import { StackError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test('the upstream: the flag wins; one named upstream is inferred; none or several ask for --upstream', (t) => {
  const one = readNginxConf('http { upstream web { server web:5000; } server { location / { proxy_pass http://web; } } }');
  t.deepEqual(chooseUpstream({ upstream: null, nginxPath: 'n.conf' }, one), { kind: 'tcp', host: 'web', port: 5000 });
  t.deepEqual(chooseUpstream({ upstream: { kind: 'tcp', host: 'app', port: 9 }, nginxPath: 'n.conf' }, one), { kind: 'tcp', host: 'app', port: 9 });
  t.deepEqual(chooseUpstream({ upstream: null, nginxPath: null }, null), { kind: 'tcp', host: 'app', port: 8000 });
  const none = readNginxConf('http { server { root /srv; } }');
  t.throws(() => chooseUpstream({ upstream: null, nginxPath: 'n.conf' }, none), {
    instanceOf: StackError,
    message: /no proxy_pass to a host:port or a Unix socket found/,
  });
  const two = readNginxConf('http { server { location /a { proxy_pass http://a:1; } location /b { proxy_pass http://unix:/run/b.sock:/b; } } }');
  t.throws(() => chooseUpstream({ upstream: null, nginxPath: 'n.conf' }, two), {
    instanceOf: StackError,
    message: /several upstreams: a:1, unix:\/run\/b\.sock/,
  });
});

test("the user stack: their files mounted read-only, the app under the upstream's name, Gunicorn told only where to bind and log", (t) => {
  const options = parseCheckOptions({
    app: example('flask'),
    'app-module': 'app:app',
    path: '/d',
    nginx: example('flask/nginx.conf'),
    'gunicorn-config': example('flask/gunicorn-sync.conf.py'),
  });
  const images = { app: 'lab-app', nginx: 'lab-nginx', client: 'lab-client' };
  const source = readNginxSource(example('flask/nginx.conf'));
  const user = userStack(options, images, { source, facts: readNginxConf(source.files), files: source.files });
  t.is(user.spec.app.alias, 'web');
  t.is(user.spec.app.port, 5000);
  t.deepEqual(user.spec.app.command, ['gunicorn', '--config', '/srv/lab/gunicorn.conf.py', '--chdir', '/srv/app', 'app:app']);
  t.deepEqual(
    user.spec.app.mounts?.map((m) => [m.target, m.mode]),
    [
      ['/srv/app', 'ro'],
      ['/srv/lab/gunicorn.conf.py', 'ro'],
    ],
  );
  t.deepEqual(user.spec.nginx?.mounts, [{ source: example('flask/nginx.conf'), target: '/etc/nginx/nginx.conf', mode: 'ro' }]);
  t.deepEqual(user.spec.nginx?.command, ['nginx', '-g', 'daemon off; error_log stderr info;']);
  t.is(user.spec.nginx?.port, 8080);
  t.is(user.appGroup, null);
  t.regex(
    gunicornEnv({ kind: 'tcp', host: 'web', port: 5000 }).GUNICORN_CMD_ARGS ?? '',
    /^--bind 0\.0\.0\.0:5000 --error-logfile - --log-level info --access-logfile - --access-logformat 'access %\(s\)s %\(B\)s %\(D\)s "%\(r\)s"'$/,
  );
  t.regex(gunicornEnv(null).GUNICORN_CMD_ARGS ?? '', /^--error-logfile -/, 'no bind: their own is asked');
  t.is(gunicornAppCommand({ ...options, app: { kind: 'image', image: 'mine', command: null } }), null);
});

test("a Unix-socket stack: no bind added, the socket's folder shared on the run's socket volume, the app in Nginx's group", (t) => {
  const options = parseCheckOptions({
    app: example('flask'),
    'app-module': 'app:app',
    path: '/d',
    nginx: example('flask/site-socket.conf'),
    'gunicorn-args': '--workers 3 --bind unix:/run/app/gunicorn.sock -m 007',
  });
  const images = { app: 'lab-app', nginx: 'lab-nginx', client: 'lab-client' };
  const source = readNginxSource(example('flask/site-socket.conf'));
  // As nginx -T shows it: Debian's stock nginx.conf (user www-data) including the site.
  const files = new Map([['/etc/nginx/nginx.conf', 'user www-data; events {} http { include /etc/nginx/sites-enabled/*; }'], ...source.files]);
  const user = userStack(options, images, { source, facts: readNginxConf(files), files });
  t.deepEqual(user.upstream, { kind: 'unix', path: '/run/app/gunicorn.sock' });
  t.is(user.spec.app.port, null);
  t.notRegex(user.gunicornEnv.GUNICORN_CMD_ARGS ?? '', /--bind/);
  t.is(user.appGroup, 'www-data');
  t.is(user.spec.app.confinement.user, 'lab:www-data');
  t.deepEqual(user.spec.app.mounts?.at(-1), { source: '@run-socket', target: '/run/app', mode: 'rw' });
  t.deepEqual(user.spec.nginx?.mounts?.at(-1), { source: '@run-socket', target: '/run/app', mode: 'rw' });
  t.deepEqual(user.spec.nginx?.mounts?.[0]?.target, '/etc/nginx/sites-enabled/site-socket.conf');
  t.is(socketGroup(readNginxConf('user nginx; events {}')), null, 'a group the lab image lacks is not taken');
  t.is(socketGroup(readNginxConf('events {}')), 'nogroup', "Nginx's own default");
  t.throws(() => userStack({ ...options, nginxPath: null, upstream: { kind: 'unix', path: '/run/x.sock' } }, images, null), {
    instanceOf: StackError,
    message: /a Unix socket is reached only through Nginx/,
  });
});

// Unit tests of src/check/nginx-source.ts.
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWholeNginxConf, readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { readNginxSource, withReplacedFiles } from '../../src/check/nginx-source.ts';
import { StackError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test('the Nginx config as found: a whole nginx.conf, a site file, a config folder laid over /etc/nginx', (t) => {
  const whole = readNginxSource(example('flask/nginx.conf'));
  t.is(whole.layout, 'nginx.conf');
  t.deepEqual(whole.mounts, [{ source: example('flask/nginx.conf'), target: '/etc/nginx/nginx.conf', mode: 'ro' }]);
  const site = readNginxSource(example('flask/site-socket.conf'));
  t.is(site.layout, 'site file');
  t.deepEqual(site.mounts, [{ source: example('flask/site-socket.conf'), target: '/etc/nginx/sites-enabled/site-socket.conf', mode: 'ro' }]);
  t.deepEqual(readNginxConf(site.files, '/etc/nginx/sites-enabled/site-socket.conf').upstreams, [{ kind: 'unix', path: '/run/app/gunicorn.sock' }]);
  const tree = readNginxSource(example('flask/etc-nginx'));
  t.is(tree.layout, 'config folder');
  t.deepEqual(
    tree.mounts.map((m) => m.target),
    ['/etc/nginx/nginx.conf', '/etc/nginx/sites-enabled', '/etc/nginx/snippets'],
  );
  t.deepEqual([...tree.files.keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/sites-enabled/app', '/etc/nginx/snippets/proxy-app.conf']);
  // The image's proxy_params is not in their tree: its include is left out of what their files alone say.
  t.deepEqual(readNginxConf(tree.files).upstreams, [{ kind: 'unix', path: '/run/app/gunicorn.sock' }]);
  t.is(readNginxConf(tree.files).listenPort, 8000);
  t.throws(() => readNginxSource(example('flask/etc-nginx/snippets')), { instanceOf: StackError, message: /a folder without nginx\.conf/ });
  t.true(isWholeNginxConf('# http {\nevents {} http { }'));
  t.false(isWholeNginxConf('# events {}\nserver { listen 80; location /http { } }'));
  t.deepEqual(withReplacedFiles(whole.mounts, [{ source: '/copy', target: '/etc/nginx/nginx.conf', mode: 'ro' }]), [
    { source: '/copy', target: '/etc/nginx/nginx.conf', mode: 'ro' },
  ]);
});

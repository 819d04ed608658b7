// Unit tests of src/check/read-nginx-conf.ts.
import test from 'ava';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseUpstream } from '../../src/check/check-options.ts';
import { parseBindList } from '../../src/check/gunicorn-facts.ts';
import { includedFiles, parseNginxDump, readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { UsageError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test("the Flask example's nginx.conf: listen port, the upstream behind its block, the log file", (t) => {
  const facts = readNginxConf(readFileSync(example('flask/nginx.conf'), 'utf8'));
  t.deepEqual(facts, {
    listenPort: 8080,
    tls: false,
    serverName: null,
    upstreams: [{ kind: 'tcp', host: 'web', port: 5000 }],
    uwsgi: false,
    accessLogFiles: ['/var/log/nginx/access.log'],
    errorLogFiles: ['/var/log/nginx/error.log'],
    setsDaemon: false,
    workerUser: { user: 'www-data', group: null },
  });
});

test('nginx.conf reading: comments, quotes, direct proxy_pass, IPv6 listen, stdout logs, daemon', (t) => {
  const facts = readNginxConf(`
    daemon off; # set here
    http { server { listen [::]:9090; listen 127.0.0.1:9091;
      access_log /dev/stdout; access_log "/var/log/a b.log" combined; error_log syslog:server=x;
      location /x { proxy_pass http://api:7000/prefix; }   # proxy_pass http://commented:1;
      location /y { proxy_pass http://$backend; }
    } }`);
  t.is(facts.listenPort, 9090);
  t.deepEqual(facts.upstreams, [{ kind: 'tcp', host: 'api', port: 7000 }]);
  t.deepEqual(facts.accessLogFiles, ['/var/log/a b.log']);
  t.deepEqual(facts.errorLogFiles, []);
  t.true(facts.setsDaemon);
  t.deepEqual(readNginxConf('http { server { location / { proxy_pass http://web; } } }').upstreams, [{ kind: 'tcp', host: 'web', port: 80 }]);
  t.is(readNginxConf('events {}').listenPort, 80);
});

test('Unix-socket upstreams: proxy_pass http://unix:/path[:/uri], and `server unix:/path` in an upstream block', (t) => {
  t.deepEqual(readNginxConf('server { location / { proxy_pass http://unix:/run/app/gunicorn.sock; } }').upstreams, [
    { kind: 'unix', path: '/run/app/gunicorn.sock' },
  ]);
  t.deepEqual(readNginxConf('server { location / { proxy_pass http://unix:/run/app.sock:/api/; } }').upstreams, [{ kind: 'unix', path: '/run/app.sock' }]);
  const block = readNginxConf(
    'upstream app_server { server unix:/run/app/gunicorn.sock fail_timeout=0; } server { location / { proxy_pass http://app_server; } }',
  );
  t.deepEqual(block.upstreams, [{ kind: 'unix', path: '/run/app/gunicorn.sock' }]);
  t.deepEqual(parseUpstream('unix:/run/app/gunicorn.sock'), { kind: 'unix', path: '/run/app/gunicorn.sock' });
  t.throws(() => parseUpstream('unix:relative.sock'), { instanceOf: UsageError, message: /must be NAME:PORT or unix:\/path\/to\.sock/ });
  t.deepEqual(parseBindList("['unix:/run/app/gunicorn.sock', '0.0.0.0:8000', '[::]:80']"), [
    { kind: 'unix', path: '/run/app/gunicorn.sock' },
    { kind: 'tcp', host: '0.0.0.0', port: 8000 },
    { kind: 'tcp', host: '[::]', port: 80 },
  ]);
  t.deepEqual(parseBindList(null), []);
});

test('includes followed through the files Nginx read: globs in name order, paths relative to /etc/nginx, snippets', (t) => {
  const files = new Map([
    [
      '/etc/nginx/nginx.conf',
      'user www-data; events {} http { include mime.types; access_log /var/log/nginx/access.log; include /etc/nginx/conf.d/*.conf; include /etc/nginx/sites-enabled/*; }',
    ],
    ['/etc/nginx/mime.types', 'types { text/html html; }'],
    ['/etc/nginx/sites-enabled/b', 'server { listen 8001; location / { include snippets/p.conf; } }'],
    ['/etc/nginx/sites-enabled/a', 'upstream app_server { server unix:/run/app.sock; } server { listen 8000; error_log /var/log/nginx/a.log; }'],
    ['/etc/nginx/snippets/p.conf', 'include proxy_params; proxy_pass http://app_server; proxy_buffering off;'],
    ['/etc/nginx/proxy_params', 'proxy_set_header Host $http_host;'],
  ]);
  const facts = readNginxConf(files);
  t.is(facts.listenPort, 8001, 'the server that proxies (sites-enabled/b, through its snippet), not the first that listens');
  t.deepEqual(facts.upstreams, [{ kind: 'unix', path: '/run/app.sock' }]);
  t.deepEqual(facts.accessLogFiles, ['/var/log/nginx/access.log']);
  t.deepEqual(facts.errorLogFiles, ['/var/log/nginx/a.log']);
  t.deepEqual(facts.workerUser, { user: 'www-data', group: null });
  t.deepEqual(includedFiles('sites-enabled/*', files), ['/etc/nginx/sites-enabled/a', '/etc/nginx/sites-enabled/b']);
  t.deepEqual(includedFiles('/etc/nginx/missing.conf', files), []);
  // An include that includes itself stops.
  t.notThrows(() => readNginxConf(new Map([['/etc/nginx/nginx.conf', 'include nginx.conf;']])));
});

test('a certbot-shaped site: the redirect-only server on port 80 passed over, the TLS server that proxies is the entrance', (t) => {
  const site = readFileSync(example('flask/site-tls.conf'), 'utf8');
  const facts = readNginxConf(site, '/etc/nginx/sites-enabled/site-tls.conf');
  t.is(facts.listenPort, 443);
  t.true(facts.tls);
  t.is(facts.serverName, 'shop.example.com');
  t.deepEqual(facts.upstreams, [{ kind: 'unix', path: '/run/app/gunicorn.sock' }]);
  // The redirect server first in the file changes nothing; plain HTTP with an old `ssl on;` is TLS too.
  const [tlsServer, redirect] = site.split(/(?=^server \{)/m).filter((s) => s.startsWith('server'));
  t.is(readNginxConf(`${redirect}\n${tlsServer}`).listenPort, 443);
  t.true(readNginxConf('server { listen 8443; ssl on; server_name _ a.example.org; location / { proxy_pass http://web:5000; } }').tls);
  t.is(readNginxConf('server { listen 8443; ssl on; server_name _ a.example.org; location / { proxy_pass http://web:5000; } }').serverName, 'a.example.org');
  t.false(readNginxConf(readFileSync(example('flask/nginx.conf'), 'utf8')).tls);
});

test("nginx -T's dump read back into files", (t) => {
  const dump =
    '# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp { include /etc/nginx/sites-enabled/*; }\n\n# configuration file /etc/nginx/sites-enabled/app:\nserver { listen 81; }\n\n';
  const files = parseNginxDump(dump);
  t.deepEqual([...files.keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/sites-enabled/app']);
  t.is(readNginxConf(files).listenPort, 81);
  t.deepEqual(parseNginxDump('nothing'), new Map());
});

test("uwsgi_pass: host:port, uwsgi://, an upstream block or a Unix socket is the upstream, and says the app is uWSGI's", (t) => {
  const example = readNginxConf(readFileSync(fileURLToPath(new URL('../../examples/uwsgi/nginx.conf', import.meta.url)), 'utf8'));
  t.deepEqual(example.upstreams, [{ kind: 'tcp', host: 'web', port: 8000 }]);
  t.true(example.uwsgi);
  t.is(example.listenPort, 8080);
  const conf = (pass: string) => `http { upstream app { server app:3031; } server { listen 81; location / { uwsgi_pass ${pass}; } } }`;
  t.deepEqual(readNginxConf(conf('uwsgi://web:9000')).upstreams, [{ kind: 'tcp', host: 'web', port: 9000 }]);
  t.deepEqual(readNginxConf(conf('app')).upstreams, [{ kind: 'tcp', host: 'app', port: 3031 }]);
  t.deepEqual(readNginxConf(conf('unix:/run/uwsgi/app.sock')).upstreams, [{ kind: 'unix', path: '/run/uwsgi/app.sock' }]);
  t.is(readNginxConf(conf('unix:/run/uwsgi/app.sock')).listenPort, 81, 'the server that passes to uWSGI is the entrance');
  t.false(readNginxConf('http { server { listen 80; location / { proxy_pass http://web:8000; } } }').uwsgi);
});

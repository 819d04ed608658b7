// `check` without Docker: a user's nginx.conf read as it is, flags to options, Gunicorn's settings, the rate.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions, parseUpstream, splitWords } from '../../src/check/check-options.ts';
import { parseBindList, parseBootConfig, parsePrintConfig } from '../../src/check/gunicorn-facts.ts';
import { includedFiles, isWholeNginxConf, parseNginxDump, readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { readNginxSource, withReplacedFiles } from '../../src/check/nginx-source.ts';
import { gunicornFlagsFromCommand, parseAttachOptions } from '../../src/check/attach-options.ts';
import { bufferRoomBytes, parseBufferSysctls } from '../../src/check/buffer-room.ts';
import { remediesFor, bufferingOn } from '../../src/check/remedies.ts';
import { checkRate, choosePace, crawlPace, crawlSeconds, paceSeconds } from '../../src/check/pace.ts';
import { checkPlan } from '../../src/check/reference.ts';
import { clientCommand, clientMaxSeconds } from '../../src/client/client-command.ts';
import { formatRemedyTable, type RemedyRow } from '../../src/check/remedy-table.ts';
import { nextSteps } from '../../src/check/next-steps.ts';
import { logLineTime } from '../../src/check/stamp-log-line.ts';
import { chooseUpstream, gunicornAppCommand, gunicornEnv, socketGroup, userStack } from '../../src/check/user-stack.ts';
import { UsageError } from '../../src/errors.ts';
import { StackError } from '../../src/errors.ts';
import { parseNginxAccessLog } from '../../src/observe/parse-nginx-log.ts';
import { splitTimestamps } from '../../src/docker/docker-log.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test("the Flask example's nginx.conf: listen port, the upstream behind its block, the log file", (t) => {
  const facts = readNginxConf(readFileSync(example('flask/nginx.conf'), 'utf8'));
  t.deepEqual(facts, {
    listenPort: 8080,
    tls: false,
    serverName: null,
    upstreams: [{ kind: 'tcp', host: 'web', port: 5000 }],
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

test('check --upload: a size of 1 MiB or more, POST or PUT, a content type; --throttle and stray upload flags refused', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/upload/report' };
  t.is(parseCheckOptions(base).upload, null);
  t.deepEqual(parseCheckOptions({ ...base, upload: '8m' }).upload, { sizeBytes: 8 * 1024 * 1024, method: 'POST', contentType: 'application/octet-stream' });
  t.deepEqual(parseCheckOptions({ ...base, upload: '2m', method: 'put', 'content-type': 'text/csv' }).upload, {
    sizeBytes: 2 * 1024 * 1024,
    method: 'PUT',
    contentType: 'text/csv',
  });
  t.throws(() => parseCheckOptions({ ...base, upload: '512k' }), { message: /--upload 512k: must be a size from 1 MiB/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', method: 'PATCH' }), { message: /--method PATCH: must be POST or PUT/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', 'content-type': 'csv' }), { message: /--content-type csv: must look like type\/subtype/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', throttle: 'reader' }), { message: /--throttle shapes how a download is read/ });
  t.throws(() => parseCheckOptions({ ...base, method: 'PUT' }), { message: /--method goes with --upload SIZE/ });
  const plan = checkPlan({ path: '/upload/report', headers: [], upload: { sizeBytes: 2 * 1024 * 1024, method: 'PUT', contentType: 'text/csv' } }, null, {
    kind: 'crawl',
    rateBytesPerS: 100_000,
    seconds: 5,
  });
  t.like(plan.client, { rateBytesPerS: null, probes: [] });
  t.like(plan.client.upload, { rateBytesPerS: 100_000, crawlSeconds: 5, method: 'PUT', contentType: 'text/csv' });
  const cmd = clientCommand(plan, { host: 'nginx', port: 80 });
  t.deepEqual(cmd.slice(cmd.indexOf('--upload-bytes')), [
    '--upload-bytes',
    String(2 * 1024 * 1024),
    '--upload-rate',
    '100000',
    '--upload-crawl-seconds',
    '5',
    '--upload-method',
    'PUT',
    '--upload-content-type',
    'text/csv',
  ]);
});

test('check flags: files must exist, the app is a folder with a module or an image, the path a URL path', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/download/report.bin' };
  const options = parseCheckOptions({
    ...base,
    nginx: example('flask/nginx.conf'),
    'gunicorn-args': '--workers 2 --access-logformat "%(s)s x"',
    header: ['Host: example.com'],
  });
  t.deepEqual(options.app, { kind: 'dir', dir: example('flask'), module: 'app:app' });
  t.deepEqual(options.gunicornArgs, ['--workers', '2', '--access-logformat', '%(s)s x']);
  t.deepEqual(options.headers, ['Host: example.com']);
  t.is(options.rateBytesPerS, null);
  t.is(options.release, 'bookworm');
  const bad: Array<[Record<string, string | string[]>, RegExp]> = [
    [{ ...base, nginx: 'missing.conf' }, /--nginx missing\.conf: no such file or folder/],
    [{ ...base, 'gunicorn-config': example('flask') }, /--gunicorn-config .*: is a folder, not a file/],
    [{ path: '/x' }, /check needs your app/],
    [{ ...base, 'app-image': 'x' }, /--app and --app-image both given/],
    [{ ...base, 'app-module': 'not a module' }, /--app-module not a module/],
    [{ ...base, path: 'download' }, /--path download: give the URL path of a large download, starting with \//],
    [{ ...base, rate: '10' }, /--rate 10: must be a size from 1 KiB to 1 GiB/],
    [{ ...base, header: ['NoColon'] }, /--header NoColon: must look like "Name: value"/],
    [{ ...base, upstream: 'web' }, /--upstream web: must be NAME:PORT or unix:\/path/],
    [{ ...base, stack: 'buster' }, /--stack buster: must be one of bookworm, trixie, sid/],
  ];
  for (const [values, message] of bad) t.throws(() => parseCheckOptions(values), { instanceOf: UsageError, message }, JSON.stringify(values));
});

test('words split like a shell: quotes kept together', (t) => {
  t.deepEqual(splitWords(`gunicorn -c 'my conf.py' --name "a b" x:app`), ['gunicorn', '-c', 'my conf.py', '--name', 'a b', 'x:app']);
  t.deepEqual(splitWords(''), []);
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

test('Gunicorn --print-config read: worker class, workers, threads, timeout, bind', (t) => {
  const printed = [
    'access_log_format                 = %(h)s',
    "bind                              = ['0.0.0.0:5000']",
    'threads                           = 4',
    'timeout                           = 2',
    'worker_class                      = gthread',
    'workers                           = 1',
  ].join('\n');
  t.deepEqual(parsePrintConfig(printed), { workerClass: 'gthread', workers: 1, threads: 4, timeoutS: 2, bind: "['0.0.0.0:5000']" });
  t.deepEqual(parsePrintConfig(''), { workerClass: null, workers: null, threads: null, timeoutS: null, bind: null });
});

test("Gunicorn's settings from its boot log under --log-level debug (an image whose command is a script)", (t) => {
  const log = [
    '[2026-12-01 14:20:09 +0000] [8] [INFO] Starting gunicorn 20.1.0',
    '[2026-12-01 14:20:09 +0000] [8] [DEBUG] Current configuration:',
    '  config: ./gunicorn.conf.py',
    '  wsgi_app: None',
    "  bind: ['0.0.0.0:8000']",
    '  workers: 3',
    '  worker_class: sync',
    '  threads: 1',
    '  timeout: 4',
    '[2026-12-01 14:20:09 +0000] [8] [INFO] Listening at: http://0.0.0.0:8000 (8)',
    '  not: a setting after the block',
  ].join('\n');
  t.deepEqual(parseBootConfig(log), { workerClass: 'sync', workers: 3, threads: 1, timeoutS: 4, bind: "['0.0.0.0:8000']" });
  t.is(parseBootConfig('[2026-12-01 14:20:09 +0000] [8] [INFO] Starting gunicorn 20.1.0'), null);
  t.is(parseBootConfig('2026-12-01T14:20:09.1Z [DEBUG] Current configuration:\n2026-12-01T14:20:09.1Z   timeout: 7')?.timeoutS, 7, "with Docker's timestamps");
});

test('the crawl outlasts the timeout, reads at most half of what the buffers leave, and says how big a body must be', (t) => {
  const MiB = 1024 * 1024;
  t.is(crawlSeconds(2), 5);
  t.is(crawlSeconds(30), 33);
  t.is(crawlSeconds(100), 110);
  const room = 512 * 1024;
  const pace = crawlPace(8 * MiB, 30, room, true);
  t.deepEqual(pace, { kind: 'crawl', rateBytesPerS: Math.floor((8 * MiB - room) / 66), seconds: 33 });
  t.true(pace.rateBytesPerS * pace.seconds + room < 8 * MiB, 'the worker is still sending when its timeout comes');
  // A body the buffers nearly hold: refused with the size that would do, or (a stack check does not start) crawled
  // at the slowest rate.
  const small = t.throws(() => crawlPace(600 * 1024, 60, room, true), { message: /too small to hold a worker for Gunicorn's 60 s timeout/ }) as Error & {
    hint?: string;
  };
  t.regex(small.hint ?? '', /at least 644 KiB/, '512 KiB of buffers and 66 s at 1 KiB/s, twice');
  t.is(crawlPace(600 * 1024, 60, room, false).rateBytesPerS, 1024);
  // --rate or --throttle: the steady reader; a remedy's run reads at the pace it is given.
  t.deepEqual(choosePace({ rateBytesPerS: null, throttle: 'reader' }, 8 * MiB, 2, room, true), {
    kind: 'steady',
    rateBytesPerS: checkRate(8 * MiB, 2),
    throttle: 'reader',
    named: true,
  });
  t.deepEqual(choosePace({ rateBytesPerS: 4096, throttle: null }, 8 * MiB, 2, room, true), {
    kind: 'steady',
    rateBytesPerS: 4096,
    throttle: 'network',
    named: false,
  });
  t.is(choosePace({ rateBytesPerS: null, throttle: null }, 8 * MiB, 2, room, true).kind, 'crawl');
});

test("check's plan: the crawl is the reader's own and ends in a full-speed read; the reference has no pace and no side request", (t) => {
  const request = { path: '/download/report.bin', headers: [], upload: null };
  const crawl = checkPlan(request, null, { kind: 'crawl', rateBytesPerS: 100_000, seconds: 33 });
  t.like(crawl.client, { rateBytesPerS: 100_000, throttle: 'reader', crawlSeconds: 33 });
  t.deepEqual(crawl.client.probes, [{ path: '/download/report.bin', afterMs: 1000 }]);
  const cmd = clientCommand(crawl, { host: 'nginx', port: 80 });
  t.is(cmd[cmd.indexOf('--crawl-seconds') + 1], '33');
  t.is(cmd[cmd.indexOf('--read-rate') + 1], '100000');
  t.is(clientMaxSeconds(crawl), 33 + 60);
  const steady = checkPlan(request, null, { kind: 'steady', rateBytesPerS: 100_000, throttle: 'network', named: false });
  t.false(clientCommand(steady, { host: 'nginx', port: 80 }).includes('--crawl-seconds'));
  const reference = checkPlan(request, null, null);
  t.like(reference.client, { rateBytesPerS: null, probes: [] });
});

test('the slow rate lasts twice the timeout and two seconds more, never below 1 KiB/s', (t) => {
  t.is(checkRate(8 * 1024 * 1024, 2), Math.floor((8 * 1024 * 1024) / 6));
  t.is(checkRate(8 * 1024 * 1024, 30), Math.floor((8 * 1024 * 1024) / 62));
  t.is(checkRate(2048, 3600), 1024);
});

test("a user's access lines in the combined format, stamped with their own time", (t) => {
  const line = '172.18.0.3 - - [28/Nov/2026:06:30:05 +0000] "GET /download/report.bin HTTP/1.1" 200 3145728 "-" "lab-client"';
  t.is(logLineTime(line, new Date(0)).toISOString(), '2026-11-28T06:30:05.000Z');
  t.is(logLineTime('2026/11/28 06:30:06 [error] 7#7: *1 x', new Date(0)).toISOString(), '2026-11-28T06:30:06.000Z');
  t.is(logLineTime('no time here', new Date(5)).getTime(), 5);
  const [access] = parseNginxAccessLog(splitTimestamps(`2026-11-28T06:30:05.000Z ${line}\n`), Date.parse('2026-11-28T06:30:00Z'));
  t.deepEqual(access, {
    atMs: 5000,
    request: 'GET /download/report.bin HTTP/1.1',
    status: 200,
    bodyBytesSent: 3145728,
    requestTimeS: null,
    upstreamResponseTimeS: null,
    upstreamStatus: '',
  });
});

test('remedies: buffering turned on in a copy, or said to be on already; the raised timeout outlasts the slow download', (t) => {
  t.deepEqual(bufferingOn('location / { proxy_buffering  off ; }'), { text: 'location / { proxy_buffering  on ; }' });
  t.deepEqual(bufferingOn('location / { proxy_pass http://x; }'), { reason: 'your Nginx config already buffers (no proxy_buffering off in it)' });
  t.deepEqual(
    remediesFor(2, true).map((r) => r.name),
    ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 18 s', 'proxy_buffering on'],
  );
  t.deepEqual(
    remediesFor(30, false).map((r) => r.name),
    ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 130 s'],
  );
  // The raised timeout outlasts the slowest download check makes (the steady reader, paced by the code that decides
  // it), and the crawl, for every timeout: the remedy's worker is never killed by the client's pace alone.
  for (const timeoutS of [1, 2, 5, 30, 120, 3600]) {
    const raised = Number(remediesFor(timeoutS, false).find((r) => r.name.startsWith('timeout raised'))!.gunicornArgs[1]);
    for (const bodyBytes of [1024 * 1024, 8 * 1024 * 1024, 512 * 1024 * 1024]) {
      const steady = choosePace({ rateBytesPerS: null, throttle: 'network' }, bodyBytes, timeoutS, 0, false);
      const crawl = choosePace({ rateBytesPerS: null, throttle: null }, bodyBytes, timeoutS, 0, false);
      t.true(raised > paceSeconds(steady, bodyBytes), `steady, timeout ${timeoutS} s, ${bodyBytes} B`);
      t.true(raised > paceSeconds(crawl, bodyBytes), `crawl, timeout ${timeoutS} s, ${bodyBytes} B`);
    }
  }
  t.regex(
    gunicornEnv({ kind: 'tcp', host: 'web', port: 5000 }, ['--worker-class', 'gthread', '--threads', '4']).GUNICORN_CMD_ARGS ?? '',
    / --worker-class gthread --threads 4$/,
  );
  // A remedy's flags come after the user's own on the command line (which GUNICORN_CMD_ARGS would not override).
  const withArgs = parseCheckOptions({ app: example('flask'), 'app-module': 'app:app', path: '/d', 'gunicorn-args': '--timeout 5' });
  t.deepEqual(gunicornAppCommand(withArgs, ['--timeout', '30']), ['gunicorn', '--timeout', '5', '--timeout', '30', '--chdir', '/srv/app', 'app:app']);
  t.deepEqual(gunicornAppCommand({ ...withArgs, app: { kind: 'image', image: 'mine', command: ['gunicorn', 'x:app'] } }, ['--timeout', '30']), [
    'gunicorn',
    'x:app',
    '--timeout',
    '30',
  ]);
  t.deepEqual(
    gunicornAppCommand({ ...withArgs, app: { kind: 'image', image: 'mine', command: ['sh', '-c', 'exec gunicorn x:app'] } }, ['--timeout', '30']),
    ['sh', '-c', 'exec gunicorn x:app'],
    'a shell takes them from GUNICORN_CMD_ARGS',
  );
});

test('the remedy table lines up its columns and shows a dash for what was not measured', (t) => {
  const table = formatRemedyTable([
    {
      remedy: 'as it is',
      result: 'hurt',
      detail: 'WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200',
      gunicornBusyMs: null,
      appMemoryBytes: 64 * 1024 * 1024,
      secondRequestWaitMs: 2290,
      runDir: 'x',
    },
    {
      remedy: 'proxy_buffering on',
      result: 'not applicable',
      detail: 'already on',
      gunicornBusyMs: null,
      appMemoryBytes: null,
      secondRequestWaitMs: null,
      runDir: null,
    },
  ]).split('\n');
  t.deepEqual(table, [
    'remedy              result          what the client got                     Gunicorn busy  app memory  second request waited',
    '──────────────────  ──────────────  ──────────────────────────────────────  ─────────────  ──────────  ─────────────────────',
    'as it is            hurt            WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200  –              64 MiB      2.29 s',
    'proxy_buffering on  not applicable  already on                              –              –           –',
  ]);
});

test('check --attach flags: network, URL, containers, timeout; flags of a stack check would start are refused', (t) => {
  const options = parseAttachOptions({
    attach: 'shop_default',
    url: 'http://nginx:8080/download/report.bin?x=1',
    'app-container': 'shop-web-1',
    'proxy-container': 'shop-nginx-1',
    timeout: '5',
  });
  t.deepEqual(options.url, { host: 'nginx', port: 8080, path: '/download/report.bin?x=1' });
  t.is(options.network, 'shop_default');
  t.is(options.proxyContainer, 'shop-nginx-1');
  t.is(options.timeoutS, 5);
  t.is(parseAttachOptions({ attach: 'n', url: 'http://web/x', 'app-container': 'a' }).url.port, 80);
  // https: TLS on 443 by default, the host as SNI (an address sends none).
  t.deepEqual(parseAttachOptions({ attach: 'n', url: 'https://shop.example.com/x', 'app-container': 'a' }).url, {
    host: 'shop.example.com',
    port: 443,
    path: '/x',
    tls: { serverName: 'shop.example.com' },
  });
  t.deepEqual(parseAttachOptions({ attach: 'n', url: 'https://10.0.0.2:8443/x', 'app-container': 'a' }).url.tls, { serverName: null });
  const bad: Array<[Record<string, string | boolean>, RegExp]> = [
    [{ attach: 'n', 'app-container': 'a' }, /--attach needs --url/],
    [{ attach: 'n', url: 'http://web/x' }, /--attach needs --app-container NAME/],
    [{ attach: 'n', url: 'ftp://web/x', 'app-container': 'a' }, /only http:\/\/ and https:\/\/ are checked/],
    [{ attach: 'n', url: 'web:80/x', 'app-container': 'a' }, /--url web:80\/x: (not a URL|only http)/],
    [{ attach: 'n', url: 'http://web', 'app-container': 'a' }, /names no path/],
    [{ attach: 'n', url: 'http://web/x', 'app-container': 'a', timeout: '0' }, /--timeout 0: Gunicorn's timeout in whole seconds/],
    [
      { attach: 'n', url: 'http://web/x', 'app-container': 'a', nginx: 'x.conf' },
      /--attach checks a stack that already runs; --nginx describes one check would start/,
    ],
    [{ attach: 'n', url: 'http://web/x', 'app-container': 'a', 'try-remedies': true }, /--try-remedies describes one check would start/],
  ];
  for (const [values, message] of bad) t.throws(() => parseAttachOptions(values), { instanceOf: UsageError, message }, JSON.stringify(values));
  t.throws(() => parseCheckOptions({ app: example('flask'), 'app-module': 'app:app', path: '/d', url: 'http://x/y' }), {
    instanceOf: UsageError,
    message: /--url goes with --attach NETWORK/,
  });
});

test("an attached app's Gunicorn settings from its command line, and the room in the socket buffers", (t) => {
  t.deepEqual(gunicornFlagsFromCommand(['gunicorn', '-w', '3', '--timeout=5', '-k', 'gthread', '--threads', '4', 'app:app']), {
    timeoutS: 5,
    workers: 3,
    workerClass: 'gthread',
    threads: 4,
  });
  t.deepEqual(gunicornFlagsFromCommand(['/usr/bin/python3', '/usr/bin/gunicorn', '-t', '7', '-w2', 'x:app']), {
    timeoutS: 7,
    workers: 2,
    workerClass: null,
    threads: null,
  });
  t.deepEqual(
    gunicornFlagsFromCommand(['/srv/docker-entrypoint.sh']),
    { timeoutS: null, workers: null, workerClass: null, threads: null },
    'a script shows nothing',
  );
  t.deepEqual(parseBufferSysctls('4096\t16384\t4194304\n4096\t131072\t6291456\n'), { sendBytes: 4194304, receiveBytes: 6291456 });
  t.is(parseBufferSysctls(''), null);
  t.is(bufferRoomBytes({ appSendBytes: 4194304, proxyReceiveBytes: 6291456, proxySendBytes: 4194304, clientReceiveBytes: 131072 }), 14811136);
  t.is(bufferRoomBytes({ appSendBytes: null, proxyReceiveBytes: null, proxySendBytes: null, clientReceiveBytes: 131072 }), 131072);
});

test("the docker compose example: its services are the names the README's --attach command uses, its build contexts exist", (t) => {
  const compose = parseYaml(readFileSync(example('compose/docker-compose.yml'), 'utf8')) as {
    services: Record<string, { build: { context: string; dockerfile?: string } }>;
  };
  t.deepEqual(Object.keys(compose.services), ['django', 'nginx']);
  for (const service of Object.values(compose.services)) {
    const context = path.join(example('compose'), service.build.context);
    t.true(existsSync(path.join(context, service.build.dockerfile ?? 'Dockerfile')), context);
  }
  // Nginx reaches the app by its service name.
  t.deepEqual(readNginxConf(readFileSync(example('django/nginx.conf'), 'utf8')).upstreams, [{ kind: 'tcp', host: 'django', port: 8000 }]);
  t.regex(
    readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
    /check --attach shop_default --url http:\/\/nginx:80\/download\/export\.bin --app-container shop-django-1/,
  );
});

test('a failed check ends with what to do next: the surviving remedies cheapest first, else the command that tries them', (t) => {
  const row = (remedy: string, result: RemedyRow['result'], gunicornBusyMs: number | null, secondRequestWaitMs: number | null = null): RemedyRow => ({
    remedy,
    result,
    detail: '',
    gunicornBusyMs,
    appMemoryBytes: 64 * 1024 * 1024,
    secondRequestWaitMs,
    runDir: null,
  });
  t.deepEqual(nextSteps(true, null, ['--app', 'x'], true), [], 'nothing to do for a stack that survived');
  // As measured on example (a): the raised timeout keeps Gunicorn busy no longer than gthread, but a second request
  // waits the whole download for it.
  const tried = nextSteps(
    false,
    [
      row('as it is', 'hurt', null, 1600),
      row('gevent worker', 'survived', 5860, 0),
      row('gthread worker, 4 threads', 'survived', 5770, 10),
      row('timeout raised to 18 s', 'survived', 5740, 4740),
      row('proxy_buffering on', 'survived', 20, 0),
      row('gevent worker', 'could not run', null),
    ],
    null,
    true,
  );
  t.deepEqual(tried, [
    'Best: drop `proxy_buffering off` from your Nginx config (Nginx buffers by default), or allow it only where streaming needs it (Gunicorn busy 0.02 s, app memory 64 MiB).',
    'Also: run Gunicorn with `--worker-class gthread --threads 4` (Gunicorn busy 5.77 s, app memory 64 MiB).',
    "Also: run Gunicorn with `--worker-class gevent` (gevent installed in the app's environment) (Gunicorn busy 5.86 s, app memory 64 MiB).",
    "Also: raise Gunicorn's `--timeout` to 18 s: it survives by holding a worker for the whole download (Gunicorn busy 5.74 s, app memory 64 MiB).",
  ]);
  t.regex(nextSteps(false, [row('as it is', 'hurt', null)], null, true)[0]!, /^None of the remedies tried survived/);
  const untried = nextSteps(false, null, ['--nginx', 'my site.conf', '--path', '/d', '--json'], true);
  t.is(untried[1], "Try them on your stack, your files unchanged: npm run lab -- check --nginx 'my site.conf' --path /d --try-remedies");
  t.regex(untried[0]!, /proxy_buffering on/);
  t.regex(nextSteps(false, null, null, false)[1]!, /A stack already running is not changed/);
  t.regex(nextSteps(false, null, null, false)[0]!, /put a buffering proxy in front/);
});

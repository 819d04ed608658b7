// `check` without Docker: a user's nginx.conf read as it is, flags to options, Gunicorn's settings, the rate.
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions, splitWords } from '../../src/check/check-options.ts';
import { parsePrintConfig } from '../../src/check/gunicorn-facts.ts';
import { readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { remediesFor, bufferingOn } from '../../src/check/remedies.ts';
import { checkRate } from '../../src/check/check-options.ts';
import { formatRemedyTable } from '../../src/check/remedy-table.ts';
import { logLineTime } from '../../src/check/stamp-log-line.ts';
import { chooseUpstream, gunicornAppCommand, gunicornEnv, userStack } from '../../src/check/user-stack.ts';
import { UsageError } from '../../src/errors.ts';
import { StackError } from '../../src/errors.ts';
import { parseNginxAccessLog } from '../../src/observe/parse-nginx-log.ts';
import { splitTimestamps } from '../../src/observe/docker-log.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test('the Flask example\'s nginx.conf: listen port, the upstream behind its block, the log file', (t) => {
  const facts = readNginxConf(readFileSync(example('flask/nginx.conf'), 'utf8'));
  t.deepEqual(facts, {
    listenPort: 8080,
    upstreams: [{ host: 'web', port: 5000 }],
    accessLogFiles: ['/var/log/nginx/access.log'],
    errorLogFiles: ['/var/log/nginx/error.log'],
    setsDaemon: false,
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
  t.deepEqual(facts.upstreams, [{ host: 'api', port: 7000 }]);
  t.deepEqual(facts.accessLogFiles, ['/var/log/a b.log']);
  t.deepEqual(facts.errorLogFiles, []);
  t.true(facts.setsDaemon);
  t.is(readNginxConf('http { server { location / { proxy_pass http://web; } } }').upstreams[0]?.port, 80);
  t.is(readNginxConf('events {}').listenPort, 80);
});

test('the upstream: the flag wins; one named upstream is inferred; none or several ask for --upstream', (t) => {
  const one = readNginxConf('http { upstream web { server web:5000; } server { location / { proxy_pass http://web; } } }');
  t.deepEqual(chooseUpstream({ upstream: null, nginxFile: 'n.conf' }, one), { host: 'web', port: 5000 });
  t.deepEqual(chooseUpstream({ upstream: { host: 'app', port: 9 }, nginxFile: 'n.conf' }, one), { host: 'app', port: 9 });
  t.deepEqual(chooseUpstream({ upstream: null, nginxFile: null }, null), { host: 'app', port: 8000 });
  const none = readNginxConf('http { server { root /srv; } }');
  t.throws(() => chooseUpstream({ upstream: null, nginxFile: 'n.conf' }, none), { instanceOf: StackError, message: /no proxy_pass to a host:port found/ });
  const two = readNginxConf('http { server { location /a { proxy_pass http://a:1; } location /b { proxy_pass http://b:2; } } }');
  t.throws(() => chooseUpstream({ upstream: null, nginxFile: 'n.conf' }, two), { instanceOf: StackError, message: /several upstreams: a:1, b:2/ });
});

test('check flags: files must exist, the app is a folder with a module or an image, the path a URL path', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/download/report.bin' };
  const options = parseCheckOptions({ ...base, nginx: example('flask/nginx.conf'), 'gunicorn-args': '--workers 2 --access-logformat "%(s)s x"', header: ['Host: example.com'] });
  t.deepEqual(options.app, { kind: 'dir', dir: example('flask'), module: 'app:app' });
  t.deepEqual(options.gunicornArgs, ['--workers', '2', '--access-logformat', '%(s)s x']);
  t.deepEqual(options.headers, ['Host: example.com']);
  t.is(options.rateBytesPerS, null);
  t.is(options.stack, 'bookworm');
  const bad: Array<[Record<string, string | string[]>, RegExp]> = [
    [{ ...base, nginx: 'missing.conf' }, /--nginx missing\.conf: no such file/],
    [{ ...base, 'gunicorn-config': example('flask') }, /--gunicorn-config .*: is a folder, not a file/],
    [{ path: '/x' }, /check needs your app/],
    [{ ...base, 'app-image': 'x' }, /--app and --app-image both given/],
    [{ ...base, 'app-module': 'not a module' }, /--app-module not a module/],
    [{ ...base, path: 'download' }, /--path download: give the URL path of a large download, starting with \//],
    [{ ...base, rate: '10' }, /--rate 10: must be a size from 1 KiB to 1 GiB/],
    [{ ...base, header: ['NoColon'] }, /--header NoColon: must look like "Name: value"/],
    [{ ...base, upstream: 'web' }, /--upstream web: must be NAME:PORT/],
    [{ ...base, stack: 'buster' }, /--stack buster: must be one of bookworm, trixie, sid/],
  ];
  for (const [values, message] of bad) t.throws(() => parseCheckOptions(values), { instanceOf: UsageError, message }, JSON.stringify(values));
});

test('words split like a shell: quotes kept together', (t) => {
  t.deepEqual(splitWords(`gunicorn -c 'my conf.py' --name "a b" x:app`), ['gunicorn', '-c', 'my conf.py', '--name', 'a b', 'x:app']);
  t.deepEqual(splitWords(''), []);
});

test('the user stack: their files mounted read-only, the app under the upstream\'s name, Gunicorn told only where to bind and log', (t) => {
  const options = parseCheckOptions({ app: example('flask'), 'app-module': 'app:app', path: '/d', nginx: example('flask/nginx.conf'), 'gunicorn-config': example('flask/gunicorn-sync.conf.py') });
  const images = { app: 'lab-app', nginx: 'lab-nginx', client: 'lab-client' };
  const user = userStack(options, images);
  t.is(user.spec.app.alias, 'web');
  t.is(user.spec.app.port, 5000);
  t.deepEqual(user.spec.app.command, ['gunicorn', '--config', '/srv/lab/gunicorn.conf.py', '--chdir', '/srv/app', 'app:app']);
  t.deepEqual(user.spec.app.mounts?.map((m) => [m.target, m.mode]), [['/srv/app', 'ro'], ['/srv/lab/gunicorn.conf.py', 'ro']]);
  t.deepEqual(user.spec.nginx?.mounts, [{ source: example('flask/nginx.conf'), target: '/etc/nginx/nginx.conf', mode: 'ro' }]);
  t.deepEqual(user.spec.nginx?.command, ['nginx', '-g', 'daemon off; error_log stderr info;']);
  t.is(user.spec.nginx?.port, 8080);
  t.regex(gunicornEnv(5000).GUNICORN_CMD_ARGS ?? '', /^--bind 0\.0\.0\.0:5000 --error-logfile - --log-level info --access-logfile - --access-logformat 'access %\(s\)s %\(B\)s %\(D\)s "%\(r\)s"'$/);
  t.is(gunicornAppCommand({ ...options, app: { kind: 'image', image: 'mine', command: null } }), null);
});

test('Gunicorn --print-config read: worker class, workers, threads, timeout, bind', (t) => {
  const printed = ['access_log_format                 = %(h)s', 'bind                              = [\'0.0.0.0:5000\']', 'threads                           = 4', 'timeout                           = 2', 'worker_class                      = gthread', 'workers                           = 1'].join('\n');
  t.deepEqual(parsePrintConfig(printed), { workerClass: 'gthread', workers: 1, threads: 4, timeoutS: 2, bind: "['0.0.0.0:5000']" });
  t.deepEqual(parsePrintConfig(''), { workerClass: null, workers: null, threads: null, timeoutS: null, bind: null });
});

test('the slow rate lasts twice the timeout and two seconds more, never below 1 KiB/s', (t) => {
  t.is(checkRate(8 * 1024 * 1024, 2), Math.floor((8 * 1024 * 1024) / 6));
  t.is(checkRate(8 * 1024 * 1024, 30), Math.floor((8 * 1024 * 1024) / 62));
  t.is(checkRate(2048, 3600), 1024);
});

test('a user\'s access lines in the combined format, stamped with their own time', (t) => {
  const line = '172.18.0.3 - - [28/Nov/2026:06:30:05 +0000] "GET /download/report.bin HTTP/1.1" 200 3145728 "-" "lab-client"';
  t.is(logLineTime(line, new Date(0)).toISOString(), '2026-11-28T06:30:05.000Z');
  t.is(logLineTime('2026/11/28 06:30:06 [error] 7#7: *1 x', new Date(0)).toISOString(), '2026-11-28T06:30:06.000Z');
  t.is(logLineTime('no time here', new Date(5)).getTime(), 5);
  const [access] = parseNginxAccessLog(splitTimestamps(`2026-11-28T06:30:05.000Z ${line}\n`), Date.parse('2026-11-28T06:30:00Z'));
  t.deepEqual(access, { atMs: 5000, request: 'GET /download/report.bin HTTP/1.1', status: 200, bodyBytesSent: 3145728, requestTimeS: null, upstreamResponseTimeS: null, upstreamStatus: '' });
});

test('remedies: buffering turned on in a copy, or said to be on already; the raised timeout outlasts the slow download', (t) => {
  t.deepEqual(bufferingOn('location / { proxy_buffering  off ; }'), { text: 'location / { proxy_buffering  on ; }' });
  t.deepEqual(bufferingOn('location / { proxy_pass http://x; }'), { reason: 'your nginx.conf already buffers (no proxy_buffering off in it)' });
  t.deepEqual(remediesFor(2, true).map((r) => r.name), ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 18 s', 'proxy_buffering on']);
  t.deepEqual(remediesFor(30, false).map((r) => r.name), ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 130 s']);
  // The slow download lasts 2 × timeout + 2 s; the raised timeout is above it.
  t.true(4 * 30 + 10 > 2 * 30 + 2);
  t.regex(gunicornEnv(5000, ['--worker-class', 'gthread', '--threads', '4']).GUNICORN_CMD_ARGS ?? '', / --worker-class gthread --threads 4$/);
});

test('the remedy table lines up its columns and shows a dash for what was not measured', (t) => {
  const table = formatRemedyTable([
    { remedy: 'as it is', result: 'hurt', detail: 'WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200', gunicornBusyMs: null, appMemoryBytes: 64 * 1024 * 1024, secondRequestWaitMs: 2290, runDir: 'x' },
    { remedy: 'proxy_buffering on', result: 'not applicable', detail: 'already on', gunicornBusyMs: null, appMemoryBytes: null, secondRequestWaitMs: null, runDir: null },
  ]).split('\n');
  t.deepEqual(table, [
    'remedy              result          what the client got                     Gunicorn busy  app memory  second request waited',
    '──────────────────  ──────────────  ──────────────────────────────────────  ─────────────  ──────────  ─────────────────────',
    'as it is            hurt            WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200  –              64 MiB      2.29 s',
    'proxy_buffering on  not applicable  already on                              –              –           –',
  ]);
});

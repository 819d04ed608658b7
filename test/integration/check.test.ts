// `check` on the examples' stacks in real containers: the sync stack is hurt (exit 1), the gthread one is not
// (exit 0), a Django image of the user's own is hurt; a site file and a config folder on a Unix socket with three
// workers; a body cut but ended cleanly is caught; bad input exits 2.
import test from 'ava';
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureImages } from '../../src/images/build-images.ts';
import type { Release } from '../../src/lab/schema.ts';
import { PROJECT, PROJECT_LABEL } from '../../src/topology/names.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';
import { splitWords } from '../../src/check/check-options.ts';

const RELEASES_CHECKED: Release[] = ['bookworm', 'trixie'];
const flask = (...more: string[]) => ['check', '--nginx', 'examples/flask/nginx.conf', '--app', 'examples/flask', '--app-module', 'app:app', ...more];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-check-test-'));

// The Django example is a user's own image: built from its Dockerfile on the lab's Debian base.
async function buildDjangoImage(release: Release, dockerfile = 'Dockerfile'): Promise<string> {
  await ensureImages(release);
  const tag = `gunicorn-lab-example/django${dockerfile === 'Dockerfile' ? '' : `-${dockerfile.split('.').at(-1)}`}:${release}`;
  await execa(
    'docker',
    [
      'build',
      '-q',
      '--build-arg',
      `BASE=gunicorn-lab/base:${release}`,
      '--label',
      `${PROJECT_LABEL}=${PROJECT}`,
      '-f',
      `examples/django/${dockerfile}`,
      '-t',
      tag,
      'examples/django',
    ],
    { cwd: ROOT },
  );
  return tag;
}

test.serial('an image whose entrypoint is a script that ends in exec gunicorn: its settings read from the boot log, its own timeout used', async (t) => {
  const image = await buildDjangoImage('bookworm', 'Dockerfile.entrypoint');
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--nginx',
    'examples/django/nginx.conf',
    '--app-image',
    image,
    '--path',
    '/download/export.bin',
    '--json',
  ]);
  t.is(exitCode, 1, stderr);
  const result = JSON.parse(stdout) as CheckJson & { notes: string[]; gunicorn: { timeoutS: number } };
  t.is(result.gunicorn.timeoutS, 4, "the script's --timeout 4, not the 30 s default");
  t.regex(result.description, /gunicorn -k sync -w 1 --timeout 4/);
  t.true(
    result.notes.some((n) => n.startsWith("Gunicorn's settings read from its boot log")),
    JSON.stringify(result.notes),
  );
  t.true(result.observation.gunicorn.workerTimeouts >= 1);
});

interface CheckJson {
  verdict: { passed: boolean; checks: Array<{ name: string; passed: boolean; actual: string }> };
  reference: { status: number; bytesReceived: number };
  observation: {
    client: { outcome: string; bytesReceived: number; checksumMatches: boolean };
    gunicorn: { workerTimeouts: number; workerClass: string; server: string };
  };
  description: string;
  setup: string;
}

test.before(async () => {
  await requireDocker();
});

test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'check left containers, networks or volumes behind');
});

for (const release of RELEASES_CHECKED) {
  test.serial(`${release}: (a) Flask behind its nginx.conf, one sync worker: the slow client kills it, exit 1`, async (t) => {
    const { exitCode, stdout, stderr } = await runCli(
      flask('--gunicorn-config', 'examples/flask/gunicorn-sync.conf.py', '--path', '/download/report.bin', '--release', release, '--json'),
    );
    t.is(exitCode, 1, stderr);
    const result = JSON.parse(stdout) as CheckJson;
    t.is(result.reference.bytesReceived, 8 * 1024 * 1024);
    t.is(result.observation.gunicorn.workerClass, 'sync');
    t.true(result.observation.gunicorn.workerTimeouts >= 1);
    t.is(result.observation.client.outcome, 'truncated');
    t.is(result.setup, result.description, 'the old key, setup, stays readable');
    t.regex(result.description, /your nginx\.conf \(listen 8080, upstream web:5000\)/);
  });

  test.serial(`${release}: (b) the same stack with the gthread config survives, exit 0`, async (t) => {
    const { exitCode, stdout, stderr } = await runCli(
      flask('--gunicorn-config', 'examples/flask/gunicorn-gthread.conf.py', '--path', '/download/report.bin', '--release', release, '--json'),
    );
    t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
    const result = JSON.parse(stdout) as CheckJson;
    t.is(result.observation.gunicorn.workerClass, 'gthread');
    t.is(result.observation.gunicorn.workerTimeouts, 0);
    t.true(result.observation.client.checksumMatches);
  });

  test.serial(`${release}: (c) a Django FileResponse in the user's own image, one sync worker: exit 1`, async (t) => {
    const image = await buildDjangoImage(release);
    const { exitCode, stdout, stderr } = await runCli([
      'check',
      '--nginx',
      'examples/django/nginx.conf',
      '--app-image',
      image,
      '--path',
      '/download/export.bin',
      '--release',
      release,
      '--json',
    ]);
    t.is(exitCode, 1, stderr);
    const result = JSON.parse(stdout) as CheckJson;
    t.true(result.observation.gunicorn.workerTimeouts >= 1);
    t.false(result.observation.client.checksumMatches);
    t.regex(result.description, /image gunicorn-lab-example\/django/);
  });
}

test.serial(
  "--app-build: the Django example built from its own Dockerfile (the lab's base standing in for debian:bookworm-slim) is hurt as with --app-image, exit 1",
  async (t) => {
    const { exitCode, stdout, stderr } = await runCli([
      'check',
      '--nginx',
      'examples/django/nginx.conf',
      '--app-build',
      'examples/django',
      '--path',
      '/download/export.bin',
      '--json',
    ]);
    t.is(exitCode, 1, stderr);
    const result = JSON.parse(stdout) as CheckJson;
    t.regex(result.description, /image gunicorn-lab\/app-build:[0-9a-f]{12} \(built from examples\/django\/Dockerfile/);
    t.regex(stderr, /built your image gunicorn-lab\/app-build:/);
    t.true(result.observation.gunicorn.workerTimeouts >= 1);
    t.false(result.observation.client.checksumMatches);
  },
);

// uWSGI behind their Nginx's uwsgi_pass: its harakiri read from the image's command, its kill read from its own log.
for (const [conf, exit] of [
  ['nginx.conf', 1],
  ['nginx-buffered.conf', 0],
] as const) {
  test.serial(`--app-build: the uWSGI example behind uwsgi_pass (${conf}, uwsgi_buffering ${exit ? 'off' : 'on'}) exits ${exit}`, async (t) => {
    const { exitCode, stdout, stderr } = await runCli([
      'check',
      '--nginx',
      `examples/uwsgi/${conf}`,
      '--app-build',
      'examples/uwsgi',
      '--path',
      '/download/report.bin',
      '--json',
    ]);
    t.is(exitCode, exit, stderr);
    const result = JSON.parse(stdout) as CheckJson;
    t.regex(result.description, /uwsgi --processes 1 --harakiri 5 · your nginx\.conf \(listen 8080, upstream web:8000\)/);
    t.is(result.observation.gunicorn.server, 'uwsgi');
    if (exit) {
      t.true(result.observation.gunicorn.workerTimeouts >= 1, 'HARAKIRI read from the app container as its kill');
      t.false(result.observation.client.checksumMatches);
    } else {
      t.is(result.observation.gunicorn.workerTimeouts, 0);
      t.is(result.observation.client.outcome, 'complete');
    }
  });
}

// Servers with no timeout that kills a held request, read from the image's command line: nothing to outlast, so the
// crawl is short; Waitress buffers the response and frees its thread (a second request is answered at once), while
// Uvicorn runs the Flask app (wrapped by asgiref) in one shared thread that the slow download holds.
test.serial('--app-build: Waitress behind proxy_buffering off survives, said to have no timeout mechanism, exit 0', async (t) => {
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--nginx',
    'examples/waitress/nginx.conf',
    '--app-build',
    'examples/waitress',
    '--path',
    '/download/report.bin',
    '--json',
  ]);
  t.is(exitCode, 0, stderr);
  const result = JSON.parse(stdout) as CheckJson & { notes: string[] };
  t.regex(
    result.description,
    /Waitress --threads 2 \(no timeout mechanism: nothing kills a request a slow client holds; paced as for 10 s\) · your nginx\.conf/,
  );
  t.is(result.observation.gunicorn.server, 'waitress');
  t.is(result.observation.client.outcome, 'complete');
  t.false(
    result.notes.some((n) => n.includes('threads held')),
    result.notes.join('\n'),
  );
});

test.serial('--app-build --app-command: Uvicorn alone survives the crawl, but the download holds its one thread: said, exit 0', async (t) => {
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--app-build',
    'examples/waitress',
    '--app-command',
    'python3 -m uvicorn --host 0.0.0.0 --port 8000 asgi:app',
    '--path',
    '/download/report.bin',
    '--json',
  ]);
  t.is(exitCode, 0, stderr);
  const result = JSON.parse(stdout) as CheckJson & { notes: string[] };
  t.regex(result.description, /Uvicorn --workers 1 \(no timeout mechanism[^)]*\) · no nginx \(client → uvicorn\)/);
  t.is(result.observation.gunicorn.server, 'uvicorn');
  t.is(result.observation.gunicorn.workerTimeouts, 0);
  t.true(
    result.notes.some((n) => /^Uvicorn has no timeout mechanism, .* \(threads held\): a second request waited \d+\.\d\d s/.test(n)),
    result.notes.join('\n'),
  );
});

test.serial("--try-remedies on the uWSGI example: uWSGI's own remedies, its flags after the image's command, each survives", async (t) => {
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--nginx',
    'examples/uwsgi/nginx.conf',
    '--app-build',
    'examples/uwsgi',
    '--path',
    '/download/report.bin',
    '--try-remedies',
    '--json',
  ]);
  t.is(exitCode, 1, stderr);
  const { rows } = JSON.parse(stdout) as { rows: Array<{ remedy: string; result: string; detail: string; gunicornBusyMs: number | null }> };
  t.deepEqual(
    rows.map((r) => [r.remedy, r.result]),
    [
      ['as it is', 'hurt'],
      ['offload threads (--offload-threads 1)', 'survived'],
      ['harakiri raised to 30 s', 'survived'],
      ['uwsgi_buffering on', 'survived'],
    ],
    JSON.stringify(rows),
  );
  t.regex(rows[0]!.detail, /^HARAKIRI ×\d/, "the kill in uWSGI's word");
  // The raised harakiri survives by holding the worker for the whole download; buffering frees it at once.
  const [raised, buffered] = [rows[2]!, rows[3]!];
  t.true((raised.gunicornBusyMs ?? 0) > 10 * (buffered.gunicornBusyMs ?? Infinity), JSON.stringify([raised, buffered]));
  t.regex(readFileSync(path.join(ROOT, 'examples/uwsgi/nginx.conf'), 'utf8'), /uwsgi_buffering off;/, 'their file untouched');
});

test.serial('a streamed body cut by the kill but ended cleanly by Nginx (HTTP/1.0 upstream) is caught against the reference', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(
    flask('--gunicorn-config', 'examples/flask/gunicorn-sync.conf.py', '--path', '/download/report-stream.bin'),
  );
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /client transfer ends: expected complete, observed complete/);
  t.regex(stdout, /✘ body checksum matches the file: expected matches, observed differs/);
  t.regex(stdout, /The client saw a clean end of the body, yet [\d.]+ MiB of 8 MiB are missing/);
});

// The layout deployment guides use: a site file with `include proxy_params;`, Gunicorn on a Unix socket made
// group-only (-m 007) with three workers, its flags given as written (they start with dashes).
const SOCKET_ARGS = '--workers 3 --timeout 5 --bind unix:/run/app/gunicorn.sock -m 007';
const site = (nginx: string, ...more: string[]) => [
  'check',
  '--nginx',
  nginx,
  '--app',
  'examples/flask',
  '--app-module',
  'app:app',
  '--gunicorn-args',
  SOCKET_ARGS,
  '--path',
  '/download/report.bin',
  ...more,
];

test.serial('a site file, proxy_params, a Unix socket and three sync workers: one worker killed and replaced, exit 1', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(site('examples/flask/site-socket.conf'));
  t.is(exitCode, 1, `${stdout}\n${stderr}`);
  t.regex(
    stdout,
    /^Description: .*gunicorn -k sync -w 3 --timeout 5 · your site file in the image's stock nginx\.conf \(listen 80, upstream unix:\/run\/app\/gunicorn\.sock\) · app in group www-data/m,
  );
  t.regex(stdout, /WORKER TIMEOUT \(pid \d+\) at [\d.]+ s; 1 replacement worker booted;/);
  t.regex(stdout, /answered in [\d.]+ ms by another worker \(3 were up\)/);
  t.regex(stderr, /checking your files with nginx -T \(site file\) and the app server's own settings/);
});

// A site with Nginx's default buffering: the slow client never reaches a worker, exit 0 with the whole body.
const buffered = test.macro(async (t, file: string) => {
  const { exitCode, stdout, stderr } = await runCli(site(file, '--json'));
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as CheckJson;
  t.is(result.observation.gunicorn.workerTimeouts, 0);
  t.true(result.observation.client.checksumMatches);
});

test.serial(
  "the same site with Nginx's default buffering: the slow client never reaches a worker, exit 0",
  buffered,
  'examples/flask/site-socket-buffered.conf',
);

// A site as certbot leaves it: HTTPS (http2) on 443 with Let's Encrypt's files that only the server has, port 80
// redirecting. Checked as it is: stand-ins for /etc/letsencrypt/, TLS with SNI to the server that proxies.
test.serial(
  'a certbot-shaped HTTPS site (redirect server, listen 443 ssl http2, letsencrypt includes), a sync worker behind proxy_buffering off: exit 1 over TLS',
  async (t) => {
    const { exitCode, stdout, stderr } = await runCli(site('examples/flask/site-tls.conf', '--json'));
    t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
    const result = JSON.parse(stdout) as CheckJson & { runDir: string };
    t.regex(
      result.description,
      /your site file in the image's stock nginx\.conf \(listen 443 ssl, TLS to shop\.example\.com, upstream unix:\/run\/app\/gunicorn\.sock\) · stand-ins for \/etc\/letsencrypt\/, which only your server has: a self-signed pair made for the run as live\/shop\.example\.com\/fullchain\.pem, live\/shop\.example\.com\/privkey\.pem; certbot's stock options-ssl-nginx\.conf, ssl-dhparams\.pem/,
    );
    t.is(result.reference.bytesReceived, 8 * 1024 * 1024, 'the reference came whole over TLS');
    t.true(result.observation.gunicorn.workerTimeouts >= 1);
    t.false(result.observation.client.checksumMatches);
    // The client spoke TLS to port 443, with the site's name as SNI.
    const lab = readFileSync(path.join(result.runDir, 'lab.json'), 'utf8');
    t.regex(lab, /"--port",\s*"443",\s*"--tls",\s*"--sni",\s*"shop\.example\.com"/);
  },
);

test.serial("the same certbot-shaped site with Nginx's default buffering: exit 0 over TLS", buffered, 'examples/flask/site-tls-buffered.conf');

test.serial(
  "a config folder (nginx.conf, sites-enabled/, a snippet with proxy_buffering off) over the image's /etc/nginx: exit 1; buffering turned on in a copy of the snippet survives",
  async (t) => {
    const { exitCode, stdout, stderr } = await runCli(site('examples/flask/etc-nginx', '--try-remedies', '--json'));
    t.is(exitCode, 1, stderr);
    const { description, setup, rows } = JSON.parse(stdout) as { description: string; setup: string; rows: Array<{ remedy: string; result: string }> };
    t.is(setup, description, 'the old key, setup, stays readable');
    t.regex(description, /your config folder over the image's \/etc\/nginx \(listen 8000, upstream unix:\/run\/app\/gunicorn\.sock\)/);
    t.deepEqual(
      rows.map((r) => [r.remedy, r.result]),
      [
        ['as it is', 'hurt'],
        ['gevent worker', 'survived'],
        ['gthread worker, 4 threads', 'survived'],
        // Their own --timeout 5 is on the command line: the remedy's comes after it, so it takes.
        ['timeout raised to 30 s', 'survived'],
        ['proxy_buffering on', 'survived'],
      ],
    );
    t.regex(readFileSync(path.join(ROOT, 'examples/flask/etc-nginx/snippets/proxy-app.conf'), 'utf8'), /proxy_buffering off;/, 'their snippet untouched');
  },
);

const badInput = test.macro(async (t, args: string[], message: RegExp) => {
  const { exitCode, stdout, stderr } = await runCli(args);
  t.is(exitCode, 2, `${stdout}\n${stderr}`);
  t.regex(stderr, message);
});

function writeScratch(file: string, text: string): string {
  const full = path.join(scratch, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

test.serial(
  'bad input: a missing file names it',
  badInput,
  flask('--gunicorn-config', 'nope.conf.py', '--path', '/x'),
  /error: --gunicorn-config nope\.conf\.py: no such file/,
);
test.serial(
  'bad input: an nginx.conf that fails nginx -t is quoted with its line',
  badInput,
  flask(
    '--nginx',
    writeScratch('typo/nginx.conf', readFileSync(path.join(ROOT, 'examples/flask/nginx.conf'), 'utf8').replace('proxy_buffering off', 'proxy_bufering off')),
    '--path',
    '/download/report.bin',
  ),
  /nginx -t rejects .*typo\/nginx\.conf \(mounted as \/etc\/nginx\/nginx\.conf\):\n {2}\| .*unknown directive "proxy_bufering" in \/etc\/nginx\/nginx\.conf:29/,
);
test.serial(
  'bad input: a Gunicorn config that does not load is quoted',
  badInput,
  flask('--gunicorn-config', writeScratch('broken.conf.py', 'workers = 1\ntimeout = = 2\n'), '--path', '/download/report.bin'),
  /Gunicorn cannot load your Gunicorn config[^]*SyntaxError: invalid syntax/,
);
test.serial(
  "bad input: an app that does not import is quoted with the traceback's last lines",
  badInput,
  ['check', '--app', path.dirname(writeScratch('badapp/app.py', 'import nonexistent_module\napp = None\n')), '--app-module', 'app:app', '--path', '/x'],
  /Your app needs packages the lab's image lacks[^]*ModuleNotFoundError: No module named 'nonexistent_module'[^]*hint: Use --app-build DIR/,
);
test.serial(
  "bad input: --app-build with a Dockerfile that fails: its build lines quoted, the fix in the user's words",
  badInput,
  ['check', '--app-build', path.dirname(writeScratch('badbuild/Dockerfile', 'FROM gunicorn-lab/base:bookworm\nRUN exit 7\n')), '--path', '/x'],
  /Building image gunicorn-lab\/app-build:[0-9a-f]{12} failed:[^]*returned a non-zero code: 7\nhint: Fix your Dockerfile/,
);
test.serial(
  'bad input: an upstream name the nginx.conf does not use',
  badInput,
  flask('--upstream', 'ghost:5000', '--path', '/download/report.bin'),
  /host not found in upstream "web:5000"[^]*pass --upstream NAME:PORT/,
);
test.serial(
  'bad input: a path that answers 404',
  badInput,
  flask('--path', '/nope'),
  /GET \/nope through your Nginx \(port 8080\) answered 404[^]*give the URL path of a large download/i,
);
test.serial('bad input: a tiny body', badInput, flask('--path', '/health'), /answered 200 with only 3 B[^]*Give the URL of a large download/);
test.serial(
  'bad input: --upload to a path that takes no upload: its 405 quoted',
  badInput,
  [
    'check',
    '--nginx',
    'examples/flask/nginx-upload-buffered.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--path',
    '/download/report.bin',
    '--upload',
    '2m',
  ],
  /POST 2 MiB to \/download\/report\.bin through your Nginx \(port 8080\) answered 405 even unthrottled:\n[^]*Method Not Allowed[^]*hint: Give the URL path of an endpoint that takes the upload/,
);
test.serial(
  "bad input: --upload over Nginx's client_max_body_size: its 413 quoted, the limit named",
  badInput,
  flask('--path', '/upload/report', '--upload', '2m'),
  /answered 413 even unthrottled:[^]*hint: Nginx refuses a body over its client_max_body_size/,
);
test.serial(
  'bad input: --upload under 1 MiB',
  badInput,
  flask('--path', '/upload/report', '--upload', '100k'),
  /--upload 100k: must be a size from 1 MiB[^]*never holds a worker/,
);
test.serial(
  'bad input: a config folder without nginx.conf',
  badInput,
  ['check', '--nginx', 'examples/flask/etc-nginx/snippets', '--app', 'examples/flask', '--app-module', 'app:app', '--path', '/download/report.bin'],
  /--nginx .*snippets: a folder without nginx\.conf\.\nhint: Give the folder laid out like \/etc\/nginx/,
);
test.serial(
  "bad input: a site file that includes a file neither it nor the image has: Nginx's own line quoted",
  badInput,
  site(
    writeScratch(
      'missing-include.conf',
      'server {\n    listen 80;\n    location / {\n        include snippets/missing.conf;\n        proxy_pass http://unix:/run/app/gunicorn.sock;\n    }\n}\n',
    ),
  ),
  /open\(\) "\/etc\/nginx\/snippets\/missing\.conf" failed \(2: No such file or directory\) in \/etc\/nginx\/sites-enabled\/missing-include\.conf:4\nhint: Your config includes a file that neither it nor the Nginx image has/,
);
test.serial(
  'bad input: Nginx and Gunicorn name different sockets: both are said',
  badInput,
  [
    'check',
    '--nginx',
    'examples/flask/site-socket.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--gunicorn-args',
    '--bind unix:/run/gunicorn.sock',
    '--path',
    '/download/report.bin',
  ],
  /Your Nginx config proxies to unix:\/run\/app\/gunicorn\.sock, but Gunicorn binds unix:\/run\/gunicorn\.sock\./,
);
test.serial(
  'bad input: an image that is not there',
  badInput,
  ['check', '--app-image', 'gunicorn-lab-example/none:1', '--path', '/x'],
  /No image gunicorn-lab-example\/none:1 on this Docker engine/,
);

test.serial('--try-remedies on (a): the table shows which remedies fix it and what the raised timeout costs', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(
    flask('--gunicorn-config', 'examples/flask/gunicorn-sync.conf.py', '--path', '/download/report.bin', '--try-remedies', '--json'),
  );
  t.is(exitCode, 1, stderr);
  const { rows } = JSON.parse(stdout) as { rows: Array<{ remedy: string; result: string; gunicornBusyMs: number | null; secondRequestWaitMs: number | null }> };
  const row = (prefix: string) => rows.find((r) => r.remedy.startsWith(prefix));
  t.deepEqual(
    rows.map((r) => r.remedy),
    ['as it is', 'gevent worker', 'gthread worker, 4 threads', 'timeout raised to 18 s', 'proxy_buffering on'],
  );
  t.is(row('as it is')?.result, 'hurt');
  t.true(rows.filter((r) => r.result === 'survived').length >= 1, JSON.stringify(rows));
  t.is(row('proxy_buffering on')?.result, 'survived');
  // The raised timeout survives by holding the worker: Gunicorn is busy for the whole download and a second
  // request waits for it, where buffering frees Gunicorn at once.
  const raised = row('timeout raised');
  const buffered = row('proxy_buffering on');
  t.is(raised?.result, 'survived');
  t.true((raised?.gunicornBusyMs ?? 0) > 10 * (buffered?.gunicornBusyMs ?? Infinity), JSON.stringify([raised, buffered]));
  t.true((raised?.secondRequestWaitMs ?? 0) > 2000 && (buffered?.secondRequestWaitMs ?? Infinity) < 1000, JSON.stringify([raised, buffered]));
  // Their file is untouched; the changed copy lives beside the runs.
  t.regex(readFileSync(path.join(ROOT, 'examples/flask/nginx.conf'), 'utf8'), /proxy_buffering off;/);
});

test.serial(
  "check --upload: a slow body through Nginx with request buffering off kills the sync worker, exit 1; Nginx's default takes it, exit 0",
  async (t) => {
    const upload = (conf: string) => [
      'check',
      '--nginx',
      `examples/flask/${conf}`,
      '--app',
      'examples/flask',
      '--app-module',
      'app:app',
      '--gunicorn-config',
      'examples/flask/gunicorn-sync.conf.py',
      '--path',
      '/upload/report',
      '--upload',
      '8m',
      '--json',
    ];
    const hurt = await runCli(upload('nginx-upload.conf'));
    t.is(hurt.exitCode, 1, hurt.stderr);
    const run = JSON.parse(hurt.stdout) as {
      observation: { gunicorn: { workerTimeouts: number }; client: { status: number | null; method: string }; upload: { sizeBytes: number } };
    };
    t.true(run.observation.gunicorn.workerTimeouts >= 1);
    t.is(run.observation.client.method, 'POST');
    t.is(run.observation.upload.sizeBytes, 8 * 1024 * 1024);
    t.not(run.observation.client.status, 200);
    const took = await runCli(upload('nginx-upload-buffered.conf'));
    t.is(took.exitCode, 0, took.stderr);
  },
);

test.serial("check --keep leaves the user's stack up on 127.0.0.1 with a command that reproduces it; down check removes it", async (t) => {
  const { exitCode, stdout, stderr } = await runCli(
    flask('--gunicorn-config', 'examples/flask/gunicorn-sync.conf.py', '--path', '/download/report.bin', '--keep'),
  );
  try {
    t.is(exitCode, 1, stderr);
    t.regex(stdout, /^check is up \(run \S+\) at http:\/\/127\.0\.0\.1:\d+ — 127\.0\.0\.1 only\./m);
    const inside = /^ {2}(docker exec .* --summary)$/m.exec(stdout)?.[1] ?? '';
    const [command, ...args] = splitWords(inside);
    const repro = await execa(command ?? 'docker', args, { reject: false });
    t.regex(repro.stdout, /^HTTP 200, truncated: \d+ bytes of 8388608/, `${repro.stdout}${repro.stderr}`);
    t.regex((await runCli(['status'])).stdout, /^check {2}http:\/\/127\.0\.0\.1:\d+ {2}up /m);
  } finally {
    t.regex((await runCli(['down', 'check'])).stdout, /^Took down check/);
  }
});

// --capacity: slow clients added until the health probe stalls. Three sync workers on a Unix socket behind the site's
// `proxy_buffering off`, at Gunicorn's default timeout (longer than the search: no worker is lost).
const CAPACITY_ARGS = '--workers 3 --bind unix:/run/app/gunicorn.sock -m 007';
const capacitySite = (nginx: string, ...more: string[]) =>
  site(nginx, '--capacity', '--json', ...more).map((word) => (word === SOCKET_ARGS ? CAPACITY_ARGS : word));
interface CapacityJson {
  capacity: {
    held: number;
    cap: number;
    stalledAt: number | null;
    probeWaitMs: number | null;
    workerTimeouts: number;
    heldBy: string | null;
    probePath: string;
  };
  verdict: { passed: boolean };
  description: string;
  setup: string;
}

test.serial('check --capacity on three sync workers behind proxy_buffering off: 2 held, the probe stalls at 3, exit 1 (it wants 4)', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(capacitySite('examples/flask/site-socket.conf'));
  t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as CapacityJson;
  t.like(result.capacity, { held: 2, cap: 64, stalledAt: 3, workerTimeouts: 0, heldBy: 'app', probePath: '/health' });
  t.true(result.capacity.probeWaitMs! > 1000);
  t.regex(
    result.description,
    /gunicorn -k sync -w 3 --timeout 30 · .* · capacity search: up to 64 slow clients at 16 KiB\/s each, probe \/health or \/ping or \/ within 1 s/,
  );
  t.regex(stderr, /capacity: 2 slow client\(s\), probe [\d.]+ s: held\ncapacity: 4 slow client\(s\), probe [\d.]+ s: stalled/);
});

test.serial("check --capacity on the same site with Nginx's default buffering: Nginx holds every slow client up to the cap asked, exit 0", async (t) => {
  const { exitCode, stdout, stderr } = await runCli(capacitySite('examples/flask/site-socket-buffered.conf', '--capacity-max', '16'));
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  t.like((JSON.parse(stdout) as CapacityJson).capacity, { held: 16, cap: 16, stalledAt: null, heldBy: 'front' });
});

test.serial(
  'bad input: --capacity with a probe path that answers 404 before any slow client',
  badInput,
  flask('--gunicorn-config', 'examples/flask/gunicorn-sync.conf.py', '--path', '/download/report.bin', '--capacity', '--probe', '/nope'),
  /The probe was not answered in time with a status below 400 before any slow client \(GET \/download\/report\.bin through your Nginx \(port 8080\)\):\n {2}\/nope: 404[^]*Give --probe a cheap path your app answers with 200/,
);
test.serial('bad input: --capacity-max out of range, --capacity with --upload', async (t) => {
  for (const [args, message] of [
    [['--capacity', '--capacity-max', '513'], /--capacity-max 513: the most slow clients to open, a whole number from 1 to 512/],
    [['--capacity', '--capacity-max', '0'], /--capacity-max 0/],
    [['--capacity', '--upload', '8m'], /--capacity counts slow readers of a download; --upload sends one slow body/],
  ] as const) {
    const { exitCode, stderr } = await runCli(flask('--path', '/download/report.bin', ...args));
    t.is(exitCode, 2, stderr);
    t.regex(stderr, message);
  }
});

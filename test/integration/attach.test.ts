// `check --attach` on a stack started with the docker CLI, as a user's docker compose would start it: a sync app is
// hurt (exit 1), a gthread one is not (exit 0), and their containers are still running, untouched (same ids, same
// start times) afterwards; bad input names the network, container or URL at fault.
import test from 'ava';
import { execa } from 'execa';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { ensureImages } from '../../src/images/build-images.ts';
import { buildUserImage, userImageTag } from '../../src/images/user-image.ts';
import { PROJECT_LABEL } from '../../src/topology/names.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';

const NETWORK = `userstack-${process.pid}_default`;
const WEB = `userstack-${process.pid}-web-1`;
const NGINX = `userstack-${process.pid}-nginx-1`;
// Their own buffers, as small as a lab's: with Docker's defaults the 8 MiB file would fit in them (the check says so).
const PINNED = ['--sysctl', 'net.ipv4.tcp_wmem=4096 65536 131072', '--sysctl', 'net.ipv4.tcp_rmem=4096 65536 131072'];
// Their containers come from the lab's images, which carry the project's label: theirs is overridden, as a user's
// own image has none of ours.
const THEIRS = ['--label', `${PROJECT_LABEL}=user-stack`];

const docker = (...args: string[]) => execa('docker', args, { cwd: ROOT, stdin: 'ignore' });

// Their Nginx with their config, beside their app on their network.
async function startNginx(image: string, nginxConf: string): Promise<void> {
  await docker(
    'run',
    '-d',
    '--name',
    NGINX,
    '--network',
    NETWORK,
    '--network-alias',
    'nginx',
    ...PINNED,
    ...THEIRS,
    '-v',
    `${path.join(ROOT, nginxConf)}:/etc/nginx/nginx.conf:ro`,
    image,
    'nginx',
    '-g',
    'daemon off;',
  );
}

async function startUserStack(gunicornFlags: string[], nginxConf = 'examples/flask/nginx.conf'): Promise<void> {
  const images = await ensureImages('bookworm');
  await docker('network', 'create', NETWORK);
  await docker(
    'run',
    '-d',
    '--name',
    WEB,
    '--network',
    NETWORK,
    '--network-alias',
    'web',
    ...PINNED,
    ...THEIRS,
    '-v',
    `${path.join(ROOT, 'examples/flask')}:/srv/app:ro`,
    '--entrypoint',
    '/usr/bin/env',
    images.app,
    'gunicorn',
    '--chdir',
    '/srv/app',
    '-b',
    '0.0.0.0:5000',
    ...gunicornFlags,
    'app:app',
  );
  await startNginx(images.nginx, nginxConf);
}

async function removeUserStack(): Promise<void> {
  await execa('docker', ['rm', '-f', WEB, NGINX], { reject: false });
  await execa('docker', ['network', 'rm', NETWORK], { reject: false });
}

const identity = async () => (await docker('inspect', '-f', '{{.Id}} {{.State.Running}} {{.State.StartedAt}} {{.RestartCount}}', WEB, NGINX)).stdout;
const attach = (...more: string[]) => [
  'check',
  '--attach',
  NETWORK,
  '--url',
  'http://nginx:8080/download/report.bin',
  '--app-container',
  WEB,
  '--proxy-container',
  NGINX,
  ...more,
];

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  await removeUserStack();
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'check left containers, networks or volumes behind');
});

test.serial('a sync worker already running behind its Nginx: the slow client joins, the worker is killed, exit 1; their containers untouched', async (t) => {
  await startUserStack(['-w', '1', '--timeout', '3']);
  const before = await identity();
  const { exitCode, stdout, stderr } = await runCli(attach('--json'));
  t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as {
    description: string;
    setup: string;
    notes: string[];
    observation: { gunicorn: { workerTimeouts: number }; client: { outcome: string } };
    attached: { timeoutFrom: string };
  };
  t.true(result.observation.gunicorn.workerTimeouts >= 1);
  t.is(result.observation.client.outcome, 'truncated');
  t.is(result.attached.timeoutFrom, 'command line');
  t.regex(result.description, /attached to network .* · app container .* \(gunicorn -w 1 --timeout 3, from its command line\)/);
  t.true(
    result.notes.some((n) => n.includes('wrote nothing to its Docker log')),
    'their Nginx logs to files: said',
  );
  t.is(await identity(), before, 'their containers: same ids, still running, same start time, no restart');
});

test.serial(
  '--capacity on a stack already running: two gthread threads hold one slow client (the probe takes the other); their containers untouched',
  async (t) => {
    await startUserStack(['-k', 'gthread', '--threads', '2', '--timeout', '60']);
    const before = await identity();
    const { exitCode, stdout, stderr } = await runCli(attach('--capacity', '--capacity-max', '8', '--json'));
    // One more than the one worker is wanted: one slow client held is not enough.
    t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
    const result = JSON.parse(stdout) as { capacity: { held: number; stalledAt: number | null; cap: number; workerTimeouts: number } };
    t.like(result.capacity, { held: 1, stalledAt: 2, cap: 8, workerTimeouts: 0 });
    t.is(await identity(), before, 'their containers: same ids, still running, same start time, no restart');
  },
);

test.serial('a gthread worker already running: exit 0; their containers untouched', async (t) => {
  await startUserStack(['-k', 'gthread', '--threads', '4', '--timeout', '3']);
  const before = await identity();
  const { exitCode, stdout, stderr } = await runCli(attach());
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  t.is(await identity(), before);
});

test.serial('--upload on a stack already running: a slow body through Nginx with request buffering off kills the sync worker, exit 1', async (t) => {
  await startUserStack(['-w', '1', '--timeout', '3'], 'examples/flask/nginx-upload.conf');
  const before = await identity();
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--attach',
    NETWORK,
    '--url',
    'http://nginx:8080/upload/report',
    '--app-container',
    WEB,
    '--proxy-container',
    NGINX,
    '--upload',
    '8m',
    '--json',
  ]);
  t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as { description: string; observation: { gunicorn: { workerTimeouts: number }; client: { method: string } } };
  t.true(result.observation.gunicorn.workerTimeouts >= 1);
  t.is(result.observation.client.method, 'POST');
  t.regex(result.description, /POST 8 MiB to http:\/\/nginx:8080\/upload\/report · client writes its body at a crawl/);
  t.is(await identity(), before);
});

// Their own image (an example's Dockerfile, built as check --app-build builds it) behind their Nginx, started as above.
async function startImageStack(example: string, nginxConf: string): Promise<void> {
  const image = userImageTag(path.join(ROOT, example));
  await buildUserImage({ context: path.join(ROOT, example), dockerfile: 'Dockerfile' }, 'bookworm', () => undefined);
  const images = await ensureImages('bookworm');
  await docker('network', 'create', NETWORK);
  await docker('run', '-d', '--name', WEB, '--network', NETWORK, '--network-alias', 'web', ...PINNED, ...THEIRS, image);
  await startNginx(images.nginx, nginxConf);
  // Their servers take a moment to listen; check's own reference download would say "nothing answers" before that.
  for (let i = 0; i < 50 && (await docker('logs', WEB)).stderr.search(/spawned uWSGI worker|Serving on http/) < 0; i += 1) await setTimeout(200);
}

test.serial(
  "uWSGI already running behind its Nginx's uwsgi_pass (buffering off): its harakiri read from its command line, its HARAKIRI from its log, exit 1",
  async (t) => {
    await startImageStack('examples/uwsgi', 'examples/uwsgi/nginx.conf');
    const before = await identity();
    const { exitCode, stdout, stderr } = await runCli(attach('--json'));
    t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
    const result = JSON.parse(stdout) as {
      description: string;
      observation: { gunicorn: { server: string; workerTimeouts: number }; client: { outcome: string } };
    };
    t.regex(result.description, /app container .* \(uwsgi --processes 1 --harakiri 5, from its command line\)/);
    t.is(result.observation.gunicorn.server, 'uwsgi');
    t.true(result.observation.gunicorn.workerTimeouts >= 1, 'HARAKIRI read as the kill');
    t.is(result.observation.client.outcome, 'truncated');
    t.is(await identity(), before);
  },
);

test.serial('Waitress already running behind Nginx with buffering off: no timeout to outlast, nothing killed, exit 0', async (t) => {
  await startImageStack('examples/waitress', 'examples/waitress/nginx.conf');
  const before = await identity();
  const { exitCode, stdout, stderr } = await runCli(attach('--json'));
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as {
    description: string;
    observation: { gunicorn: { server: string; workerTimeouts: number }; client: { outcome: string } };
    attached: { timeoutFrom: string };
  };
  t.regex(result.description, /\(Waitress --threads 2, no timeout mechanism: nothing kills a request a slow client holds; paced as for 10 s\)/);
  t.is(result.attached.timeoutFrom, 'no timeout');
  t.is(result.observation.gunicorn.server, 'waitress');
  t.is(result.observation.client.outcome, 'complete');
  t.is(await identity(), before);
});

test.serial('bad input: a network, a container or a URL that is not there, each named', async (t) => {
  await startUserStack(['-w', '1', '--timeout', '3']);
  const cases: Array<[string[], RegExp]> = [
    [['check', '--attach', 'no-such-network', '--url', 'http://nginx:8080/x', '--app-container', WEB], /--attach no-such-network: no such Docker network/],
    [
      ['check', '--attach', NETWORK, '--url', 'http://nginx:8080/x', '--app-container', 'no-such-container'],
      /--app-container no-such-container: no such container/,
    ],
    [
      ['check', '--attach', 'bridge', '--url', 'http://nginx:8080/x', '--app-container', WEB],
      new RegExp(`--app-container ${WEB} is not on the network bridge \\(it is on: ${NETWORK}\\)`),
    ],
    [
      ['check', '--attach', NETWORK, '--url', 'http://ghost:8080/download/report.bin', '--app-container', WEB],
      /--url http:\/\/ghost:8080\/download\/report\.bin: nothing answers at ghost:8080 on the network/,
    ],
  ];
  for (const [args, message] of cases) {
    const { exitCode, stdout, stderr } = await runCli(args);
    t.is(exitCode, 2, `${stdout}\n${stderr}`);
    t.regex(stderr, message);
    t.deepEqual(await leftovers(), NOTHING_LEFT, args.join(' '));
  }
});

// What the labs turn into: Gunicorn and client command lines, the tc shaping, the rendered nginx.conf, names.
import test from 'ava';
import { clientCommand, clientMaxSeconds, estimatedTransferS } from '../../src/client/client-command.ts';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { FRAME_OVERHEAD, PROBE_PORTS, shapingParams, throttleCommand } from '../../src/client/throttle.ts';
import { LAB_SYSCTLS } from '../../src/topology/sysctls.ts';
import { validateLab } from '../../src/lab/schema.ts';
import { gunicornCommand } from '../../src/topology/gunicorn-command.ts';
import { containerName, newRunId, ownPidNamespace, runLabels } from '../../src/topology/names.ts';
import { renderNginxConfig } from '../../src/topology/nginx-config.ts';
import { labStack } from '../../src/topology/lab-stack.ts';
import { reproduceFiles } from '../../src/report/reproduce-script.ts';
import { attachFlagValues } from '../../src/commands/attach-flag-values.ts';
import { inUsersWords } from '../../src/project-root.ts';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { readNginxSource } from '../../src/check/nginx-source.ts';
import { readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { userStack } from '../../src/check/user-stack.ts';

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

test('gunicorn: gthread gets its threads, uvicorn the ASGI app', (t) => {
  const gthread = gunicornCommand(lab({ gunicorn: { worker: 'gthread', threads: 4 } }).gunicorn);
  t.is(gthread[gthread.indexOf('--threads') + 1], '4');
  const uvicorn = gunicornCommand(lab({ gunicorn: { worker: 'uvicorn' } }).gunicorn);
  t.true(uvicorn.includes('uvicorn.workers.UvicornWorker'));
  t.is(uvicorn.at(-1), 'asgi:app');
});

test('gunicorn: eventlet boots without its green DNS module, the other workers with their own environment', (t) => {
  const images = { app: 'app-image', nginx: 'nginx-image', client: 'client-image' };
  t.is(labStack(lab({ gunicorn: { worker: 'eventlet' } }), images).app.env?.EVENTLET_NO_GREENDNS, 'yes');
  for (const worker of ['sync', 'gthread', 'gevent', 'uvicorn']) {
    t.false('EVENTLET_NO_GREENDNS' in (labStack(lab({ gunicorn: { worker } }), images).app.env ?? {}), worker);
  }
});

test('tc shaping pays for frame overhead so the payload arrives at the asked rate', (t) => {
  const { rateBitsPerS, burstBytes } = shapingParams(1024 * 1024);
  t.is(rateBitsPerS, Math.round(1024 * 1024 * 8 * FRAME_OVERHEAD));
  t.true(rateBitsPerS > 1024 * 1024 * 8 * 1.04 && rateBitsPerS < 1024 * 1024 * 8 * 1.05);
  t.is(burstBytes, 16 * 1024);
  t.is(shapingParams(100 * 1024 * 1024).burstBytes, Math.ceil((100 * 1024 * 1024) / 100));
});

test('throttle: network shapes, reader and unthrottled do not', (t) => {
  t.deepEqual(throttleCommand(lab().client)?.slice(0, 1), ['/client/throttle.sh']);
  t.is(throttleCommand(lab({ client: { throttle: 'reader' } }).client), null);
  t.is(throttleCommand(lab({ client: { rateBytesPerS: null } }).client), null);
});

test('client: reader mode paces the reads, network mode does not', (t) => {
  const readRate = (cmd: string[]) => cmd[cmd.indexOf('--read-rate') + 1];
  t.is(readRate(clientCommand(labPlan(lab()), { host: 'nginx', port: 80 })), '0');
  t.is(readRate(clientCommand(labPlan(lab({ client: { throttle: 'reader' } })), { host: 'nginx', port: 80 })), String(1024 * 1024));
});

test('client: gives a healthy slow download twice its expected time', (t) => {
  t.is(clientMaxSeconds(labPlan(lab())), 8 * 2 + 15);
  t.is(clientMaxSeconds(labPlan(lab({ client: { rateBytesPerS: null } }))), 60);
  t.is(clientMaxSeconds(labPlan(lab({ client: { maxSeconds: 5 } }))), 5);
});

test('matrix order: a transfer is estimated from file and rate, cut at the expected kill and the client limit', (t) => {
  t.is(estimatedTransferS(lab({ expect: { workerTimeout: false } })), 8, '8 MiB at 1 MiB/s');
  t.is(estimatedTransferS(lab()), 2 + 2, 'killed at the 2 s timeout, plus the buffers draining');
  t.is(estimatedTransferS(lab({ gunicorn: { timeoutS: null }, fileSizeBytes: 64 * 1024 * 1024 })), 32, "Gunicorn's own 30 s");
  t.is(estimatedTransferS(lab({ client: { rateBytesPerS: null }, expect: { workerTimeout: false } })), 1, 'a fast client');
  t.is(estimatedTransferS(lab({ client: { maxSeconds: 3 }, expect: { workerTimeout: false } })), 3, 'the client gives up first');
});

test('nginx.conf follows proxyBuffering and the upstream HTTP version, and logs JSON', (t) => {
  const off = renderNginxConfig({ proxyBuffering: false, proxyHttpVersion: '1.1', proxyRequestBuffering: true });
  t.regex(off, /proxy_http_version 1\.1;\n\s+proxy_set_header Connection "";/);
  const http10 = renderNginxConfig({ proxyBuffering: false, proxyHttpVersion: '1.0', proxyRequestBuffering: false });
  t.regex(http10, /proxy_http_version 1\.0;/);
  t.notRegex(http10, /proxy_set_header Connection/);
  t.regex(http10, /proxy_request_buffering off;/);
  t.notRegex(off, /proxy_request_buffering/, "Nginx's default: the body read whole first");
  t.regex(off, /client_max_body_size 0;/);
  t.regex(off, /proxy_buffering off;/);
  t.regex(off, /log_format lab escape=json/);
  t.regex(off, /set \$app_upstream http:\/\/app:8000;/);
  t.regex(off, /location \/protected\/ \{\s+internal;/);
  t.notRegex(off, /proxy_max_temp_file_size|proxy_read_timeout|send_timeout/);
  const tuned = renderNginxConfig({
    proxyBuffering: true,
    proxyHttpVersion: '1.1',
    proxyRequestBuffering: true,
    maxTempFileSizeBytes: 1048576,
    proxyReadTimeoutS: 300,
    sendTimeoutS: 300,
  });
  t.regex(tuned, /proxy_buffering on;/);
  t.regex(tuned, /proxy_max_temp_file_size 1048576;/);
  t.regex(tuned, /proxy_read_timeout 300s;/);
  t.regex(tuned, /\n {4}send_timeout 300s;/);
});

test('names and labels identify lab, role and run', (t) => {
  const runId = newRunId(new Date('2026-11-27T04:50:12Z'));
  t.regex(runId, /^20261127-045012-[0-9a-f]{4}$/);
  t.is(containerName('proxy-buffering-off', 'app', runId), `lab-proxy-buffering-off-app-${runId}`);
  t.deepEqual(runLabels('x', runId, 'nginx', 42), {
    'gunicorn-lab.project': 'gunicorn-slow-client-lab',
    'gunicorn-lab.lab': 'x',
    'gunicorn-lab.run': runId,
    'gunicorn-lab.owner-pid': '42',
    'gunicorn-lab.owner-pid-ns': ownPidNamespace()!,
    'gunicorn-lab.role': 'nginx',
  });
  t.regex(ownPidNamespace() ?? '', /^pid:\[\d+\]$/);
  // A stack kept up on purpose has no owner: only `down` and `clean` remove it.
  t.like(runLabels('x', runId, 'app', 42, { since: '2026-11-28T06:00:00.000Z' }), {
    'gunicorn-lab.owner-pid': '0',
    'gunicorn-lab.kept-since': '2026-11-28T06:00:00.000Z',
  });
});

test("a lab's stack is confined: no capability added anywhere, read-only roots, its config on Nginx's tmpfs; reproduce.sh says the same", (t) => {
  const resolved = lab({ nginx: { proxyBuffering: false } });
  const spec = labStack(resolved, { app: 'app-image', nginx: 'nginx-image', client: 'client-image' });
  for (const role of [spec.app, spec.nginx!, spec.client]) {
    t.deepEqual(role.confinement.capAdd, [], role.alias);
    t.true(role.confinement.readOnlyRoot, role.alias);
    t.truthy(role.confinement.user, role.alias);
  }
  const conf = spec.nginx!.files![0]!;
  t.true(
    spec.nginx!.confinement.tmpfs.some((dir) => conf.target.startsWith(`${dir}/`)),
    'the config file lies on a tmpfs',
  );
  // Nginx in the foreground, its temp-file sampler beside it (a subshell started first).
  t.deepEqual(spec.nginx!.command?.slice(0, 2), ['/bin/sh', '-c']);
  // The engine's DNS server goes into a copy of the rendered config (read-only where reproduce.sh mounts it), then the
  // temp sampler and Nginx start.
  t.regex(
    spec.nginx!.command![2]!,
    /^sed "s\/@resolver@\/\$\(awk '\/\^nameserver\/ \{ print \$2; exit \}' \/etc\/resolv\.conf\)\/" \/run\/lab\/nginx\.conf > \/run\/lab\/nginx\.resolved\.conf \|\| exit 1; \(base=; peak=-1; while :; do set -- \$\(stat -f -c '%b %f %S' \/var\/lib\/nginx\);.* > \/run\/lab\/nginx-temp-peak; fi; sleep 0\.2; done\) & exec nginx -c \/run\/lab\/nginx\.resolved\.conf$/,
  );
  t.regex(renderNginxConfig(lab().nginx!), /resolver @resolver@ valid=10s ipv6=off;/);
  t.is(spec.nginx!.tempPeakFile, '/run/lab/nginx-temp-peak');
  t.is(spec.nginx!.ready, null, 'ready once it accepts connections, waited for from the client');
  const script = reproduceFiles({
    name: 'x',
    runId: 'r',
    spec,
    clientCommand: ['python3', '/client/client.py'],
    throttle: ['/client/throttle.sh', '1', '2'],
  }).files.find((f) => f.path === 'reproduce.sh')!.text;
  t.is(script.match(/--cap-drop ALL/g)?.length, 4, 'app, nginx, client and the shaper drop every capability');
  t.is(script.match(/--cap-add /g)?.length, 1, 'only the shaper adds one back');
  t.regex(script, /docker run --rm --network "container:\$run-client" --cap-drop ALL --cap-add NET_ADMIN .*client-image \/client\/throttle\.sh 1 2/);
  t.regex(script, /--user lab[^]*--read-only[^]*--tmpfs \/tmp:uid=1000,gid=1000[^]*app-image/);
  t.regex(script, /--user www-data[^]*--tmpfs \/run\/lab:uid=33,gid=33[^]*-v "\$here\/stack\/nginx\.conf":\/run\/lab\/nginx\.conf:ro/);
  t.false(/--privileged|--publish| -p /.test(script), 'nothing privileged, nothing published');
  t.is(script.match(/ >\/dev\/null &\n/g)?.length, 3, 'the three containers start at once');
  t.regex(script, /docker exec "\$run-client" python3 \/client\/wait-ready\.py nginx 80 - 30/);
  t.regex(script, /for pid in \$started; do wait "\$pid"; done\ndocker run --rm --network "container:/, 'every start is waited for before the throttle');
});

test('reproduce.sh of a run on Podman: the podman CLI throughout, its tmpfs option, limits and data volume owner', (t) => {
  const spec = labStack(lab(), { app: 'app-image', nginx: 'nginx-image', client: 'client-image' });
  const script = reproduceFiles({
    name: 'x',
    runId: 'r',
    spec,
    clientCommand: ['python3', '/client/client.py'],
    throttle: ['/client/throttle.sh', '1', '2'],
    engine: 'podman',
  }).files.find((f) => f.path === 'reproduce.sh')!.text;
  t.false(/\bdocker (run|rm|exec|logs|network|volume)\b/.test(script), 'no docker command left');
  t.is(script.match(/podman run -d/g)?.length, 3);
  t.regex(script, /podman run --rm --network "container:\$run-client" --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --cap-drop ALL --cap-add NET_ADMIN/);
  t.regex(script, /--user lab[^]*--tmpfs \/tmp:U\b/);
  t.false(/uid=1000,gid=1000 \\/.test(script), 'no uid= on a tmpfs: Podman refuses it');
  t.regex(script, /podman volume create .* --opt o=uid=1000,gid=1000 "\$run-data"/);
  // Only what it made: Podman's rm removes nothing where one of its names does not exist.
  t.regex(
    script,
    /cleanup\(\) \{ podman rm -f "\$run-app" "\$run-nginx" "\$run-client" >\/dev\/null 2>&1 \|\| true; podman network rm "\$net" .*; podman volume rm "\$run-data" >/,
  );
  t.regex(script, /podman logs "\$run-app"/);
});

test('side requests come from ports the throttle leaves unshaped, below the ephemeral range the download draws from', (t) => {
  const probing = lab({ client: { probes: [{ path: '/ping', afterMs: 1000 }] } });
  t.deepEqual(throttleCommand(probing.client)?.slice(3), [String(PROBE_PORTS.base)]);
  const cmd = clientCommand(labPlan(probing), { host: 'nginx', port: 80 });
  t.is(cmd[cmd.indexOf('--probe-port-base') + 1], String(PROBE_PORTS.base));
  // Without probes nothing is exempt.
  t.is(throttleCommand(lab().client)?.length, 3);
  t.false(clientCommand(labPlan(lab()), { host: 'nginx', port: 80 }).includes('--probe-port-base'));
  // tc matches the base with mask 0xfff0: 16 ports, aligned, all below the first ephemeral port.
  t.is(PROBE_PORTS.base % 16, 0);
  t.is(PROBE_PORTS.count, 16);
  const [low] = LAB_SYSCTLS['net.ipv4.ip_local_port_range']!.split(' ').map(Number);
  t.true(PROBE_PORTS.base + PROBE_PORTS.count <= low!);
});

test('a string flag takes a value that starts with dashes, as a shell user writes it', (t) => {
  const flags = { 'gunicorn-args': { type: 'string' }, keep: { type: 'boolean' } } as const;
  t.deepEqual(attachFlagValues(['--gunicorn-args', '--workers 3 --timeout 5', '--keep'], flags), ['--gunicorn-args=--workers 3 --timeout 5', '--keep']);
  t.deepEqual(attachFlagValues(['--gunicorn-args', '-w 3'], flags), ['--gunicorn-args=-w 3']);
  t.deepEqual(attachFlagValues(['--keep', '--gunicorn-args', 'x'], flags), ['--keep', '--gunicorn-args', 'x'], 'other values as they were');
  t.deepEqual(attachFlagValues(['--', '--gunicorn-args', '-x'], flags), ['--', '--gunicorn-args', '-x'], 'nothing after --');
  t.deepEqual(attachFlagValues(['--keep', '--other'], flags), ['--keep', '--other'], 'a boolean takes no value');
});

test('help and hints name the commands as this copy is run: npm run lab here, npx gunicorn-lab where installed', (t) => {
  const hint = 'Run `npm run lab -- check --help`; `npm run clean` removes it; then `npm run setup -- --stack trixie`.';
  t.is(inUsersWords(hint, false), hint);
  t.is(inUsersWords(hint, true), 'Run `npx gunicorn-lab check --help`; `npx gunicorn-lab clean` removes it; then `npx gunicorn-lab setup --stack trixie`.');
});

test('reproduce.sh of a Unix-socket stack: the socket volume on tmpfs shared by app and Nginx, the app ready by its boot line', (t) => {
  const options = parseCheckOptions({
    app: 'examples/flask',
    'app-module': 'app:app',
    path: '/d',
    nginx: 'examples/flask/site-socket.conf',
    'gunicorn-args': '--bind unix:/run/app/gunicorn.sock -m 007',
  });
  const source = readNginxSource(options.nginxPath!);
  const files = new Map([['/etc/nginx/nginx.conf', 'user www-data; events {} http { include /etc/nginx/sites-enabled/*; }'], ...source.files]);
  const { spec } = userStack(options, { app: 'app-image', nginx: 'nginx-image', client: 'client-image' }, { source, facts: readNginxConf(files), files });
  const script = reproduceFiles({ name: 'check', runId: 'r', spec, clientCommand: ['python3', '/client/client.py'], throttle: null }).files.find(
    (f) => f.path === 'reproduce.sh',
  )!.text;
  t.regex(script, /docker volume create .* --opt type=tmpfs --opt device=tmpfs --opt o=mode=1777,size=1m "\$run-socket"/);
  t.is(script.match(/-v "\$run-socket":\/run\/app:rw/g)?.length, 2, 'mounted in the app and in Nginx');
  t.regex(script, /--user lab:www-data/);
  t.regex(script, /until docker logs "\$run-app" 2>&1 \| grep -q 'Booting worker'; do sleep 0\.2; done/);
  t.regex(script, /docker volume rm "\$run-socket" >/, 'only the volume it made: no data volume in a check');
  t.notRegex(script, /wait-ready\.py app /);
});

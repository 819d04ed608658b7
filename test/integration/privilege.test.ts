// Least privilege, read off running containers: a lab's stack (`up`) and a user's stack (`check --keep`) are
// inspected and looked into. No --privileged, every capability dropped and none added back, no new privileges,
// non-root Gunicorn and Nginx processes, read-only roots, limits, 127.0.0.1 only, the pinned sysctls in effect,
// and the client shaped although it holds no capability (its throttle ran in a throwaway container).
import test, { type ExecutionContext } from 'ava';
import { shapingParams } from '../../src/client/throttle.ts';
import { getDocker } from '../../src/docker/docker-client.ts';
import { execStreaming } from '../../src/topology/exec-streaming.ts';
import { LAB_LABEL, PROJECT, PROJECT_LABEL, ROLE_LABEL } from '../../src/topology/names.ts';
import { LAB_SYSCTLS } from '../../src/topology/sysctls.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { runCli } from './helpers/run-cli.ts';
import { exampleA } from './helpers/example-a.ts';

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  await runCli(['down']);
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'up/check --keep left containers, networks or volumes behind');
});

interface Proc {
  pid: number;
  name: string;
  uid: number;
  capEff: string;
  noNewPrivs: string;
}

// Every process in the container, from /proc (the images have no ps): name, real uid, effective capabilities.
async function processes(id: string): Promise<Proc[]> {
  const script =
    'for s in /proc/[0-9]*/status; do awk \'/^Name:/{n=$2} /^Pid:/{p=$2} /^Uid:/{u=$2} /^CapEff:/{c=$2} /^NoNewPrivs:/{x=$2} END{print p, n, u, c, x}\' "$s" 2>/dev/null; done';
  const { stdout } = await execStreaming(id, ['sh', '-c', script]);
  return (
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .map(([pid, name, uid, capEff, noNewPrivs]) => ({
        pid: Number(pid),
        name: name ?? '',
        uid: Number(uid),
        capEff: capEff ?? '',
        noNewPrivs: noNewPrivs ?? '',
      }))
      // The awk and sh of this very exec are not the container's own processes.
      .filter((p) => p.name !== 'awk' && p.name !== 'sh')
  );
}

async function containersOf(lab: string): Promise<Map<string, string>> {
  const list = await getDocker().listContainers({ filters: { label: [`${PROJECT_LABEL}=${PROJECT}`, `${LAB_LABEL}=${lab}`] } });
  return new Map(list.map((c) => [c.Labels[ROLE_LABEL] ?? '?', c.Id]));
}

async function assertConfined(t: ExecutionContext, role: string, id: string, expect: { readOnlyRoot: boolean; capAdd: string[] }): Promise<void> {
  const info = await getDocker().getContainer(id).inspect();
  const host = info.HostConfig;
  t.false(host.Privileged, `${role}: privileged`);
  t.deepEqual(host.CapDrop, ['ALL'], `${role}: capabilities not all dropped`);
  t.deepEqual(host.CapAdd ?? [], expect.capAdd, `${role}: capabilities added back`);
  t.true((host.SecurityOpt ?? []).includes('no-new-privileges:true'), `${role}: no-new-privileges missing (${host.SecurityOpt})`);
  t.is(host.ReadonlyRootfs, expect.readOnlyRoot, `${role}: read-only root`);
  t.true((host.Memory ?? 0) > 0 && (host.Memory ?? 0) <= 2 * 1024 ** 3, `${role}: memory limit ${host.Memory}`);
  t.true((host.PidsLimit ?? 0) > 0 && (host.PidsLimit ?? 0) <= 1024, `${role}: pids limit ${host.PidsLimit}`);
  // `up` and `check --keep` publish the target (Nginx): the loop below then has a binding to look at.
  if (role === 'nginx') t.true(Object.values(host.PortBindings ?? {}).flat().length >= 1, `${role}: nothing published`);
  for (const [port, bindings] of Object.entries(host.PortBindings ?? {})) {
    for (const binding of (bindings as Array<{ HostIp: string }> | null) ?? []) t.is(binding.HostIp, '127.0.0.1', `${role}: ${port} published beyond loopback`);
  }
  // The sysctls asked for, and in effect inside.
  t.deepEqual(host.Sysctls, LAB_SYSCTLS, `${role}: sysctls`);
  for (const [key, value] of Object.entries(LAB_SYSCTLS)) {
    const { stdout } = await execStreaming(id, ['cat', `/proc/sys/${key.replace(/\./g, '/')}`]);
    t.is(stdout.trim().split(/\s+/).join(' '), value, `${role}: ${key} inside the container`);
  }
  if (expect.readOnlyRoot) {
    const write = await execStreaming(id, ['sh', '-c', 'echo x > /etc/lab-write-test']);
    t.not(write.exitCode, 0, `${role}: wrote to its root filesystem`);
    t.regex(write.stderr, /Read-only file system/, `${role}: ${write.stderr}`);
  }
}

test.serial("a lab's stack: no capability anywhere, no new privileges, non-root Gunicorn and Nginx, read-only roots, limits, sysctls", async (t) => {
  const up = await runCli(['up', 'proxy-buffering-off']);
  t.is(up.exitCode, 0, up.stderr);
  const ids = await containersOf('proxy-buffering-off');
  t.deepEqual([...ids.keys()].sort(), ['app', 'client', 'nginx'], 'the shaper is gone once the client is shaped');
  for (const [role, id] of ids) {
    await assertConfined(t, role, id, { readOnlyRoot: true, capAdd: [] });
    const procs = await processes(id);
    t.true(procs.length > 0, `${role}: no processes read`);
    for (const p of procs) {
      t.not(p.uid, 0, `${role}: ${p.name} (pid ${p.pid}) runs as root`);
      t.is(p.capEff, '0000000000000000', `${role}: ${p.name} holds capabilities ${p.capEff}`);
      t.is(p.noNewPrivs, '1', `${role}: ${p.name} may gain privileges`);
    }
    if (role === 'app') t.true(procs.filter((p) => p.name === 'gunicorn').length >= 2, `app: a Gunicorn master and worker: ${JSON.stringify(procs)}`);
    if (role === 'nginx') t.true(procs.filter((p) => p.name === 'nginx').length >= 2, `nginx: a master and a worker: ${JSON.stringify(procs)}`);
  }
  // Shaped all the same: the tbf on ifb0 that the throwaway shaper installed in the client's network namespace.
  const qdisc = await execStreaming(ids.get('client')!, ['tc', 'qdisc', 'show', 'dev', 'ifb0']);
  const kbit = Math.floor(shapingParams(1024 * 1024).rateBitsPerS / 1000);
  t.regex(qdisc.stdout, new RegExp(`qdisc tbf .* rate ${kbit}Kbit`), qdisc.stdout + qdisc.stderr);
});

test.serial('every other front runs as www-data with no capability, on a read-only root, within its limits', async (t) => {
  const programs: Record<string, string[]> = {
    'front-caddy': ['caddy'],
    'front-haproxy': ['haproxy'],
    'front-apache': ['apache2'],
    'front-varnish': ['varnishd', 'cache-main'],
  };
  for (const [lab, names] of Object.entries(programs)) {
    const up = await runCli(['up', lab]);
    t.is(up.exitCode, 0, up.stderr);
    const front = (await containersOf(lab)).get('front');
    t.truthy(front, `${lab}: no front container`);
    await assertConfined(t, `${lab} front`, front!, { readOnlyRoot: true, capAdd: [] });
    const procs = await processes(front!);
    for (const name of names)
      t.true(
        procs.some((p) => p.name === name),
        `${lab}: no ${name} among ${JSON.stringify(procs)}`,
      );
    for (const p of procs) {
      t.is(p.uid, 33, `${lab}: ${p.name} (pid ${p.pid}) is not www-data`);
      t.is(p.capEff, '0000000000000000', `${lab}: ${p.name} holds capabilities ${p.capEff}`);
      t.is(p.noNewPrivs, '1', `${lab}: ${p.name} may gain privileges`);
    }
    await runCli(['down', lab]);
  }
});

test.serial(
  "a user's stack (check --keep): Nginx as they wrote it, its master alone keeps CHOWN, DAC_OVERRIDE, SETUID, SETGID, workers not root",
  async (t) => {
    const { exitCode, stderr } = await runCli(exampleA('--keep'));
    t.is(exitCode, 1, stderr);
    const ids = await containersOf('check');
    t.deepEqual([...ids.keys()].sort(), ['app', 'client', 'nginx']);
    await assertConfined(t, 'app', ids.get('app')!, { readOnlyRoot: true, capAdd: [] });
    await assertConfined(t, 'client', ids.get('client')!, { readOnlyRoot: true, capAdd: [] });
    await assertConfined(t, 'nginx', ids.get('nginx')!, { readOnlyRoot: false, capAdd: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'] });
    for (const p of await processes(ids.get('app')!)) t.not(p.uid, 0, `app: ${p.name} runs as root`);
    const nginx = (await processes(ids.get('nginx')!)).filter((p) => p.name === 'nginx');
    const [master, ...workers] = nginx.sort((a, b) => a.pid - b.pid);
    t.is(master?.uid, 0, 'their nginx.conf names `user www-data`: the master starts as root to switch to it');
    t.true(workers.length >= 1 && workers.every((w) => w.uid === 33 && w.capEff === '0000000000000000'), JSON.stringify(workers));
  },
);

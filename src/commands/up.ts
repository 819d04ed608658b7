// `up`, `status`, `logs`, `down`: a lab's stack kept up to poke at, published on 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { clientCommand } from '../client/client-command.ts';
import { settleThrottle, throttleCommand } from '../client/throttle.ts';
import { engineKind } from '../docker/docker-client.ts';
import { ensureImages } from '../images/build-images.ts';
import { loadLab } from '../lab/load-lab.ts';
import type { Overrides } from '../lab/overrides.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { openRun } from '../run-session.ts';
import { labPlan, type TransferPlan } from '../client/transfer-plan.ts';
import { findKeptStack, keptLogs, listKeptStacks, takeDown, type KeptStack } from '../topology/kept-stacks.ts';
import { labStack } from '../topology/lab-stack.ts';
import type { Topology } from '../topology/start-topology.ts';

// The most the host's own sockets hold on the way (its receive buffer's ceiling, twice: curl's socket and
// docker-proxy's, plus a send buffer): a file no larger never holds the worker when fetched from the host.
export function hostBufferBytes(tcpRmem: string, tcpWmem: string): number {
  const max = (text: string) => Number(text.trim().split(/\s+/)[2] ?? 0);
  return 2 * max(tcpRmem) + max(tcpWmem);
}

export function readHostBuffers(): number | null {
  try {
    return hostBufferBytes(readFileSync('/proc/sys/net/ipv4/tcp_rmem', 'utf8'), readFileSync('/proc/sys/net/ipv4/tcp_wmem', 'utf8'));
  } catch {
    return null;
  }
}

const shellQuote = (word: string) => (/^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`);

// What `up` prints: where the stack is, and two ways to reproduce the lab's outcome by hand.
export function describeUp(
  name: string,
  plan: TransferPlan,
  topology: Pick<Topology, 'published' | 'containers' | 'target' | 'runId'>,
  hostBuffers: number | null,
): string {
  const { client, expectedBytes } = plan;
  // A TLS entrance (a certbot site) is asked with https, its stand-in certificate not verified (-k), its name as SNI.
  const tls = topology.target.tls;
  const url = topology.published ? `${tls ? 'https' : 'http'}://${topology.published.host}:${topology.published.port}` : '(not published)';
  const inside = [engineKind(), 'exec', topology.containers.client?.name ?? '', ...clientCommand(plan, topology.target), '--summary'].map(shellQuote).join(' ');
  const rate = client.rateBytesPerS;
  const sni =
    tls?.serverName && topology.published
      ? ` -k --connect-to ${tls.serverName}:${topology.published.port}:${topology.published.host}:${topology.published.port}`
      : tls
        ? ' -k'
        : '';
  const curlUrl = tls?.serverName && topology.published ? `https://${tls.serverName}:${topology.published.port}` : url;
  const curl = `curl -sS${sni} -o /dev/null --max-time ${Math.ceil(expectedBytes / (rate ?? expectedBytes)) + 5}${rate ? ` --limit-rate ${rate}` : ''} -w '%{http_code} %{size_download}\\n' ${curlUrl}${client.path}`;
  const fits = hostBuffers !== null && expectedBytes <= hostBuffers;
  return [
    `${name} is up (run ${topology.runId}) at ${url} — 127.0.0.1 only.`,
    '',
    'Reproduce the lab from its own client (inside the stack: its throttle and pinned socket buffers):',
    `  ${inside}`,
    '',
    'From this host with curl:',
    `  ${curl}`,
    fits
      ? `  Note: the ${formatBytes(expectedBytes)} file fits in this host's socket buffers (up to ${formatBytes(hostBuffers!)} on the way), so curl here gets it all and the worker is never held. Run \`up\` with --file-size ${formatBytes(
          Math.ceil((hostBuffers! * 1.5) / (1024 * 1024)) * 1024 * 1024,
        )
          .replace(' MiB', 'm')
          .replace(' GiB', 'g')} to reproduce from the host.`
      : hostBuffers === null
        ? "  Note: the host's socket buffers are unknown here; a file smaller than them is swallowed before the worker is held."
        : `  The file (${formatBytes(expectedBytes)}) is larger than this host's socket buffers (${formatBytes(hostBuffers)}): the worker is held and killed as in the lab.`,
    '',
    `Then: npm run lab -- logs ${name} app   (WORKER TIMEOUT?)   ·   npm run lab -- status   ·   npm run lab -- down ${name}`,
  ].join('\n');
}

export async function upCommand(name: string, overrides: Overrides, log: (line: string) => void): Promise<number> {
  const { lab } = await loadLab(name, overrides);
  const images = await ensureImages(lab.release, log, lab.front !== null);
  const session = await openRun(name);
  try {
    // Tracked while it starts, so Ctrl-C then removes it; once up, it is no longer this process's to remove.
    const plan = labPlan(lab);
    const topology = await session.start(labStack(lab, images), { shapingCommand: throttleCommand(plan.client), keep: true, publish: true });
    // A throttle the kernel refused: the commands printed pace the reader instead (or, asked for by name, nothing stays up).
    const { plan: ran, fallback } = settleThrottle(plan, topology.shaping);
    session.keepUp();
    if (fallback) log(`${name}: ${fallback}`);
    process.stdout.write(`${describeUp(name, ran, topology, readHostBuffers())}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

const age = (since: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
};

export function formatStatus(stacks: readonly KeptStack[]): string {
  if (!stacks.length) return "Nothing is up. Start a lab's stack with `npm run lab -- up <lab>`.";
  return stacks
    .map((s) => `${s.lab}  ${s.url ?? '(not published)'}  up ${age(s.since)}  run ${s.runId}  ${s.containers.map((c) => `${c.role}:${c.state}`).join(' ')}`)
    .join('\n');
}

export async function statusCommand(): Promise<number> {
  process.stdout.write(`${formatStatus(await listKeptStacks())}\n`);
  return 0;
}

export async function logsCommand(lab: string | undefined, role = 'app'): Promise<number> {
  if (!lab) throw new UsageError('logs needs a lab: npm run lab -- logs <lab> [app|nginx|front|client].');
  if (!['app', 'nginx', 'front', 'client'].includes(role)) throw new UsageError(`logs ${lab} ${role}: the role must be one of app, nginx, front, client.`);
  const stack = await findKeptStack(lab);
  if (!stack) throw new UsageError(`Nothing of ${lab} is up.`, '`npm run lab -- status` lists what is up; `npm run lab -- up <lab>` starts a stack.');
  const text = await keptLogs(stack, role);
  if (text === null) throw new UsageError(`${lab} has no ${role} container (run ${stack.runId}).`);
  process.stdout.write(text);
  return 0;
}

export async function downCommand(lab: string | undefined): Promise<number> {
  const stacks = (await listKeptStacks()).filter((s) => !lab || s.lab === lab);
  const removed = await takeDown(stacks);
  const containers = removed.flatMap((r) => r.containers);
  process.stdout.write(
    stacks.length
      ? `Took down ${stacks.map((s) => `${s.lab} (run ${s.runId})`).join(', ')}: ${containers.length} container(s), their networks and volumes.\n`
      : `Nothing${lab ? ` of ${lab}` : ''} was up.\n`,
  );
  return 0;
}

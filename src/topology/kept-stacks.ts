// Stacks left up on purpose (`up`, `--keep`): found by their labels, listed, their logs read, taken down.
import { getDocker } from '../docker/docker-client.ts';
import { demuxDockerLog } from '../docker/docker-log.ts';
import { KEPT_LABEL, LAB_LABEL, PROJECT, PROJECT_LABEL, ROLE_LABEL, RUN_LABEL } from './names.ts';
import { removeRun, type Removed } from './teardown.ts';

export interface KeptStack {
  lab: string;
  runId: string;
  since: string;
  url: string | null;
  containers: Array<{ role: string; name: string; state: string }>;
}

export async function listKeptStacks(): Promise<KeptStack[]> {
  const containers = await getDocker().listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${PROJECT}`, KEPT_LABEL] } });
  const stacks = new Map<string, KeptStack>();
  for (const c of containers) {
    const runId = c.Labels[RUN_LABEL] ?? '?';
    const stack = stacks.get(runId) ?? { lab: c.Labels[LAB_LABEL] ?? '?', runId, since: c.Labels[KEPT_LABEL] ?? '', url: null, containers: [] };
    // The one port published (on 127.0.0.1) is the stack's URL.
    const published = c.Ports.find((p) => p.PublicPort);
    if (published) stack.url = `http://${published.IP || '127.0.0.1'}:${published.PublicPort}`;
    stack.containers.push({ role: c.Labels[ROLE_LABEL] ?? '?', name: c.Names[0]?.replace(/^\//, '') ?? c.Id, state: c.State });
    stacks.set(runId, stack);
  }
  return [...stacks.values()].sort((a, b) => a.since.localeCompare(b.since));
}

// The newest kept stack of a lab, or null.
export async function findKeptStack(lab: string): Promise<KeptStack | null> {
  return (await listKeptStacks()).filter((s) => s.lab === lab).at(-1) ?? null;
}

export async function keptLogs(stack: KeptStack, role: string): Promise<string | null> {
  const container = stack.containers.find((c) => c.role === role);
  if (!container) return null;
  const buffer = (await getDocker().getContainer(container.name).logs({ stdout: true, stderr: true, timestamps: false })) as unknown as Buffer;
  const { stdout, stderr } = demuxDockerLog(buffer);
  return `${stdout}${stderr}`;
}

export async function takeDown(stacks: readonly KeptStack[]): Promise<Removed[]> {
  return Promise.all(stacks.map((s) => removeRun(s.runId)));
}

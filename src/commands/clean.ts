// `clean`: removes what killed runs and `up` left (only runs whose process is gone, unless --force).
import { requireDocker } from '../docker/docker-client.ts';
import { removeLeftovers } from '../topology/active-runs.ts';

export async function cleanCommand(force: boolean): Promise<number> {
  await requireDocker();
  const { containers, networks, volumes, running } = await removeLeftovers({ force });
  const names = [...containers, ...networks, ...volumes];
  process.stdout.write(
    `Removed ${containers.length} container(s), ${networks.length} network(s) and ${volumes.length} volume(s)${names.length ? `: ${names.join(', ')}` : ''}.\n` +
      (running.length ? `Left ${running.length} run(s) whose process is still going (${running.join(', ')}); \`clean --force\` removes them too.\n` : ''),
  );
  return 0;
}

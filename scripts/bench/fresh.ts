// A fresh clone to the main lab's verdict, the release's images removed first.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getDocker } from '../../src/docker/docker-client.ts';
import type { Release } from '../../src/lab/schema.ts';
import { seconds } from './format.ts';

// A fresh machine to the main lab's verdict, as the README's first command runs it: a new clone (no node_modules, no
// compiled CLI), the release's images removed (the base too), then `npm run setup && npm run lab -- proxy-buffering-off`.
// The engine stays as it is (a bench does not stop the user's engine): where it must start, setup prints that step's
// time, about a second here. npm installs from this machine's npm cache.
export const FRESH_TARGET_S = 45;
export interface FreshSetup {
  ms: number;
  removedImages: number;
  steps: Record<string, number>;
  exitCode: number;
}

export async function measureFreshMachine(release: Release): Promise<FreshSetup> {
  const docker = getDocker();
  // The release's lab images, and its bootstrapped base with every image built on it (the fronts', the tests'
  // example images): by their parents, as the builder records them, the deepest first, since Docker refuses to remove
  // an image that others are built on.
  const images = await docker.listImages({ all: true });
  const ours = images.filter((i) => (i.RepoTags ?? []).some((tag) => /^gunicorn-lab\/(app|nginx|client):/.test(tag) && tag.includes(`:${release}`)));
  const levels: string[][] = [];
  const base = images.find((i) => (i.RepoTags ?? []).includes(`gunicorn-lab/base:${release}`));
  for (let level = base ? [base.Id] : []; level.length > 0; level = images.filter((i) => level.includes(i.ParentId)).map((i) => i.Id)) levels.push(level);
  const doomed = [...new Set([...ours.map((i) => i.Id), ...levels.reverse().flat()])];
  for (const id of doomed)
    await docker
      .getImage(id)
      .remove({ force: true })
      .catch(() => undefined);
  const left = (await docker.listImages({ filters: { reference: [`gunicorn-lab/base:${release}`] } })).length;
  if (left > 0)
    throw new Error(`gunicorn-lab/base:${release} could not be removed (an image built on it without a recorded parent?): the fresh measure needs it gone`);
  const clone = await mkdtemp(path.join(tmpdir(), 'gunicorn-lab-fresh-'));
  try {
    await execa('git', ['clone', '--quiet', process.cwd(), clone]);
    const started = Date.now();
    const releaseArgs = release === 'bookworm' ? '' : ` --release ${release}`;
    const { all, exitCode } = await execa(
      'sh',
      ['-c', `npm run setup --silent --${releaseArgs} && npm run lab --silent -- proxy-buffering-off${releaseArgs}`],
      { cwd: clone, all: true, reject: false, stdin: 'ignore' },
    );
    const ms = Date.now() - started;
    if (exitCode !== 0) throw new Error(`the fresh clone's set-up and lab exited ${exitCode}:\n${(all ?? '').slice(-1500)}`);
    // setup's own step lines: "✔ npm dependencies (9 s)", "✔ container engine (1.1 s): …", "✔ images for bookworm (40.2 s): …"
    const steps = Object.fromEntries([...(all ?? '').matchAll(/^✔ (.+?) \((\d+(?:\.\d+)?) s\)/gm)].map((m) => [m[1]!, Number(m[2])]));
    return {
      ms,
      removedImages: images.filter((i) => doomed.includes(i.Id) && (i.RepoTags ?? []).some((tag) => tag !== '<none>:<none>')).length,
      steps,
      exitCode: exitCode ?? 0,
    };
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

export function freshText(release: Release, fresh: FreshSetup | undefined): string {
  if (!fresh) return 'fresh machine: skipped (--no-cold)';
  const steps = Object.entries(fresh.steps)
    .map(([step, s]) => `${step} ${s} s`)
    .join(', ');
  return `fresh clone, ${release} images removed, engine running, to the main lab's verdict (\`npm run setup && npm run lab -- proxy-buffering-off\`): ${seconds(fresh.ms)} s (target ≤ ${FRESH_TARGET_S} s; where the engine must start too, setup's own step adds about a second here); its steps: ${steps}`;
}

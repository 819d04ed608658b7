// Gets the Debian base image every lab image builds on: a local or pulled debian:<release>-slim, else one bootstrapped with mmdebstrap.
import { createReadStream, createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SetupError, describeError } from '../errors.ts';
import { aptInstall, commandExists, loadExeca } from '../docker/ensure-engine.ts';
import { getDocker } from '../docker/docker-client.ts';
import type { Release } from '../lab/schema.ts';
import { fromRoot } from '../project-root.ts';
import { awaitEarlyBootstrap, dropEarlyBootstrap, earlyBootstrapFiles } from './early-bootstrap.ts';
import { basePackages, baseTarProblems, readBaseTar } from './base-tar.ts';
import { IMAGES_DIR } from './images-dir.ts';

export interface BaseImage {
  tag: string;
  id: string;
  how: 'present' | 'tagged-local' | 'pulled' | 'bootstrapped';
}

const PULL_TIMEOUT_MS = 60_000;

export function baseImageTag(release: Release): string {
  return `gunicorn-lab/base:${release}`;
}

// The image's id, or null where there is no such image.
export async function imageId(name: string): Promise<string | null> {
  try {
    return (await getDocker().getImage(name).inspect()).Id;
  } catch {
    return null;
  }
}

async function tagAs(source: string, target: string): Promise<void> {
  const [repo, tag] = target.split(':') as [string, string];
  await getDocker().getImage(source).tag({ repo, tag });
}

export async function tryPull(name: string): Promise<boolean> {
  const docker = getDocker();
  try {
    const stream = await docker.pull(name);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('pull timed out')), PULL_TIMEOUT_MS);
      docker.modem.followProgress(stream, (error: Error | null) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      });
    });
    return (await imageId(name)) !== null;
  } catch {
    return false;
  }
}

// mmdebstrap, installed with apt where missing: once, whichever releases bootstrap at the same time.
let mmdebstrapReady: Promise<void> | null = null;
function ensureMmdebstrap(release: Release, log: (line: string) => void): Promise<void> {
  mmdebstrapReady ??= (async () => {
    if (await commandExists('mmdebstrap')) return;
    if (process.getuid?.() !== 0) {
      throw new SetupError(
        'mmdebstrap is missing and no registry answers for debian:' + release + '-slim.',
        'Install mmdebstrap (`sudo apt-get install mmdebstrap`) or make debian:' + release + '-slim available, then run `npm run setup` again.',
      );
    }
    log('installing mmdebstrap with apt-get');
    await aptInstall(['mmdebstrap']);
  })();
  mmdebstrapReady.catch(() => {
    mmdebstrapReady = null;
  });
  return mmdebstrapReady;
}

const BOOTSTRAP_SCRIPT = fromRoot('scripts', 'bootstrap-base.sh');

// Imports a root file system's tar (a stream) as the base image, tagged.
async function importBase(tar: NodeJS.ReadableStream, tag: string): Promise<void> {
  const [repo, version] = tag.split(':') as [string, string];
  const docker = getDocker();
  const importStream = await docker.importImage(tar as unknown as string, { repo, tag: version });
  const output = await new Promise<Array<{ error?: string; status?: string; id?: string }>>((resolve, reject) => {
    docker.modem.followProgress(importStream, (error: Error | null, result: Array<{ error?: string; status?: string; id?: string }>) => {
      const failed = error ?? result.find((o) => o.error)?.error;
      if (failed) reject(failed instanceof Error ? failed : new Error(failed));
      else resolve(result);
    });
  });
  // Podman's compatible import leaves the tag asked for aside: the image it made is tagged by its id.
  if ((await imageId(tag)) === null) {
    const made =
      output
        .map((o) => o.id ?? /^(sha256:)?[0-9a-f]{64}$/.exec(o.status?.trim() ?? '')?.[0])
        .filter(Boolean)
        .at(-1) ?? `${repo}:latest`;
    await tagAs(made, tag);
  }
  // What the engine made of it: an empty image is untagged again, never left as a base.
  const image = docker.getImage(tag);
  if (!((await image.inspect()).Size > 0)) {
    await image.remove({ force: true }).catch(() => undefined);
    throw new Error(`the engine imported an empty image as ${tag}`);
  }
}

// What is wrong with a bootstrap's tar (empty, cut short, no shell, the images' packages missing), in one line; null
// where it is a base.
function brokenBase(tar: string): string | null {
  const problems = baseTarProblems(readBaseTar(tar), basePackages(IMAGES_DIR));
  return problems.length ? problems.join('; ') : null;
}

// The last lines of a bootstrap's log, quoted.
function logTail(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean).slice(-10);
  return lines.length ? `\n${lines.map((l) => `  | ${l}`).join('\n')}` : ' (its log is empty)';
}

const readLog = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

// Builds a minimal Debian root file system (scripts/bootstrap-base.sh) and imports it as the base image: the one
// setup.sh started beside npm where there is one, else one of its own, written to a file first. Either is checked
// before it is imported: a broken tar is never tagged.
async function bootstrap(release: Release, tag: string, log: (line: string) => void): Promise<void> {
  const early = earlyBootstrapFiles(release);
  const outcome = await awaitEarlyBootstrap(early, () => log(`waiting for the bootstrap of Debian ${release} started beside npm (log: ${early.log})`));
  const broken = outcome.kind === 'ready' ? brokenBase(outcome.tar) : null;
  if (outcome.kind === 'ready' && broken) {
    log(`the bootstrap of Debian ${release} made beside npm is not a base (${broken}): bootstrapping again; its log:${logTail(readLog(early.log))}`);
    dropEarlyBootstrap(early, { keepLog: true });
  } else if (outcome.kind === 'ready') {
    try {
      const started = Date.now();
      await importBase(createReadStream(outcome.tar), tag);
      log(`imported the bootstrap of Debian ${release} made beside npm in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } catch (error) {
      log(`importing the bootstrap made beside npm failed (${describeError(error)}): bootstrapping again`);
    } finally {
      dropEarlyBootstrap(early);
    }
  } else if (outcome.kind === 'failed') {
    log(`the bootstrap started beside npm did not finish (${outcome.why}): bootstrapping again`);
    dropEarlyBootstrap(early, { keepLog: true });
  }
  await ensureMmdebstrap(release, log);
  log(`bootstrapping Debian ${release} with mmdebstrap (about half a minute)`);
  // No mirror given and nothing on stdin: mmdebstrap uses Debian's default mirror, as apt on the host does.
  const execa = await loadExeca();
  const tar = path.join(path.dirname(early.tar), `base-${release}.own.tar`);
  mkdirSync(path.dirname(tar), { recursive: true });
  const debootstrap = execa('sh', [BOOTSTRAP_SCRIPT, release], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    encoding: 'buffer',
    buffer: { stdout: false },
  });
  try {
    try {
      await Promise.all([pipeline(debootstrap.stdout!, createWriteStream(tar)), debootstrap]);
    } catch (error) {
      debootstrap.kill();
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new SetupError(
        `Bootstrapping the Debian ${release} base image failed: ${describeError(error)}${logTail(stderr)}`,
        "Check that Debian's package mirror answers (`apt-get update`), then run `npm run setup` again.",
        { cause: error },
      );
    }
    const wrong = brokenBase(tar);
    if (wrong) {
      const stderr = ((await debootstrap.catch((e: unknown) => e)) as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new SetupError(
        `The bootstrap of Debian ${release} is not a base image (${wrong}): nothing was imported or tagged. mmdebstrap's last lines:${logTail(stderr)}`,
        "Run `npm run setup` again; where it fails the same way, check that Debian's package mirror answers (`apt-get update`) and that the disk and /dev/shm have room.",
      );
    }
    await importBase(createReadStream(tar), tag);
  } finally {
    rmSync(tar, { force: true });
  }
}

export async function ensureBaseImage(release: Release, log: (line: string) => void = () => undefined): Promise<BaseImage> {
  const tag = baseImageTag(release);
  let id = await imageId(tag);
  if (id) {
    dropEarlyBootstrap(earlyBootstrapFiles(release));
    return { tag, id, how: 'present' };
  }
  const official = `debian:${release}-slim`;
  let how: BaseImage['how'];
  if (await imageId(official)) {
    how = 'tagged-local';
  } else if (await tryPull(official)) {
    how = 'pulled';
  } else {
    how = 'bootstrapped';
    log(`no ${official} locally and no registry answered`);
    await bootstrap(release, tag, log);
  }
  if (how !== 'bootstrapped') {
    // A bootstrap setup.sh started beside npm, not wanted after all.
    dropEarlyBootstrap(earlyBootstrapFiles(release));
    await tagAs(official, tag);
  }
  id = await imageId(tag);
  if (!id)
    throw new SetupError(`The base image ${tag} is missing after set-up.`, 'Run `npm run setup` again; `docker images gunicorn-lab/base` shows what is there.');
  return { tag, id, how };
}

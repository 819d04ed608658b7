// `check --app-build DIR`: the user's own Dockerfile built with their context, so their app runs with its own
// requirements. Where the Dockerfile takes its base from `ARG BASE=<image>` and that image is neither here nor
// pullable (no registry), the lab's own Debian base of the release stands in, and the description line says so.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Release } from '../lab/vocabulary.ts';
import { ensureBaseImage, imageId, tryPull } from './base-image.ts';
import { buildFromContext } from './build-images.ts';

export interface UserBuild {
  // Their build context (absolute) and its Dockerfile in it.
  context: string;
  dockerfile: string;
}

// The tag a build context's image gets: one per folder, so a second check reuses Docker's layer cache.
export function userImageTag(context: string): string {
  return `gunicorn-lab/app-build:${createHash('sha256').update(path.resolve(context)).digest('hex').slice(0, 12)}`;
}

// The default of `ARG BASE=...` before the first FROM that uses it, or null where the Dockerfile has none.
export function declaredBase(dockerfile: string): string | null {
  const arg = /^\s*ARG\s+BASE=(\S+)\s*$/im.exec(dockerfile);
  if (!arg || !/^\s*FROM\s+\$\{?BASE\}?/im.test(dockerfile)) return null;
  return arg[1]!.replace(/^["']|["']$/g, '');
}

// Builds their image; returns what the description line says of it ("built from examples/django/Dockerfile …").
export async function buildUserImage(build: UserBuild, release: Release, log: (line: string) => void): Promise<string> {
  const tag = userImageTag(build.context);
  const buildargs: Record<string, string> = {};
  let said = `built from ${path.relative(process.cwd(), path.join(build.context, build.dockerfile)) || build.dockerfile}`;
  const base = declaredBase(readFileSync(path.join(build.context, build.dockerfile), 'utf8'));
  if (base && (await imageId(base)) === null && !(await tryPull(base))) {
    const labBase = await ensureBaseImage(release, log);
    buildargs.BASE = labBase.tag;
    said += `, BASE=${labBase.tag}: ${base} is not here and no registry answered`;
  }
  log(`building your image ${tag} (${said})`);
  const started = Date.now();
  await buildFromContext(build.context, tag, {
    dockerfile: build.dockerfile,
    buildargs,
    hint: `Fix your Dockerfile (${build.dockerfile} in ${build.context}) as the build lines above say; check builds it as \`docker build\` would.`,
  });
  log(`built your image ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return said;
}

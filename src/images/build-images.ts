// Builds the lab images from images/<role>/ on the release's base, tagged by a hash of their build context.
import path from 'node:path';
import { ImageBuildError, describeError } from '../errors.ts';
import { getDocker, requireDocker } from '../docker/docker-client.ts';
import type { Release } from '../lab/schema.ts';
import { ensureBaseImage, imageId } from './base-image.ts';
import { hashContext, listContextFiles } from './context-hash.ts';

export const IMAGE_ROLES = ['app', 'nginx', 'client', 'front'] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];
// What every run needs; the fronts' image (Caddy, HAProxy, Apache, Varnish) is built when a lab first asks for it.
export const CORE_IMAGE_ROLES = ['app', 'nginx', 'client'] as const satisfies readonly ImageRole[];
export type LabImages = Record<(typeof CORE_IMAGE_ROLES)[number], string> & { front?: string };

export { IMAGES_DIR } from './images-dir.ts';
import { IMAGES_DIR } from './images-dir.ts';

interface BuildEvent {
  stream?: string;
  error?: string;
}

// Builds an image from a folder (a lab image's, or a user's own with --app-build); a failure quotes the last build lines.
export async function buildFromContext(
  context: string,
  tag: string,
  options: { dockerfile?: string; buildargs: Record<string, string>; hint?: string },
): Promise<void> {
  const docker = getDocker();
  const lines: string[] = [];
  try {
    const stream = await docker.buildImage(
      { context, src: await listContextFiles(context) },
      {
        t: tag,
        ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
        buildargs: options.buildargs,
        rm: true,
        forcerm: true,
        labels: { 'gunicorn-lab.project': 'gunicorn-slow-client-lab' },
      },
    );
    const output = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, result: BuildEvent[]) => (error ? reject(error) : resolve(result)),
        (event: BuildEvent) => lines.push(...(event.stream ?? '').split('\n').filter((l) => l.trim())),
      );
    });
    const failed = output.find((event) => event.error);
    if (failed) throw new Error(failed.error);
  } catch (error) {
    throw new ImageBuildError(tag, [...lines.slice(-12), describeError(error)], { cause: error, hint: options.hint });
  }
}

// Returns the tag of every lab image for the release, building only those whose context or base changed.
export async function ensureImages(release: Release, log: (line: string) => void = () => undefined, withFront = false): Promise<LabImages> {
  await requireDocker();
  const base = await ensureBaseImage(release, log);
  if (base.how !== 'present') log(`base image ${base.tag}: ${base.how}`);
  const entries = await Promise.all(
    (withFront ? IMAGE_ROLES : CORE_IMAGE_ROLES).map(async (role) => {
      const hash = await hashContext(path.join(IMAGES_DIR, role), [release, base.id]);
      const tag = `gunicorn-lab/${role}:${release}-${hash}`;
      if ((await imageId(tag)) === null) {
        log(`building ${tag}`);
        const started = Date.now();
        await buildFromContext(path.join(IMAGES_DIR, role), tag, { buildargs: { BASE: base.tag } });
        log(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      return [role, tag] as const;
    }),
  );
  return Object.fromEntries(entries) as LabImages;
}

// The flags of `check` read into options: the user's files (which must exist), their app, and the slow client.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { formatBytes, parseSize } from '../lab/parse-size.ts';
import { CAPACITY_RANGE, CONTENT_TYPE, FILE_SIZE_RANGE, RATE_RANGE, RELEASES, THROTTLES, type Release } from '../lab/vocabulary.ts';
import { oneOf, releaseFlag, releaseFlagName } from '../lab/overrides.ts';
import { tcp, unix, type Endpoint } from '../topology/endpoint.ts';
import type { Pace } from './pace.ts';
import { userImageTag, type UserBuild } from '../images/user-image.ts';

// An image: theirs by name (--app-image), or built from their Dockerfile (--app-build: `build` says from where, and
// once built, `origin` says how, for the description line).
export type UserApp =
  { kind: 'dir'; dir: string; module: string } | { kind: 'image'; image: string; command: string[] | null; build?: UserBuild; origin?: string };

export interface CheckOptions {
  // A whole nginx.conf, a site file, or a folder laid out like /etc/nginx.
  nginxPath: string | null;
  gunicornConfig: string | null;
  gunicornArgs: string[];
  app: UserApp;
  upstream: Endpoint | null;
  path: string;
  headers: string[];
  // --upload SIZE: the request sends a body of that size (--method, --content-type) and the slow part is the
  // writing; null: a download.
  upload: CheckUpload | null;
  // --rate and --throttle: a steady reader (see pace.ts); both null: the crawl.
  rateBytesPerS: number | null;
  throttle: (typeof THROTTLES)[number] | null;
  // --capacity: how many slow clients the stack holds while a probe is answered in time, instead of one slow download.
  capacity: CheckCapacity | null;
  // The pace of the run a remedy's is compared with (try-remedies; known once that run has its reference): every
  // row reads alike.
  pace?: Pace | Promise<Pace>;
  release: Release;
}

export interface CheckCapacity {
  // --capacity-max: the most slow clients opened.
  max: number;
  // --probe: the path probed; absent, the first of /health, /ping and / that answers below 400.
  probePaths: string[];
  // --probe-within S: a step holds while its probe is answered this fast.
  probeWithinMs: number;
  // --capacity-want N: exit 0 from this many held on; null: one more than the stack's workers, once they are known.
  want: number | null;
}

// Probed where --probe is not given: the first that answers below 400 before any slow client.
export const DEFAULT_PROBE_PATHS = ['/health', '/ping', '/'];
// Each slow client of the capacity search reads this fast where --rate is not given: slow enough that a body of a
// few MiB outlasts the search, and every client still moves.
export const CAPACITY_RATE_BYTES_PER_S = 16 * 1024;

export interface CheckUpload {
  sizeBytes: number;
  method: 'POST' | 'PUT';
  contentType: string;
}

// Below this a body fits in the socket buffers on its way and never holds a worker.
export const MIN_UPLOAD_BYTES = 1024 * 1024;

export const CHECK_FLAGS = {
  nginx: { type: 'string' },
  'gunicorn-config': { type: 'string' },
  'gunicorn-args': { type: 'string' },
  app: { type: 'string' },
  'app-module': { type: 'string' },
  'app-image': { type: 'string' },
  'app-build': { type: 'string' },
  'app-command': { type: 'string' },
  upstream: { type: 'string' },
  path: { type: 'string' },
  header: { type: 'string', multiple: true },
  rate: { type: 'string' },
  throttle: { type: 'string' },
  upload: { type: 'string' },
  method: { type: 'string' },
  'content-type': { type: 'string' },
  release: { type: 'string' },
  stack: { type: 'string' },
  json: { type: 'boolean' },
  'try-remedies': { type: 'boolean' },
  keep: { type: 'boolean' },
  attach: { type: 'string' },
  url: { type: 'string' },
  'app-container': { type: 'string' },
  'proxy-container': { type: 'string' },
  timeout: { type: 'string' },
  capacity: { type: 'boolean' },
  probe: { type: 'string' },
  'probe-within': { type: 'string' },
  'capacity-max': { type: 'string' },
  'capacity-want': { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Splits a command line the way a shell would for words and quotes (no variables, no globbing).
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

function existingFile(flag: string, value: string, cwd: string, kind: 'file' | 'folder' | 'file or folder'): string {
  const full = path.resolve(cwd, value);
  if (!existsSync(full))
    throw new UsageError(
      `--${flag} ${value}: no such ${kind} (looked at ${full}).`,
      `Give the path of your ${kind === 'folder' ? 'app folder' : kind}, relative to where you run the command or absolute.`,
    );
  if (kind === 'file or folder') return full;
  const isDir = statSync(full).isDirectory();
  if (kind === 'file' && isDir) throw new UsageError(`--${flag} ${value}: is a folder, not a file.`, 'Give the file itself.');
  if (kind === 'folder' && !isDir) throw new UsageError(`--${flag} ${value}: is a file, not a folder.`, 'Give the folder that holds your app package.');
  return full;
}

export function parseUpstream(text: string): Endpoint {
  if (/^unix:\/[^:\s]*[^/:\s]$/.test(text)) return unix(text.slice('unix:'.length));
  const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535)
    throw new UsageError(`--upstream ${text}: must be NAME:PORT or unix:/path/to.sock, where your Nginx config proxies to (e.g. web:5000).`);
  return tcp(match[1]!, port);
}

export function parseCheckOptions(values: Record<string, string | boolean | string[] | undefined>, cwd = process.cwd()): CheckOptions {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const attachOnly = ['url', 'app-container', 'proxy-container', 'timeout'].find((flag) => values[flag] !== undefined);
  if (attachOnly)
    throw new UsageError(
      `--${attachOnly} goes with --attach NETWORK (a stack that already runs).`,
      "For a stack check starts, give --path, and Gunicorn's timeout in --gunicorn-args or its config.",
    );
  // The user's files first: a path that does not exist is the first real problem, whatever else is missing.
  const nginxPath = text('nginx') ? existingFile('nginx', text('nginx')!, cwd, 'file or folder') : null;
  const gunicornConfig = text('gunicorn-config') ? existingFile('gunicorn-config', text('gunicorn-config')!, cwd, 'file') : null;
  const appDir = text('app');
  const appImage = text('app-image');
  const appBuild = text('app-build');
  const given = [appDir && '--app', appImage && '--app-image', appBuild && '--app-build'].filter(Boolean);
  if (given.length > 1)
    throw new UsageError(
      `${given.join(' and ')} both given: check one app at a time.`,
      'Use --app DIR --app-module pkg.module:app for an app folder, --app-image IMAGE for your own image, or --app-build DIR to build your Dockerfile.',
    );
  if (!given.length)
    throw new UsageError(
      'check needs your app: --app DIR --app-module pkg.module:app, --app-image IMAGE, or --app-build DIR.',
      'Run `npm run lab -- check --help` for an example.',
    );
  let app: UserApp;
  if (appDir) {
    const module = text('app-module');
    if (!module || !/^[A-Za-z_][\w.]*(:[A-Za-z_][\w.()]*)?$/.test(module)) {
      throw new UsageError(`--app-module ${module ?? '(missing)'}: give the WSGI app as Gunicorn takes it, e.g. mysite.wsgi or app:app.`);
    }
    if (text('app-command')) throw new UsageError('--app-command goes with --app-image or --app-build; with --app, Gunicorn runs --app-module.');
    app = { kind: 'dir', dir: existingFile('app', appDir, cwd, 'folder'), module };
  } else {
    if (text('app-module'))
      throw new UsageError(`--app-module goes with --app DIR; with ${given[0]}, give --app-command if the image's own command is not the one to run.`);
    const command = text('app-command');
    if (appBuild) {
      const context = existingFile('app-build', appBuild, cwd, 'folder');
      if (!existsSync(path.join(context, 'Dockerfile')))
        throw new UsageError(`--app-build ${appBuild}: no Dockerfile in ${context}.`, 'Give the folder you run `docker build` in, with its Dockerfile.');
      app = { kind: 'image', image: userImageTag(context), command: command ? splitWords(command) : null, build: { context, dockerfile: 'Dockerfile' } };
    } else {
      app = { kind: 'image', image: appImage!, command: command ? splitWords(command) : null };
    }
  }
  const pathText = text('path');
  if (!pathText || !pathText.startsWith('/'))
    throw new UsageError(`--path ${pathText ?? '(missing)'}: give the URL path of a large download, starting with / (e.g. /download/report.pdf).`);
  return {
    nginxPath,
    gunicornConfig,
    gunicornArgs: splitWords(text('gunicorn-args') ?? ''),
    app,
    upstream: text('upstream') ? parseUpstream(text('upstream')!) : null,
    path: pathText,
    ...parseClientFlags(values),
  };
}

// The flags of the slow client, whatever the stack: extra headers, its rate, how it is throttled, its Debian release.
export function parseClientFlags(
  values: Record<string, string | boolean | string[] | undefined>,
): Pick<CheckOptions, 'headers' | 'rateBytesPerS' | 'throttle' | 'release' | 'upload' | 'capacity'> {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const headers = ((values.header as string[] | undefined) ?? []).map((h) => {
    if (!/^[A-Za-z0-9-]+:\s*\S/.test(h)) throw new UsageError(`--header ${h}: must look like "Name: value", e.g. "Host: example.com".`);
    return h;
  });
  const rate = text('rate');
  let rateBytesPerS: number | null = null;
  if (rate !== undefined) {
    const bytes = parseSize(rate);
    if (bytes === null || bytes < RATE_RANGE.min || bytes > RATE_RANGE.max) {
      throw new UsageError(`--rate ${rate}: must be a size from ${formatBytes(RATE_RANGE.min)} to ${formatBytes(RATE_RANGE.max)} per second, e.g. 256k or 1m.`);
    }
    rateBytesPerS = bytes;
  }
  const upload = parseUpload(values);
  if (upload && text('throttle') !== undefined)
    throw new UsageError(
      '--throttle shapes how a download is read; an upload is written by the client at its own pace.',
      'Drop --throttle (give --rate for a steady upload instead of the crawl).',
    );
  const capacity = parseCapacity(values);
  if (capacity && upload)
    throw new UsageError(
      '--capacity counts slow readers of a download; --upload sends one slow body.',
      'Run them as two checks: one with --capacity, one with --upload.',
    );
  if (capacity && text('throttle') === 'network')
    throw new UsageError('--capacity paces each slow client on its own (the reader throttle); one shaped link would serve them in a row.', 'Drop --throttle.');
  return {
    headers,
    rateBytesPerS,
    upload,
    capacity,
    throttle: text('throttle') === undefined ? null : oneOf('throttle', text('throttle')!, THROTTLES),
    release: oneOf(releaseFlagName(values), releaseFlag(values) ?? 'bookworm', RELEASES),
  };
}

// A whole number in [min, max], or a usage error that names the flag, the range and an example.
function wholeFlag(flag: string, text: string, min: number, max: number, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${flag} ${text}: ${what}, a whole number from ${min} to ${max}.`);
  return n;
}

// --capacity [--probe PATH] [--probe-within S] [--capacity-max N] [--capacity-want N]: the capacity search.
export function parseCapacity(values: Record<string, string | boolean | string[] | undefined>): CheckCapacity | null {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  if (!values.capacity) {
    const stray = ['probe', 'probe-within', 'capacity-max', 'capacity-want'].find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --capacity (how many slow clients your stack holds).`, 'Add --capacity, or drop it.');
    return null;
  }
  const probe = text('probe');
  if (probe !== undefined && !probe.startsWith('/'))
    throw new UsageError(`--probe ${probe}: give the URL path of a cheap request, starting with / (e.g. /health).`);
  const within = text('probe-within');
  const withinS = within === undefined ? 1 : Number(within);
  if (!Number.isFinite(withinS) || withinS < 0.1 || withinS > 30)
    throw new UsageError(`--probe-within ${within}: seconds a probe may take and still count as answered, from 0.1 to 30 (e.g. 1 or 0.5).`);
  const max = text('capacity-max');
  const want = text('capacity-want');
  return {
    max: max === undefined ? 64 : wholeFlag('capacity-max', max, CAPACITY_RANGE.min, CAPACITY_RANGE.max, 'the most slow clients to open'),
    probePaths: probe === undefined ? DEFAULT_PROBE_PATHS : [probe],
    probeWithinMs: Math.round(withinS * 1000),
    want: want === undefined ? null : wholeFlag('capacity-want', want, 1, CAPACITY_RANGE.max, 'the slow clients your stack must hold'),
  };
}

// --upload SIZE [--method POST|PUT] [--content-type T]: the slow part is the request body.
function parseUpload(values: Record<string, string | boolean | string[] | undefined>): CheckUpload | null {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const size = text('upload');
  if (size === undefined) {
    const stray = ['method', 'content-type'].find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --upload SIZE (a slow request body).`, 'Give --upload 8m to send a body of that size to --path.');
    return null;
  }
  const bytes = parseSize(size);
  if (bytes === null || bytes < MIN_UPLOAD_BYTES || bytes > FILE_SIZE_RANGE.max) {
    throw new UsageError(
      `--upload ${size}: must be a size from ${formatBytes(MIN_UPLOAD_BYTES)} to ${formatBytes(FILE_SIZE_RANGE.max)}, e.g. 8m.`,
      'A smaller body fits in the socket buffers on its way and never holds a worker.',
    );
  }
  const method = (text('method') ?? 'POST').toUpperCase();
  if (method !== 'POST' && method !== 'PUT') throw new UsageError(`--method ${text('method')}: must be POST or PUT (the upload's method).`);
  const contentType = text('content-type') ?? 'application/octet-stream';
  if (!CONTENT_TYPE.test(contentType)) throw new UsageError(`--content-type ${contentType}: must look like type/subtype, e.g. application/octet-stream.`);
  return { sizeBytes: bytes, method, contentType };
}

// Applies the CLI's exploring overrides (--rate, --file-size, ...) to a lab's raw data before validation.
import { UsageError } from '../errors.ts';
import { formatBytes, parseSize } from './parse-size.ts';
import type { LabInput } from './schema.ts';
import { FILE_SIZE_RANGE, RATE_RANGE, RELEASES, THROTTLES, TIMEOUT_RANGE, WORKERS, type Release, type Worker } from './vocabulary.ts';

export interface Overrides {
  fileSizeBytes?: number;
  rateBytesPerS?: number | null;
  timeoutS?: number;
  worker?: Worker;
  throttle?: 'network' | 'reader';
  release?: Release;
}

// Returns a copy of the lab input with each given override in place; the schema then checks the values.
export function applyOverrides(input: LabInput, overrides: Overrides): LabInput {
  const out: LabInput = { ...input, gunicorn: { ...input.gunicorn }, client: { ...input.client } };
  if (overrides.fileSizeBytes !== undefined) out.fileSizeBytes = overrides.fileSizeBytes;
  if (overrides.release !== undefined) out.release = overrides.release;
  // --timeout is the app server's own: Gunicorn's --timeout, uWSGI's --harakiri, mod_wsgi's request-timeout; Waitress has none.
  const server = input.server ?? { kind: 'gunicorn' };
  if (overrides.timeoutS !== undefined) {
    if (server.kind === 'uwsgi') out.server = { ...server, harakiriS: overrides.timeoutS };
    else if (server.kind === 'mod_wsgi') out.server = { ...server, requestTimeoutS: overrides.timeoutS };
    else if (server.kind === 'gunicorn') out.gunicorn!.timeoutS = overrides.timeoutS;
    else throw new UsageError(`--timeout ${overrides.timeoutS}: this lab's server, ${server.kind}, has no worker timeout to set.`);
  }
  if (overrides.worker !== undefined) {
    if (server.kind !== 'gunicorn') throw new UsageError(`--worker ${overrides.worker}: a Gunicorn worker class; this lab's server is ${server.kind}.`);
    out.gunicorn!.worker = overrides.worker;
  }
  if (overrides.rateBytesPerS !== undefined) out.client!.rateBytesPerS = overrides.rateBytesPerS;
  // A throttle asked for by name is the one the run needs: no other stands in for it.
  if (overrides.throttle !== undefined) Object.assign(out.client!, { throttle: overrides.throttle, throttleFallback: false });
  return out;
}

function parseSizeOption(flag: string, text: string, range: { min: number; max: number }): number {
  const bytes = parseSize(text);
  if (bytes === null || bytes < range.min || bytes > range.max) {
    throw new UsageError(
      `--${flag} ${text}: must be a size from ${formatBytes(range.min)} to ${formatBytes(range.max)}, in bytes or with a k/m/g suffix (e.g. 512k, 8m).`,
    );
  }
  return bytes;
}

export function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!allowed.includes(text as T)) throw new UsageError(`--${flag} ${text}: must be one of ${allowed.join(', ')}.`);
  return text as T;
}

// Reads the CLI's option values into overrides; a bad value is a UsageError that names the allowed range.
export function parseOverrides(values: Record<string, string | boolean | undefined>): Overrides {
  const overrides: Overrides = {};
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const rate = text('rate');
  if (rate !== undefined) overrides.rateBytesPerS = rate === 'off' ? null : parseSizeOption('rate', rate, RATE_RANGE);
  const size = text('file-size');
  if (size !== undefined) overrides.fileSizeBytes = parseSizeOption('file-size', size, FILE_SIZE_RANGE);
  const timeout = text('timeout');
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!Number.isInteger(seconds) || seconds < TIMEOUT_RANGE.min || seconds > TIMEOUT_RANGE.max) {
      throw new UsageError(`--timeout ${timeout}: must be a whole number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}.`);
    }
    overrides.timeoutS = seconds;
  }
  const worker = text('worker');
  if (worker !== undefined) overrides.worker = oneOf('worker', worker, WORKERS);
  const throttle = text('throttle');
  if (throttle !== undefined) overrides.throttle = oneOf('throttle', throttle, THROTTLES);
  const release = releaseFlag(values);
  if (release !== undefined) overrides.release = oneOf(releaseFlagName(values), release, RELEASES);
  return overrides;
}

// The Debian release asked for: --release, or --stack, its old name (CI files written before the rename).
export function releaseFlag(values: Record<string, unknown>): string | undefined {
  const value = values.release ?? values.stack;
  return typeof value === 'string' ? value : undefined;
}

// The flag the release was given by, for its error message.
export const releaseFlagName = (values: Record<string, unknown>) => (values.release === undefined && values.stack !== undefined ? 'stack' : 'release');

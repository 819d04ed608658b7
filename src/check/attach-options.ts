// The flags of `check --attach`: a stack that already runs on the user's own Docker network, its URL, their app
// container (and proxy). Nothing of theirs is started, changed or exec'd into: only the slow client joins.
import { describeNoTimeoutServer, hasNoTimeout, paceTimeoutS, serverFactsFromCommand, type GunicornFacts } from './gunicorn-facts.ts';
import type { ClientTarget } from '../topology/endpoint.ts';
import { UsageError } from '../errors.ts';
import type { THROTTLES, Release } from '../lab/schema.ts';
import { parseClientFlags, type CheckCapacity, type CheckUpload } from './check-options.ts';

export interface AttachOptions {
  network: string;
  // https: the client speaks TLS to it, the URL's host as SNI (its certificate not verified).
  url: ClientTarget & { path: string };
  appContainer: string;
  proxyContainer: string | null;
  // Gunicorn's timeout where the user knows it; null: read from the app container's command line, else 30 s.
  timeoutS: number | null;
  headers: string[];
  rateBytesPerS: number | null;
  throttle: (typeof THROTTLES)[number] | null;
  // --upload SIZE: a slow request body to the URL.
  upload: CheckUpload | null;
  // --capacity: the capacity search instead of one slow download.
  capacity: CheckCapacity | null;
  release: Release;
}

// Flags that describe a stack check would start: an attached stack is already running.
const STARTING_FLAGS = [
  'nginx',
  'upstream',
  'gunicorn-config',
  'gunicorn-args',
  'app',
  'app-module',
  'app-image',
  'app-build',
  'app-command',
  'path',
  'keep',
  'try-remedies',
];

export function parseUrl(text: string): AttachOptions['url'] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url ${text}: not a URL.`, 'Give the download as your network names it, e.g. --url http://nginx:80/download/report.pdf.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `--url ${text}: only http:// and https:// are checked.`,
      'Give the URL of the proxy or app as other containers reach it, e.g. http://nginx:80/...',
    );
  if (url.pathname === '/' && !text.replace(/^https?:\/\/[^/]*/, '').startsWith('/')) {
    throw new UsageError(`--url ${text}: names no path.`, 'Give the URL of a large download, e.g. http://nginx:80/download/report.pdf.');
  }
  const tls = url.protocol === 'https:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    ...(tls ? { tls: { serverName: /^[\d.]+$/.test(url.hostname) ? null : url.hostname } } : {}),
  };
}

export function parseAttachOptions(values: Record<string, string | boolean | string[] | undefined>): AttachOptions {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const clash = STARTING_FLAGS.find((flag) => values[flag] !== undefined);
  if (clash)
    throw new UsageError(
      `--attach checks a stack that already runs; --${clash} describes one check would start.`,
      'With --attach give --url, --app-container (and --proxy-container); without it, give your files.',
    );
  const network = text('attach')!;
  const url = text('url');
  if (!url) throw new UsageError('--attach needs --url: the download as your network names it, e.g. --url http://nginx:80/download/report.pdf.');
  const appContainer = text('app-container');
  if (!appContainer) throw new UsageError('--attach needs --app-container NAME: the container Gunicorn runs in (`docker ps` lists them).');
  const timeout = text('timeout');
  let timeoutS: number | null = null;
  if (timeout !== undefined) {
    timeoutS = Number(timeout);
    if (!Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS > 3600)
      throw new UsageError(`--timeout ${timeout}: Gunicorn's timeout in whole seconds, 1 to 3600.`);
  }
  return {
    network,
    url: parseUrl(url),
    appContainer,
    proxyContainer: text('proxy-container') ?? null,
    timeoutS,
    ...parseClientFlags(values),
  };
}

// Gunicorn's settings as a container's command line shows them (`gunicorn -w 3 --timeout 5 app:app`); what it does
// not show (a config file's, an entrypoint script's) stays null.
export function gunicornFlagsFromCommand(words: readonly string[]): {
  timeoutS: number | null;
  workers: number | null;
  workerClass: string | null;
  threads: number | null;
} {
  const value = (long: string, short?: string): string | null => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word === long || (short && word === short)) return words[i + 1] ?? null;
      if (word.startsWith(`${long}=`)) return word.slice(long.length + 1);
      if (short && word.startsWith(short) && word.length > short.length && /^\d/.test(word.slice(short.length))) return word.slice(short.length);
    }
    return null;
  };
  const number = (text: string | null) => (text !== null && /^\d+$/.test(text) ? Number(text) : null);
  // Gunicorn itself, or Python running it (`python -m gunicorn`); a script's words say nothing of its settings.
  if (!words.some((w) => w.includes('gunicorn'))) return { timeoutS: null, workers: null, workerClass: null, threads: null };
  return {
    timeoutS: number(value('--timeout', '-t')),
    workers: number(value('--workers', '-w')),
    workerClass: value('--worker-class', '-k'),
    threads: number(value('--threads')),
  };
}

type TimeoutFrom = 'flag' | 'command line' | 'assumed' | 'no timeout';

// The app server on the container's command line: Gunicorn's flags, uWSGI's (its harakiri is the timeout), or a
// server with no timeout that kills a held request (Waitress, Uvicorn, Hypercorn); the timeout the crawl outlasts
// (--timeout, else the command line's, else the default) and where it came from.
export function attachedServer(
  words: readonly string[],
  flagTimeoutS: number | null,
): { facts: GunicornFacts; timeoutS: number; timeoutFrom: TimeoutFrom; label: string } {
  const other = serverFactsFromCommand(words);
  const facts: GunicornFacts = other ?? { ...gunicornFlagsFromCommand(words), bind: null };
  const none = hasNoTimeout(facts.server);
  const timeoutFrom: TimeoutFrom = flagTimeoutS !== null ? 'flag' : none ? 'no timeout' : facts.timeoutS !== null ? 'command line' : 'assumed';
  const timeoutS = flagTimeoutS ?? paceTimeoutS(facts);
  const from = { flag: 'timeout from --timeout', 'command line': 'from its command line', assumed: 'timeout assumed', 'no timeout': '' }[timeoutFrom];
  const label = hasNoTimeout(facts.server)
    ? describeNoTimeoutServer(facts.server, facts, timeoutS).join(', ')
    : facts.server === 'uwsgi'
      ? `uwsgi --processes ${facts.workers ?? 1} --harakiri ${timeoutS}, ${from}`
      : `gunicorn${facts.workerClass ? ` -k ${facts.workerClass}` : ''}${facts.workers ? ` -w ${facts.workers}` : ''} --timeout ${timeoutS}, ${from}`;
  return { facts, timeoutS, timeoutFrom, label };
}

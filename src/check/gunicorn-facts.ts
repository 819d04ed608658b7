import path from 'node:path';
import { GUNICORN_DEFAULT_TIMEOUT_S } from '../lab/vocabulary.ts';
import { serverNameOf } from '../observe/app-server-words.ts';
import { parseBind, type Endpoint } from '../topology/endpoint.ts';
import { NO_TIMEOUT_HOLD_S } from './pace.ts';

// What Gunicorn itself says of a user's config (`--print-config`): worker class, workers, timeout, bind.
// The same run imports the app, so a config or app that cannot load is caught before anything starts.

// The app servers check knows by their command line, besides Gunicorn: uWSGI (its harakiri kills a held worker), and
// Waitress, Uvicorn and Hypercorn, which have no timeout that kills a request a slow client holds.
export type CheckServer = 'uwsgi' | 'waitress' | 'uvicorn' | 'hypercorn';
// A server with no timeout of its own: nothing kills a request, whatever the client's pace.
export const hasNoTimeout = (server: CheckServer | undefined): server is Exclude<CheckServer, 'uwsgi'> => server !== undefined && server !== 'uwsgi';

// The timeout a check's crawl outlasts: the one read, else none to outlast (NO_TIMEOUT_HOLD_S) for a server that has
// none, else Gunicorn's default.
export const paceTimeoutS = (facts: GunicornFacts | null): number =>
  facts?.timeoutS ?? (hasNoTimeout(facts?.server) ? NO_TIMEOUT_HOLD_S : GUNICORN_DEFAULT_TIMEOUT_S);

// A server with no timeout in a description: its name and threads or workers, and why nothing is killed.
export function describeNoTimeoutServer(server: Exclude<CheckServer, 'uwsgi'>, facts: GunicornFacts, timeoutS: number): [string, string] {
  return [
    `${serverNameOf(server)} ${facts.threads ? `--threads ${facts.threads}` : `--workers ${facts.workers ?? 1}`}`,
    `no timeout mechanism: nothing kills a request a slow client holds; paced as for ${timeoutS} s`,
  ];
}

export interface GunicornFacts {
  // The app server these facts are of, where it is not Gunicorn (read from its command line).
  server?: CheckServer;
  workerClass: string | null;
  workers: number | null;
  threads: number | null;
  timeoutS: number | null;
  bind: string | null;
  // The server's command line these facts were read from (a uWSGI remedy's flags go after it).
  command?: string[];
}

// Lines of `--print-config`: `timeout                           = 30`.
export function parsePrintConfig(text: string): GunicornFacts {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\s+= (.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!.trim());
  }
  const number = (key: string) => {
    const value = Number(values.get(key));
    return values.has(key) && Number.isFinite(value) ? value : null;
  };
  return {
    workerClass: values.get('worker_class') ?? null,
    workers: number('workers'),
    threads: number('threads'),
    timeoutS: number('timeout'),
    bind: values.get('bind') ?? null,
  };
}

// The configuration Gunicorn's arbiter logs at start under `--log-level debug` ("Current configuration:" and one
// `  name: value` line a setting): the same facts, where `--print-config` can't be asked (the image's command is a
// script that ends in `exec gunicorn ...`). null where the block is not in the log.
export function parseBootConfig(log: string): GunicornFacts | null {
  const lines = log.split('\n');
  const start = lines.findIndex((l) => l.includes('[DEBUG] Current configuration:'));
  if (start < 0) return null;
  const printed: string[] = [];
  for (const line of lines.slice(start + 1)) {
    // Docker's timestamp may stand before each line.
    const match = /^(?:\S+Z )? {2}([a-z_]+): (.*)$/.exec(line);
    if (!match) break;
    printed.push(`${match[1]} = ${match[2]}`);
  }
  return parsePrintConfig(printed.join('\n'));
}

// `bind` as --print-config shows it, a Python list (`['unix:/run/app.sock', '0.0.0.0:8000']`), as endpoints.
export function parseBindList(text: string | null): Endpoint[] {
  return [...(text ?? '').matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => parseBind(m[1] ?? m[2] ?? '')).filter((e): e is Endpoint => e !== null);
}

// The last lines of what Gunicorn printed when it failed, the traceback's end first in mind.
export function lastLines(text: string, count = 12): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(-count);
}

// The last value of a flag given as `--flag value` or `--flag=value` (a server keeps the last it reads); null: absent.
function lastFlag(command: readonly string[], ...names: string[]): string | null {
  for (let i = command.length - 1; i >= 0; i -= 1) {
    const [flag, inline] = command[i]!.split('=', 2) as [string, string | undefined];
    if (names.includes(flag)) return inline ?? command[i + 1] ?? null;
  }
  return null;
}

const wholeNumber = (text: string | null) => (text !== null && /^\d+$/.test(text) ? Number(text) : null);

// The program a command runs: `uvicorn …`, `/usr/bin/uwsgi …`, or `python3 -m waitress …` (a shell line is not read).
function runs(command: readonly string[], program: string): boolean {
  const at = command.findIndex((word) => /(^|\/)python[\d.]*$/.test(word));
  if (at >= 0 && command[at + 1] === '-m' && command[at + 2] === program) return true;
  return command.slice(0, 2).some((word) => path.basename(word) === program);
}

// uWSGI's settings from its command line (`uwsgi --processes 2 --harakiri 30 …`, `--opt=value` too): its workers,
// its harakiri (the timeout that kills a worker; null: none), its socket. An ini file's settings are not read.
export function uwsgiFactsFromCommand(command: readonly string[]): GunicornFacts | null {
  if (!command.some((word) => /(^|\/)uwsgi$/.test(word))) return null;
  // The last of a flag given twice: uWSGI sets a value each time it reads one (a remedy's flag comes last).
  const value = (...names: string[]) => lastFlag(command, ...names);
  return {
    server: 'uwsgi',
    workerClass: null,
    workers: wholeNumber(value('--processes', '-p', '--workers')) ?? 1,
    threads: wholeNumber(value('--threads')),
    timeoutS: wholeNumber(value('--harakiri')),
    bind: value('--uwsgi-socket', '--socket', '-s', '--http-socket'),
    command: [...command],
  };
}

// Waitress, Uvicorn or Hypercorn from their command line (`waitress-serve --threads 4 --listen=*:8080 app:app`,
// `uvicorn --workers 2 app:app`, `hypercorn -w 2 -b 0.0.0.0:8000 app:app`, or `python3 -m` any of them): their
// workers or threads and bind, with the defaults each documents. None has a timeout that kills a held request.
export function noTimeoutServerFacts(command: readonly string[]): GunicornFacts | null {
  const value = (...names: string[]) => lastFlag(command, ...names);
  const base = { workerClass: null, timeoutS: null, command: [...command] };
  if (runs(command, 'waitress-serve') || runs(command, 'waitress'))
    return {
      ...base,
      server: 'waitress',
      workers: 1,
      threads: wholeNumber(value('--threads')) ?? 4,
      bind: value('--listen') ?? `${value('--host') ?? '0.0.0.0'}:${value('--port') ?? '8080'}`,
    };
  if (runs(command, 'uvicorn'))
    return {
      ...base,
      server: 'uvicorn',
      workers: wholeNumber(value('--workers')) ?? 1,
      threads: null,
      bind: value('--uds') ?? `${value('--host') ?? '127.0.0.1'}:${value('--port') ?? '8000'}`,
    };
  if (runs(command, 'hypercorn'))
    return {
      ...base,
      server: 'hypercorn',
      workers: wholeNumber(value('--workers', '-w')) ?? 1,
      threads: null,
      bind: value('--bind', '-b') ?? '127.0.0.1:8000',
    };
  return null;
}

// The app server a command line names, where it is not Gunicorn: uWSGI's facts, or a server with no timeout's.
export const serverFactsFromCommand = (command: readonly string[]): GunicornFacts | null => uwsgiFactsFromCommand(command) ?? noTimeoutServerFacts(command);

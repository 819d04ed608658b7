import { parseBind, type Endpoint } from '../topology/endpoint.ts';

// What Gunicorn itself says of a user's config (`--print-config`): worker class, workers, timeout, bind.
// The same run imports the app, so a config or app that cannot load is caught before anything starts.

export interface GunicornFacts {
  // The app server these facts are of, where it is not Gunicorn (uWSGI: read from its command line).
  server?: 'uwsgi';
  workerClass: string | null;
  workers: number | null;
  threads: number | null;
  timeoutS: number | null;
  bind: string | null;
  // uWSGI's command line these facts were read from (a remedy's flags go after it).
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

// uWSGI's settings from its command line (`uwsgi --processes 2 --harakiri 30 …`, `--opt=value` too): its workers,
// its harakiri (the timeout that kills a worker; null: none), its socket. An ini file's settings are not read.
export function uwsgiFactsFromCommand(command: readonly string[]): GunicornFacts | null {
  if (!command.some((word) => /(^|\/)uwsgi$/.test(word))) return null;
  // The last of a flag given twice: uWSGI sets a value each time it reads one (a remedy's flag comes last).
  const value = (...names: string[]) => {
    for (let i = command.length - 1; i >= 0; i -= 1) {
      const [flag, inline] = command[i]!.split('=', 2) as [string, string | undefined];
      if (names.includes(flag)) return inline ?? command[i + 1] ?? null;
    }
    return null;
  };
  const number = (text: string | null) => (text !== null && /^\d+$/.test(text) ? Number(text) : null);
  return {
    server: 'uwsgi',
    workerClass: null,
    workers: number(value('--processes', '-p', '--workers')) ?? 1,
    threads: number(value('--threads')),
    timeoutS: number(value('--harakiri')),
    bind: value('--uwsgi-socket', '--socket', '-s', '--http-socket'),
    command: [...command],
  };
}

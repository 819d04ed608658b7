// The CLI's words: its help, its options, and the argument parser's messages said as the rest of the CLI says them.
import os from 'node:os';
import { UsageError } from '../errors.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { FILE_SIZE_RANGE, RATE_RANGE, RELEASES, THROTTLES, TIMEOUT_RANGE, WORKERS } from '../lab/vocabulary.ts';

export const MAX_PARALLEL = 32;
// Most of a lab run is waiting on a slow transfer, so more labs than cores fit: two a core, at most six. On 2 cores six
// at once made each lab's set-up several times slower, gained little, and now and then overloaded booting workers;
// see `npm run bench`.
export const DEFAULT_PARALLEL = Math.min(6, 2 * os.availableParallelism());

export const HELP = `Usage:
  npm run lab -- <lab> [options]     run one lab and judge what it observed
  npm run lab -- <lab> <lab>… | --all [--parallel N] [--release all]
                                     run several labs at once, each on its own network, and report them together
  npm run lab -- <comparison> [--release R] [options]
                                     run a comparison (labs/comparisons/): its variants one after the other,
                                     judged by relations between their numbers; the options lay over every variant
  npm run lab -- --list [--json]     list the labs and comparisons with their hypotheses
  npm run lab -- setup [--release R|all] [--fronts] [--browser] [--podman]
                                     install/start Docker, bootstrap the Debian base, build the images;
                                     --fronts also builds the other fronts' image (Caddy, HAProxy, Apache, Varnish:
                                     else built when a lab first asks for it);
                                     --browser also installs headless Chromium (for the report screenshot test);
                                     --podman sets up on Podman instead (its root service, started where it isn't)
  npm run lab -- check --app DIR --app-module M | --app-image IMAGE | --app-build DIR [--nginx PATH] [--gunicorn-config FILE] --path /url
  npm run lab -- check --attach NETWORK --url URL --app-container NAME
                                     run the slow-client test against YOUR stack, from its files or running
                                     (see \`check --help\`)
  npm run lab -- up <lab> [options]  start a lab's stack and leave it up, published on 127.0.0.1, with commands
                                     that reproduce the lab by hand; status · logs <lab> [role] · down [<lab>]
  npm run lab -- clean [--force]     remove what killed runs and \`up\` left (--force: runs still going too)

Options for a run (they override the lab's values, for exploring):
  --rate SIZE        client download rate per second: bytes or k/m/g (binary), e.g. 512k, 8m; "off" for unthrottled
                     (${formatBytes(RATE_RANGE.min)} to ${formatBytes(RATE_RANGE.max)})
  --file-size SIZE   size of the file served (${formatBytes(FILE_SIZE_RANGE.min)} to ${formatBytes(FILE_SIZE_RANGE.max)})
  --timeout S        Gunicorn's worker --timeout in seconds (${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max})
  --worker W         Gunicorn worker class: ${WORKERS.join(', ')}
  --throttle T       how the client is slow: ${THROTTLES.join(', ')}
  --release R        Debian release of the images: ${RELEASES.join(', ')}, or all (every lab on each);
                     --stack R, its old name, still works
  --parallel N       labs run at once with several labs (1 to ${MAX_PARALLEL}; default ${DEFAULT_PARALLEL})
  --include-slow     with --all, also the slow labs (a minute or more each; named alone, a slow lab always runs)
  --repeat N         run each lab N times (1 to 100) and report any lab whose verdict changed between runs
  --keep             leave the lab's stack up after the verdict, published on 127.0.0.1 (\`down\` removes it)
  --json             print the result as JSON on stdout, nothing else there
  --dry-run          check the command, its labs and files, print what would run, start nothing
  -h, --help         this text

Exit codes: 0 every check passed, 1 a check failed, 2 the lab could not run.`;

export const OPTIONS = {
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  rate: { type: 'string' },
  'file-size': { type: 'string' },
  timeout: { type: 'string' },
  worker: { type: 'string' },
  throttle: { type: 'string' },
  release: { type: 'string' },
  // The old name of --release, still read.
  stack: { type: 'string' },
  all: { type: 'boolean' },
  browser: { type: 'boolean' },
  podman: { type: 'boolean' },
  fronts: { type: 'boolean' },
  parallel: { type: 'string' },
  force: { type: 'boolean' },
  keep: { type: 'boolean' },
  repeat: { type: 'string' },
  'include-slow': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

// The argument parser's messages, said as the rest of the CLI says them: what is wrong and what is allowed.
const RANGES: Record<string, string> = {
  timeout: `a whole number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}`,
  rate: `a size from ${formatBytes(RATE_RANGE.min)} to ${formatBytes(RATE_RANGE.max)} per second (e.g. 512k), or off`,
  'file-size': `a size from ${formatBytes(FILE_SIZE_RANGE.min)} to ${formatBytes(FILE_SIZE_RANGE.max)} (e.g. 32m)`,
  parallel: `a whole number from 1 to ${MAX_PARALLEL}`,
  repeat: 'a whole number from 1 to 100',
  worker: `one of ${WORKERS.join(', ')}`,
  throttle: `one of ${THROTTLES.join(', ')}`,
  release: `one of ${RELEASES.join(', ')}, or all`,
  stack: `one of ${RELEASES.join(', ')}, or all`,
};

export function usageInOurWords(message: string, argv: readonly string[]): UsageError {
  const ambiguous = /Option '--([\w-]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const flag = ambiguous[1]!;
    const value = argv[argv.indexOf(`--${flag}`) + 1] ?? '';
    return new UsageError(`--${flag} ${value}: must be ${RANGES[flag] ?? 'a value'}.`);
  }
  const missing = /Option '--([\w-]+) <value>' argument missing/.exec(message);
  if (missing) return new UsageError(`--${missing[1]} needs a value: ${RANGES[missing[1]!] ?? 'a value'}.`);
  const unknown = /Unknown option '(--?[\w-]+)'/.exec(message);
  if (unknown) return new UsageError(`${unknown[1]} is not an option.`, 'Run `npm run lab -- --help` for the options and their ranges.');
  return new UsageError(message);
}

const MAX_REPEAT = 100;

export function parseRepeat(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPEAT) throw new UsageError(`--repeat ${text}: must be a whole number from 1 to ${MAX_REPEAT}.`);
  return n;
}

export function parseParallel(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PARALLEL;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) throw new UsageError(`--parallel ${text}: must be a whole number from 1 to ${MAX_PARALLEL}.`);
  return n;
}

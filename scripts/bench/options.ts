// The bench's command line, read into one typed value (nothing is read at import time).
import { parseArgs } from 'node:util';
import { DEFAULT_PARALLEL } from '../../src/commands/usage.ts';
import { RELEASES, type Release } from '../../src/lab/schema.ts';

export interface BenchOptions {
  release: Release;
  // How many labs `--all` runs at once: --parallel, else `--all`'s own default.
  parallel: number;
  rounds: number;
  cold: boolean;
  peerOnly: boolean;
  checkOnly: boolean;
  check: boolean;
  freshOnly: boolean;
  // Purges Docker and mmdebstrap and measures a fresh host, --rounds times (scripts/bench/fresh-host.ts).
  freshHost: boolean;
}

export const BENCH_USAGE =
  'npm run bench [-- --release trixie] [--no-cold] [--parallel N] [--peer-only] [--check-only] [--fresh-only] [--fresh-host] [--no-check] [--rounds N]';

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      release: { type: 'string' },
      'no-cold': { type: 'boolean' },
      parallel: { type: 'string' },
      'peer-only': { type: 'boolean' },
      'check-only': { type: 'boolean' },
      'no-check': { type: 'boolean' },
      'fresh-only': { type: 'boolean' },
      'fresh-host': { type: 'boolean' },
      rounds: { type: 'string' },
    },
  });
  const release = values.release ?? 'bookworm';
  if (!(RELEASES as readonly string[]).includes(release)) throw new Error(`--release ${release}: one of ${RELEASES.join(', ')}. Usage: ${BENCH_USAGE}`);
  const count = (flag: string, text: string | undefined, fallback: number | undefined) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} ${text}: a whole number of 1 or more. Usage: ${BENCH_USAGE}`);
    return n;
  };
  return {
    release: release as Release,
    parallel: count('parallel', values.parallel, DEFAULT_PARALLEL)!,
    rounds: count('rounds', values.rounds, 5)!,
    cold: !values['no-cold'],
    peerOnly: values['peer-only'] ?? false,
    checkOnly: values['check-only'] ?? false,
    check: !values['no-check'],
    freshOnly: values['fresh-only'] ?? false,
    freshHost: values['fresh-host'] ?? false,
  };
}

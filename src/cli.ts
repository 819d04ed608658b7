// The command line: argv → command → printed result → exit code (0 every check passed, 1 a check failed, 2 could not run).
// Each command lives in src/commands/; this file parses, dispatches and ends the process.
import { parseArgs } from 'node:util';
import { LabError, UsageError } from './errors.ts';
import { oneOf, parseOverrides, releaseFlag, releaseFlagName } from './lab/overrides.ts';
import { RELEASES, type Release } from './lab/vocabulary.ts';
import { mark } from './phases.ts';
import { inUsersWords } from './project-root.ts';
import { exitAfterTeardown, exitOnSignals, isExiting, startingRuns } from './commands/process-exit.ts';
import { HELP, OPTIONS, parseParallel, parseRepeat, usageInOurWords } from './commands/usage.ts';

mark('cli');

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

// --dry-run: the command, its labs and files checked as a run checks them; nothing starts, nothing is installed.
function wouldRun(what: string): number {
  process.stdout.write(`dry run: ${what}\n`);
  return 0;
}

// up, status, logs, down: a lab's stack kept up on 127.0.0.1.
async function stackCommand(command: string, positionals: string[], values: Values, dryRun: boolean): Promise<number> {
  const [, lab, role, ...extra] = positionals;
  if (command === 'up' && (!lab || role)) throw new UsageError('up takes one lab: npm run lab -- up <lab> [--file-size 64m --worker gevent ...].');
  if (command === 'logs' && extra.length) throw new UsageError('logs takes a lab and a role: npm run lab -- logs <lab> [app|nginx|front|client].');
  if (command === 'down' && role) throw new UsageError('down takes at most one lab: npm run lab -- down [<lab>].');
  if (command === 'up' && dryRun) {
    const { loadLab } = await import('./lab/load-lab.ts');
    const { lab: loaded } = await loadLab(lab!, parseOverrides(values));
    return wouldRun(`up ${lab!} on ${loaded.release}`);
  }
  if (dryRun) return wouldRun(command);
  const { requireDocker } = await startingRuns(() => import('./docker/docker-client.ts'));
  await requireDocker();
  const up = await import('./commands/up.ts');
  if (command === 'up') return up.upCommand(lab!, parseOverrides(values), (line) => process.stderr.write(`${line}\n`));
  if (command === 'status') return up.statusCommand();
  if (command === 'logs') return up.logsCommand(lab, role);
  return up.downCommand(lab);
}

// setup and clean: the machine's engine and images, and what dead runs left.
async function machineCommand(command: 'setup' | 'clean', positionals: string[], values: Values, dryRun: boolean): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`\`${command}\` takes no lab names (got ${positionals.slice(1).join(', ')}).`);
  if (command === 'clean') {
    if (dryRun) return wouldRun('clean');
    const { cleanCommand } = await import('./commands/clean.ts');
    return cleanCommand(Boolean(values.force));
  }
  const asked = releaseFlag(values);
  const releases: Release[] = asked === 'all' ? [...RELEASES] : [oneOf(releaseFlagName(values), asked ?? 'bookworm', RELEASES)];
  if (dryRun) return wouldRun(`setup for ${releases.join(', ')}`);
  const { runSetup } = await import('./setup.ts');
  await runSetup(releases, (line) => process.stderr.write(`${line}\n`), {
    browser: Boolean(values.browser),
    podman: Boolean(values.podman),
    fronts: Boolean(values.fronts),
  });
  return 0;
}

// Labs by name or --all, each N times (--repeat), one or several at once.
async function labsCommand(positionals: string[], values: Values, dryRun: boolean): Promise<number> {
  const parallel = parseParallel(values.parallel);
  const repeat = parseRepeat(values.repeat);
  const { resolveEntries, runOne, runMany } = await import('./commands/run.ts');
  const resolved = await resolveEntries(values, positionals);
  const skipped = resolved.skipped;
  // Each lab N times, in rounds (every lab once, then again), so a lab's repeats don't run side by side.
  const entries = repeat > 1 ? Array.from({ length: repeat }, (_, i) => resolved.entries.map((e) => ({ ...e, repeat: i + 1 }))).flat() : resolved.entries;
  if (values.keep && (entries.length !== 1 || values.all))
    throw new UsageError("--keep leaves one lab's stack up: name one lab (or use `npm run lab -- up <lab>`).");
  if (dryRun) return wouldRun(`${entries.map((e) => `${e.name} [${e.lab.release}]`).join(', ')}${skipped.length ? ` (${skipped.length} left out)` : ''}`);
  if (entries.length === 1 && !values.all && !skipped.length) return runOne(entries[0]!, Boolean(values.json), Boolean(values.keep));
  return runMany(entries, parallel, Boolean(values.json), skipped, repeat > 1);
}

// Docker, testcontainers and the chart library load only for the commands that use them: --help and --list stay quick.
async function main(argv: string[]): Promise<number> {
  // `check` has flags of its own (a user's stack): its module parses them.
  if (argv[0] === 'check') {
    const { runCheckCommand } = await startingRuns(() => import('./commands/check.ts'));
    return runCheckCommand(argv.slice(1));
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageInOurWords((error as Error).message, argv);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${inUsersWords(HELP)}\n`);
    return 0;
  }
  if (values.list) {
    const { listLabs } = await import('./commands/list.ts');
    return listLabs(Boolean(values.json));
  }
  const [command] = positionals;
  const dryRun = Boolean(values['dry-run']);
  if (command === 'up' || command === 'status' || command === 'logs' || command === 'down') return stackCommand(command, positionals, values, dryRun);
  if (command === 'setup' || command === 'clean') return machineCommand(command, positionals, values, dryRun);
  // A comparison (labs/comparisons/) runs alone: its variants one after the other.
  const { listComparisonNames } = await import('./lab/load-lab.ts');
  const comparison = positionals.find((p) => listComparisonNames().includes(p));
  if (comparison) {
    if (positionals.length > 1) throw new UsageError(`${comparison} is a comparison: run it alone (npm run lab -- ${comparison}).`);
    const { runComparisonCommand } = await startingRuns(() => import('./commands/compare.ts'));
    return runComparisonCommand(comparison, values);
  }
  return labsCommand(positionals, values, dryRun);
}

exitOnSignals();

main(process.argv.slice(2)).then(
  (code) => exitAfterTeardown(code),
  (error: unknown) => {
    if (isExiting()) return;
    if (error instanceof LabError) {
      process.stderr.write(inUsersWords(`error: ${error.message}\nhint: ${error.hint}\n`));
    } else {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    void exitAfterTeardown(2);
  },
);

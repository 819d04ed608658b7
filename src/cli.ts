// The command line: argv → command → printed result → exit code (0 every check passed, 1 a check failed, 2 could not run).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LabError, UsageError } from './errors.ts';
import { listLabNames, loadLab } from './lab/load-lab.ts';
import { oneOf, parseOverrides } from './lab/overrides.ts';
import { formatBytes } from './lab/parse-size.ts';
import { FILE_SIZE_RANGE, MISSING_WORKERS, RATE_RANGE, STACKS, THROTTLES, TIMEOUT_RANGE, WORKERS, stacksWith, type Stack } from './lab/schema.ts';
import { LiveStatus } from './report/live-status.ts';
import { formatSummaryTable } from './report/summary-table.ts';
import { summarizeRun } from './report/summarize.ts';
import { formatRepeatTable, repeatRows } from './report/flakes.ts';
import { formatProgress, formatRunReport } from './report/terminal.ts';
import type { MatrixEntry } from './run-matrix.ts';
import type { LabRun } from './lab/lab-run.ts';
import { mark, phasesLine } from './phases.ts';

mark('cli');

// Docker, testcontainers and the chart library load only for the commands that use them: --help and --list stay quick.
// Set once runs may exist, so that an exit tears them down.
let runsStarted = false;
const loadRunLab = () => ((runsStarted = true), import('./run-lab.ts'));
const loadRunMatrix = () => ((runsStarted = true), import('./run-matrix.ts'));
const loadSetup = () => import('./setup.ts');
const loadActiveRuns = () => import('./topology/active-runs.ts');

const MAX_PARALLEL = 32;
// Most of a lab run is waiting on a slow transfer, so more labs than cores fit; see `npm run bench`.
const DEFAULT_PARALLEL = 6;

const HELP = `Usage:
  npm run lab -- <lab> [options]     run one lab and judge what it observed
  npm run lab -- <lab> <lab>… | --all [--parallel N] [--stack all]
                                     run several labs at once, each on its own network, and report them together
  npm run lab -- --list [--json]     list the labs with their hypotheses
  npm run lab -- setup [--stack S|all] [--browser]
                                     install/start Docker, bootstrap the Debian base, build the images;
                                     --browser also installs headless Chromium (for the report screenshot test)
  npm run lab -- check --app DIR --app-module M | --app-image IMAGE [--nginx FILE] [--gunicorn-config FILE] --path /url
                                     run the slow-client test against YOUR stack (see \`check --help\`)
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
  --stack S          Debian release of the images: ${STACKS.join(', ')}, or all (every lab on each)
  --parallel N       labs run at once with several labs (1 to ${MAX_PARALLEL}; default ${DEFAULT_PARALLEL})
  --include-slow     with --all, also the slow labs (a minute or more each; named alone, a slow lab always runs)
  --repeat N         run each lab N times (1 to 100) and report any lab whose verdict changed between runs
  --keep             leave the lab's stack up after the verdict, published on 127.0.0.1 (\`down\` removes it)
  --json             print the result as JSON on stdout, nothing else there
  -h, --help         this text

Exit codes: 0 every check passed, 1 a check failed, 2 the lab could not run.`;

const OPTIONS = {
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  rate: { type: 'string' },
  'file-size': { type: 'string' },
  timeout: { type: 'string' },
  worker: { type: 'string' },
  throttle: { type: 'string' },
  stack: { type: 'string' },
  all: { type: 'boolean' },
  browser: { type: 'boolean' },
  parallel: { type: 'string' },
  force: { type: 'boolean' },
  keep: { type: 'boolean' },
  repeat: { type: 'string' },
  'include-slow': { type: 'boolean' },
} as const;

// Every lab, each loaded on its own: a broken lab file is listed with its error, never hides the others.
// In JSON it keeps one stack, so the CI matrix gets a job for it that fails with the reason.
async function listLabs(json: boolean): Promise<number> {
  const labs = await Promise.all(
    listLabNames().map(async (name) => {
      try {
        const { lab } = await loadLab(name);
        return { name, hypothesis: lab.hypothesis, stack: lab.stack, stacks: stacksWith(lab.gunicorn.worker) as string[], slow: lab.slow };
      } catch (error) {
        if (!(error instanceof LabError)) throw error;
        return { name, hypothesis: '', stack: STACKS[0], stacks: [STACKS[0]] as string[], slow: false, error: error.message };
      }
    }),
  );
  const broken = labs.filter((l) => 'error' in l);
  for (const lab of broken) process.stderr.write(`error: ${'error' in lab ? lab.error : ''}\n`);
  if (json) {
    // `stacks`: where the lab can run (its worker class exists there); the CI matrix is built from it.
    process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
  } else {
    const width = Math.max(...labs.map((l) => l.name.length));
    for (const lab of labs) process.stdout.write(`${lab.name.padEnd(width)}  ${'error' in lab ? '(does not load: see the error above)' : lab.hypothesis}\n`);
  }
  return 0;
}

async function runOne({ name, lab }: MatrixEntry, json: boolean, keep = false): Promise<number> {
  const live = !json && process.stdout.isTTY;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`${name}: starting (${lab.stack})`);
  const { runLab } = await loadRunLab();
  mark('loaded');
  // The report is printed as soon as the verdict is known; the run's files and the removal follow.
  let printed = false;
  const print = (run: LabRun) => {
    printed = true;
    if (live) process.stdout.write('\r\x1b[2K');
    if (json) process.stdout.write(`${JSON.stringify({ name: run.name, runId: run.runId, runDir: run.runDir, lab: run.lab, verdict: run.verdict, claims: run.claims, observation: run.observation }, null, 2)}\n`);
    else process.stdout.write(`${formatRunReport(run)}\n`);
    mark('printed');
  };
  const run = await runLab(name, lab, {
    log,
    keep,
    onProgress: live ? (p) => process.stdout.write(`\r\x1b[2K${formatProgress(p.ms, p.bytes, lab.fileSizeBytes)}`) : undefined,
    onVerdict: print,
  });
  if (!printed) print(run);
  if (run.kept) {
    const { describeUp, readHostBuffers } = await import('./commands/up.ts');
    (json ? process.stderr : process.stdout).write(`\n${describeUp(name, lab, run.kept, readHostBuffers())}\n`);
  }
  return run.verdict.passed ? 0 : 1;
}

async function runMany(entries: MatrixEntry[], parallel: number, json: boolean, skipped: string[] = [], repeated = false): Promise<number> {
  const status = new LiveStatus(json ? process.stderr : process.stdout);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`running ${entries.length} labs, ${Math.min(parallel, entries.length)} at a time`);
  const { runMatrix } = await loadRunMatrix();
  const result = await runMatrix(entries, { parallel, onEvent: (e) => status.handle(e), log, notes: skipped });
  status.finish();
  const failed = result.runs.filter((r) => !r.verdict.passed).length;
  const reportDir = path.relative(process.cwd(), result.reports.dir) || '.';
  if (json) {
    const summary = result.runs.map(summarizeRun);
    const repeats = repeated ? repeatRows(result.runs) : undefined;
    process.stdout.write(`${JSON.stringify({ passed: failed === 0 && result.errors.length === 0, wallMs: result.wallMs, summary, notes: result.notes, errors: result.errors, repeats, reportDir }, null, 2)}\n`);
  } else {
    const lines = [
      '',
      formatSummaryTable(result.runs.map(summarizeRun), process.stdout.isTTY ? process.stdout.columns : undefined),
      ...result.notes.map((n) => `note: ${n}`),
      ...result.errors.map((e) => `error: ${e.key} could not run: ${e.message}`),
      ...(repeated ? ['', formatRepeatTable(repeatRows(result.runs)), ''] : []),
      `Wall time ${(result.wallMs / 1000).toFixed(1)} s. Reports: ${reportDir}/ (report.html, summary.md, junit.xml, result.json)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.errors.length) return 2;
  return failed ? 1 : 0;
}

// The argument parser's messages, said as the rest of the CLI says them: what is wrong and what is allowed.
const RANGES: Record<string, string> = {
  timeout: `a whole number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}`,
  rate: `a size from ${formatBytes(RATE_RANGE.min)} to ${formatBytes(RATE_RANGE.max)} per second (e.g. 512k), or off`,
  'file-size': `a size from ${formatBytes(FILE_SIZE_RANGE.min)} to ${formatBytes(FILE_SIZE_RANGE.max)} (e.g. 32m)`,
  parallel: `a whole number from 1 to ${MAX_PARALLEL}`,
  repeat: 'a whole number from 1 to 100',
  worker: `one of ${WORKERS.join(', ')}`,
  throttle: `one of ${THROTTLES.join(', ')}`,
  stack: `one of ${STACKS.join(', ')}, or all`,
};

function usageInOurWords(message: string, argv: readonly string[]): UsageError {
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

function parseRepeat(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPEAT) throw new UsageError(`--repeat ${text}: must be a whole number from 1 to ${MAX_REPEAT}.`);
  return n;
}

function parseParallel(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PARALLEL;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) throw new UsageError(`--parallel ${text}: must be a whole number from 1 to ${MAX_PARALLEL}.`);
  return n;
}

// Every lab asked for, on every stack asked for, loaded and validated before anything starts. In a matrix
// (--all or --stack all), a lab whose worker class a stack lacks is left out there with a note; named alone, it is an error.
async function resolveEntries(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<{ entries: MatrixEntry[]; skipped: string[] }> {
  if (values.all && positionals.length) throw new UsageError(`--all runs every lab; name no lab with it (got ${positionals.join(', ')}).`);
  const names = values.all ? listLabNames() : positionals;
  if (!names.length) throw new UsageError('Name a lab to run.', 'Run `npm run lab -- --list` to see the labs, or `npm run lab -- --help`.');
  const allStacks = values.stack === 'all';
  const overrides = parseOverrides({ ...values, stack: allStacks ? undefined : values.stack });
  const stacks: Array<Stack | undefined> = allStacks ? [...STACKS] : [undefined];
  const matrix = Boolean(values.all) || allStacks;
  const entries: MatrixEntry[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    // The lab on its own stack says which worker class it needs.
    const { stack: _asked, ...others } = overrides;
    const own = matrix ? (await loadLab(name, others)).lab : undefined;
    if (values.all && own?.slow && !values['include-slow']) {
      skipped.push(`${name} not run: a slow lab (a minute or more); --include-slow runs it with --all, or name it`);
      continue;
    }
    for (const stack of stacks) {
      const target = stack ?? overrides.stack;
      const missing = own && target ? MISSING_WORKERS[target]?.[own.gunicorn.worker] : undefined;
      if (missing) skipped.push(`${name} [${target}] not run: ${missing}`);
      else entries.push(await loadLab(name, stack ? { ...overrides, stack } : overrides));
    }
  }
  return { entries, skipped };
}

async function main(argv: string[]): Promise<number> {
  // `check` has flags of its own (a user's stack): its module parses them.
  if (argv[0] === 'check') {
    runsStarted = true;
    const { runCheckCommand } = await import('./commands/check.ts');
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
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.list) return listLabs(Boolean(values.json));
  const [command] = positionals;
  if (command === 'up' || command === 'status' || command === 'logs' || command === 'down') {
    runsStarted = true;
    const { requireDocker } = await import('./docker/docker-client.ts');
    await requireDocker();
    const up = await import('./commands/up.ts');
    const [, lab, role, ...extra] = positionals;
    if (command === 'up') {
      if (!lab || role) throw new UsageError('up takes one lab: npm run lab -- up <lab> [--file-size 64m --worker gevent ...].');
      return up.upCommand(lab, parseOverrides(values), (line) => process.stderr.write(`${line}\n`));
    }
    if (command === 'status') return up.statusCommand();
    if (command === 'logs') {
      if (extra.length) throw new UsageError('logs takes a lab and a role: npm run lab -- logs <lab> [app|nginx|client].');
      return up.logsCommand(lab, role);
    }
    if (role) throw new UsageError('down takes at most one lab: npm run lab -- down [<lab>].');
    return up.downCommand(lab);
  }
  if (command === 'setup' || command === 'clean') {
    if (positionals.length > 1) throw new UsageError(`\`${command}\` takes no lab names (got ${positionals.slice(1).join(', ')}).`);
  }
  if (command === 'setup') {
    const stacks: Stack[] = values.stack === 'all' ? [...STACKS] : [oneOf('stack', values.stack ?? 'bookworm', STACKS)];
    const { runSetup } = await loadSetup();
    await runSetup(stacks, (line) => process.stderr.write(`${line}\n`), { browser: Boolean(values.browser) });
    return 0;
  }
  if (command === 'clean') {
    const { requireDocker } = await import('./docker/docker-client.ts');
    await requireDocker();
    const { removeLeftovers } = await loadActiveRuns();
    const { containers, networks, volumes, running } = await removeLeftovers({ force: Boolean(values.force) });
    const names = [...containers, ...networks, ...volumes];
    process.stdout.write(
      `Removed ${containers.length} container(s), ${networks.length} network(s) and ${volumes.length} volume(s)${names.length ? `: ${names.join(', ')}` : ''}.\n` +
        (running.length ? `Left ${running.length} run(s) whose process is still going (${running.join(', ')}); \`clean --force\` removes them too.\n` : ''),
    );
    return 0;
  }
  const parallel = parseParallel(values.parallel);
  const repeat = parseRepeat(values.repeat);
  const resolved = await resolveEntries(values, positionals);
  const skipped = resolved.skipped;
  // Each lab N times, in rounds (every lab once, then again), so a lab's repeats don't run side by side.
  const entries = repeat > 1 ? Array.from({ length: repeat }, (_, i) => resolved.entries.map((e) => ({ ...e, repeat: i + 1 }))).flat() : resolved.entries;
  if (values.keep && (entries.length !== 1 || values.all)) throw new UsageError('--keep leaves one lab\'s stack up: name one lab (or use `npm run lab -- up <lab>`).');
  if (entries.length === 1 && !values.all && !skipped.length) return runOne(entries[0]!, Boolean(values.json), Boolean(values.keep));
  return runMany(entries, parallel, Boolean(values.json), skipped, repeat > 1);
}

// Every exit goes through here, after this process's runs are removed. Once a signal has started the exit,
// the pipeline's own ending (its transfer was cut by the teardown) must not exit first.
let exiting: Promise<void> | undefined;
function exitAfterTeardown(code: number): Promise<void> {
  const exit = () => {
    mark('exit');
    const line = phasesLine();
    if (line) process.stderr.write(line);
    process.exit(code);
  };
  // Only a process that started runs has loaded the module that tracks them.
  exiting ??= (runsStarted ? loadActiveRuns().then((m) => m.teardownActiveRuns()) : Promise.resolve([])).then(exit, exit);
  return exiting;
}

// `on`, not `once`: a loader that exits when no listener is left (tsx does) must keep seeing ours.
// Exit codes as a shell reports a death by each signal (128 + its number): Ctrl-C, kill, a closed terminal.
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (exiting) return;
    process.stderr.write(`\n${signal}: removing this run's containers, network and volume…\n`);
    void exitAfterTeardown(SIGNAL_EXIT[signal]);
  });
}

main(process.argv.slice(2)).then(
  (code) => exitAfterTeardown(code),
  (error: unknown) => {
    if (exiting) return;
    if (error instanceof LabError) {
      process.stderr.write(`error: ${error.message}\nhint: ${error.hint}\n`);
    } else {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    void exitAfterTeardown(2);
  },
);

// The command line: argv → command → printed result → exit code (0 every check passed, 1 a check failed, 2 could not run).
import { parseArgs } from 'node:util';
import { LabError, UsageError } from './errors.ts';
import { listLabNames, loadLab } from './lab/load-lab.ts';
import { oneOf, parseOverrides, type Overrides } from './lab/overrides.ts';
import { formatBytes } from './lab/parse-size.ts';
import { FILE_SIZE_RANGE, RATE_RANGE, STACKS, THROTTLES, TIMEOUT_RANGE, WORKERS, type Stack } from './lab/schema.ts';
import { formatProgress, formatRunReport } from './report/terminal.ts';
import { runLab } from './run-lab.ts';
import { runSetup } from './setup.ts';
import { teardownActiveRuns } from './topology/active-runs.ts';
import { removeAllRuns } from './topology/teardown.ts';

const HELP = `Usage:
  npm run lab -- <lab> [options]     run one lab and judge what it observed
  npm run lab -- --list [--json]     list the labs with their hypotheses
  npm run lab -- setup [--stack S]   install/start Docker, bootstrap the Debian base, build the images
  npm run lab -- clean               remove every container and network a lab run left

Options for a run (they override the lab's values, for exploring):
  --rate SIZE        client download rate per second: bytes or k/m/g (binary), e.g. 512k, 8m; "off" for unthrottled
                     (${formatBytes(RATE_RANGE.min)} to ${formatBytes(RATE_RANGE.max)})
  --file-size SIZE   size of the file served (${formatBytes(FILE_SIZE_RANGE.min)} to ${formatBytes(FILE_SIZE_RANGE.max)})
  --timeout S        Gunicorn's worker --timeout in seconds (${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max})
  --worker W         Gunicorn worker class: ${WORKERS.join(', ')}
  --throttle T       how the client is slow: ${THROTTLES.join(', ')}
  --stack S          Debian release of the images: ${STACKS.join(', ')}
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
} as const;

async function listLabs(json: boolean): Promise<number> {
  const labs = await Promise.all((listLabNames()).map((name) => loadLab(name)));
  if (json) {
    process.stdout.write(`${JSON.stringify(labs.map(({ name, lab }) => ({ name, hypothesis: lab.hypothesis, stack: lab.stack })), null, 2)}\n`);
  } else {
    const width = Math.max(...labs.map((l) => l.name.length));
    for (const { name, lab } of labs) process.stdout.write(`${name.padEnd(width)}  ${lab.hypothesis}\n`);
  }
  return 0;
}

async function runOne(name: string, overrides: Overrides, json: boolean): Promise<number> {
  const { lab } = await loadLab(name, overrides);
  const live = !json && process.stdout.isTTY;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`${name}: starting (${lab.stack})`);
  const run = await runLab(name, lab, {
    log,
    onProgress: live ? (p) => process.stdout.write(`\r\x1b[2K${formatProgress(p.ms, p.bytes, lab.fileSizeBytes)}`) : undefined,
  });
  if (live) process.stdout.write('\r\x1b[2K');
  if (json) process.stdout.write(`${JSON.stringify({ name: run.name, runId: run.runId, runDir: run.runDir, lab: run.lab, verdict: run.verdict, claims: run.claims, observation: run.observation }, null, 2)}\n`);
  else process.stdout.write(`${formatRunReport(run)}\n`);
  return run.verdict.passed ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.list) return listLabs(Boolean(values.json));
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('Name a lab to run.', `Run \`npm run lab -- --list\` to see the labs, or \`npm run lab -- --help\`.`);
  if (rest.length) throw new UsageError(`One lab at a time: got ${positionals.join(', ')}.`);
  if (command === 'setup') {
    const stacks: Stack[] = values.stack === 'all' ? [...STACKS] : [oneOf('stack', values.stack ?? 'bookworm', STACKS)];
    await runSetup(stacks, (line) => process.stderr.write(`${line}\n`));
    return 0;
  }
  if (command === 'clean') {
    const { containers, networks, volumes } = await removeAllRuns();
    const names = [...containers, ...networks, ...volumes];
    process.stdout.write(
      `Removed ${containers.length} container(s), ${networks.length} network(s) and ${volumes.length} volume(s)${names.length ? `: ${names.join(', ')}` : ''}.\n`,
    );
    return 0;
  }
  return runOne(command, parseOverrides(values), Boolean(values.json));
}

// Every exit goes through here, after this process's runs are removed. Once a signal has started the exit,
// the pipeline's own ending (its transfer was cut by the teardown) must not exit first.
let exiting: Promise<void> | undefined;
function exitAfterTeardown(code: number): Promise<void> {
  exiting ??= teardownActiveRuns().then(
    () => process.exit(code),
    () => process.exit(code),
  );
  return exiting;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: removing this run's containers and network…\n`);
    void exitAfterTeardown(signal === 'SIGINT' ? 130 : 143);
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

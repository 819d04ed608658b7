// Running a comparison from the command line: its variants one after the other with a line each, then its table,
// relations and claims (or JSON), and the exit code of its verdict.
import { UsageError } from '../errors.ts';
import { loadComparison } from '../lab/load-lab.ts';
import { parseOverrides, releaseFlag } from '../lab/overrides.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { mark } from '../phases.ts';
import { comparisonJson, describeVariant, formatComparisonReport } from '../report/comparison-report.ts';
import { startingRuns } from './process-exit.ts';

export async function runComparisonCommand(name: string, values: Record<string, string | boolean | undefined>): Promise<number> {
  // A comparison runs its variants itself, one at a time, on one release.
  for (const flag of ['all', 'keep', 'repeat', 'parallel'] as const) {
    if (values[flag] !== undefined && values[flag] !== false)
      throw new UsageError(`--${flag} does not apply to a comparison (${name} runs its variants one after the other); run it alone: npm run lab -- ${name}.`);
  }
  if (releaseFlag(values) === 'all') throw new UsageError(`A comparison runs on one release: --release bookworm, trixie or sid (${name} once per release).`);
  const json = Boolean(values.json);
  const { comparison, variants } = await loadComparison(name, parseOverrides(values));
  if (values['dry-run']) {
    process.stdout.write(`dry run: ${name} on ${comparison.release}: ${variants.length} variants\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const live = !json && process.stdout.isTTY;
  const { runComparison } = await startingRuns(() => import('../run-comparison.ts'));
  mark('loaded');
  const run = await runComparison(name, comparison, variants, {
    log,
    onVariantStart: (variant, index, count, lab) => log(`${name}: variant ${index + 1} of ${count}, ${variant} (${describeVariant(lab)}, ${lab.release})`),
    onProgress: live
      ? (variant, p) => process.stdout.write(`\r\x1b[2K  ${variant}: ${(p.ms / 1000).toFixed(1)} s, download 0 at ${formatBytes(p.bytes)}`)
      : undefined,
    onVariantDone: (variant, r) => {
      if (live) process.stdout.write('\r\x1b[2K');
      const c = r.observation.capacity;
      const held = r.observation.capacitySearch;
      const what = c
        ? `${c.completed} of ${c.downloads} completed, ${c.cut} cut, ${c.unfinished} unfinished, ${c.waited} waited`
        : held
          ? `held ${held.stalledAt === null ? '≥ ' : ''}${held.held} slow client(s)${held.stalledAt === null ? '' : `, the probe stalled at ${held.stalledAt}`}`
          : 'one download';
      log(`  ${variant}: ${what} (${(r.observation.timings.transferMs / 1000).toFixed(1)} s)`);
    },
  });
  process.stdout.write(json ? `${JSON.stringify(comparisonJson(run), null, 2)}\n` : `\n${formatComparisonReport(run)}\n`);
  return run.verdict.passed ? 0 : 1;
}

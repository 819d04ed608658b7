// The pipeline of a comparison: each variant run as a lab, one after the other (each on its own release, removed
// before the next starts, so no variant's load bends another's numbers), then the relations judged and reported.
import path from 'node:path';
import type { ClientProgress } from './client/client-output.ts';
import { resolveVariants, type Comparison } from './lab/comparison.ts';
import type { ComparisonRun } from './run/comparison-run.ts';
import type { RunRecord } from './run/run-record.ts';
import type { Lab } from './lab/schema.ts';
import { writeComparisonReports } from './report/comparison-report.ts';
import { runLab } from './run-lab.ts';
import { DEFAULT_RUNS_DIR } from './run-session.ts';
import { newRunId } from './topology/names.ts';
import { assessComparisonClaims, judgeRelations } from './verdict/relations.ts';

export interface ComparisonOptions {
  runsDir?: string;
  log?: (line: string) => void;
  onVariantStart?: (variant: string, index: number, count: number, lab: Lab) => void;
  onProgress?: (variant: string, progress: ClientProgress) => void;
  onVariantDone?: (variant: string, run: RunRecord) => void;
}

export async function runComparison(
  name: string,
  comparison: Comparison,
  variants: ReturnType<typeof resolveVariants>['variants'],
  options: ComparisonOptions = {},
): Promise<ComparisonRun> {
  const started = Date.now();
  const runId = newRunId();
  const runDir = path.join(options.runsDir ?? DEFAULT_RUNS_DIR, name, runId);
  const runs: ComparisonRun['variants'] = [];
  for (const [index, { variant, lab }] of variants.entries()) {
    options.onVariantStart?.(variant, index, variants.length, lab);
    // Saved inside the comparison's folder (variants/<name>.<variant>/<run-id>/), without reports of its own.
    const run = await runLab(`${name}.${variant}`, lab, {
      runsDir: path.join(runDir, 'variants'),
      log: options.log,
      reports: false,
      voidOnBootKills: false,
      onProgress: options.onProgress ? (p) => options.onProgress!(variant, p) : undefined,
    });
    options.onVariantDone?.(variant, run);
    runs.push({ variant, run });
  }
  const observations = Object.fromEntries(runs.map(({ variant, run }) => [variant, run.observation]));
  const result: ComparisonRun = {
    name,
    runId,
    runDir,
    release: variants[0]?.lab.release ?? comparison.release,
    comparison,
    variants: runs,
    verdict: judgeRelations(comparison.relations, observations),
    claims: assessComparisonClaims(comparison.claims, observations),
    wallMs: Date.now() - started,
  };
  await writeComparisonReports(result);
  return result;
}

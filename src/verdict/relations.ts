// Judges a comparison: each relation between two variants' measured numbers holds or not. Pure: a failed relation
// is data, and a number that was not observed fails its relation (absence of evidence is not evidence).
import type { Measure, Relation } from '../lab/comparison.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Observation } from '../observe/observation.ts';
import { gunicornBusyMs, type Check, type ClaimFinding } from './judge.ts';

export const MEASURE_LABELS: Record<Measure, string> = {
  completed: 'downloads completed',
  cut: 'downloads cut',
  unfinished: "downloads unfinished at the client's deadline",
  waited: 'downloads that only waited',
  peakConcurrent: 'downloads fed at once',
  memoryPerDownloadBytes: 'app memory per download fed at once',
  appPeakBytes: 'app memory',
  nginxTempPeakBytes: 'Nginx temp files at most',
  gunicornBusyMs: 'Gunicorn busy on the download',
  slowClientsHeld: 'slow clients held with the probe answered in time',
};

export function measureOf(o: Observation, measure: Measure): number | null {
  if (measure === 'appPeakBytes') return o.resources.app?.bytes ?? null;
  if (measure === 'nginxTempPeakBytes') return o.nginx?.tempPeakBytes ?? null;
  if (measure === 'gunicornBusyMs') return gunicornBusyMs(o);
  if (measure === 'slowClientsHeld') return o.capacitySearch?.held ?? null;
  const capacity = o.capacity;
  if (!capacity) return null;
  return capacity[measure];
}

export function formatMeasure(measure: Measure, value: number | null): string {
  if (value === null) return 'not observed';
  if (measure === 'gunicornBusyMs') return `${Math.round(value)} ms`;
  if (measure === 'slowClientsHeld') return String(value);
  return measure === 'memoryPerDownloadBytes' || measure === 'appPeakBytes' || measure === 'nginxTempPeakBytes' ? formatBytes(value) : String(value);
}

export function judgeRelation(relation: Relation, observations: Record<string, Observation>): Check {
  const value = (variant: string) => {
    const o = observations[variant];
    return o ? measureOf(o, relation.measure) : null;
  };
  const left = value(relation.left);
  const right = value(relation.right);
  return {
    name: `${MEASURE_LABELS[relation.measure]}: ${relation.left} ${relation.op} ${relation.right}`,
    expected: `${relation.left} ${relation.op === '>' ? 'more than' : 'less than'} ${relation.right}`,
    actual: `${relation.left} ${formatMeasure(relation.measure, left)}, ${relation.right} ${formatMeasure(relation.measure, right)}`,
    passed: left !== null && right !== null && (relation.op === '>' ? left > right : left < right),
  };
}

export function judgeRelations(relations: Relation[], observations: Record<string, Observation>): { passed: boolean; checks: Check[] } {
  const checks = relations.map((r) => judgeRelation(r, observations));
  return { passed: checks.every((c) => c.passed), checks };
}

// A claim is confirmed when every relation it says holds, refuted when none does, nuanced between.
export function assessComparisonClaims(claims: Array<{ quote: string; says: Relation[] }>, observations: Record<string, Observation>): ClaimFinding[] {
  return claims.map(({ quote, says }) => {
    const checks = says.map((r) => judgeRelation(r, observations));
    const held = checks.filter((c) => c.passed).length;
    return { quote, status: held === checks.length ? 'confirmed' : held === 0 ? 'refuted' : 'nuanced', checks };
  });
}

// What a failed --all run says about each lab that failed: its failing checks (expected against observed) and the
// log lines the wait went without, read from the lab's run folder, so a test's message names the cause.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './run-cli.ts';

interface SummaryLine {
  name: string;
  runId?: string;
  passed: boolean;
  observed: string;
}

interface VerdictFile {
  verdict: { checks: Array<{ name: string; expected: string; actual: string; passed: boolean }> };
}

export function describeFailedLabs(summary: SummaryLine[], runsDir = path.join(ROOT, 'runs')): string {
  return summary
    .filter((s) => !s.passed)
    .map((s) => {
      const lines = [`${s.name}: ${s.observed}`];
      if (!s.runId) return lines.concat('  (no run folder)').join('\n');
      const folder = path.join(runsDir, s.name, s.runId);
      try {
        const { verdict } = JSON.parse(readFileSync(path.join(folder, 'verdict.json'), 'utf8')) as VerdictFile;
        for (const c of verdict.checks.filter((check) => !check.passed)) lines.push(`  ✘ ${c.name}: expected ${c.expected}, observed ${c.actual}`);
        const observation = JSON.parse(readFileSync(path.join(folder, 'observation.json'), 'utf8')) as { logs?: { waitedMs?: number; missing?: string[] } };
        if (observation.logs?.missing?.length)
          lines.push(`  logs waited ${observation.logs.waitedMs} ms, still missing: ${observation.logs.missing.join('; ')}`);
      } catch (error) {
        lines.push(`  (${folder}: ${(error as Error).message})`);
      }
      return lines.join('\n');
    })
    .join('\n');
}

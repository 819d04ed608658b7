// One run of a comparison as its reports receive it: every variant's run, and the relations judged between them.
import type { Check, ClaimFinding } from '../verdict/judge.ts';
import type { Comparison } from '../lab/comparison.ts';
import type { RunOfLab } from './run-record.ts';

export interface ComparisonRun {
  name: string;
  runId: string;
  runDir: string;
  release: string;
  comparison: Comparison;
  variants: Array<{ variant: string; run: RunOfLab }>;
  verdict: { passed: boolean; checks: Check[] };
  claims: ClaimFinding[];
  wallMs: number;
}

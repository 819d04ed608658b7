// Markdown fit for a CI job summary ($GITHUB_STEP_SUMMARY): the summary table, then each lab's checks and claims.
import type { RunRecord } from '../run/run-record.ts';
import { interpret } from './interpret.ts';
import { overviewTable } from './overview.ts';
import { capacityChartLines } from './capacity-chart.ts';
import {
  describeCapacitySearch,
  describeClient,
  describeGunicorn,
  describeMemory,
  describeMissingLogs,
  describeNginx,
  describeFrontLines,
} from './terminal.ts';
import { summarizeRun } from './summarize.ts';
import { headline, type UnrunLab } from './unrun-lab.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

// Where several labs ran: what each got and cost, before the verdicts (overview.ts).
function overviewMarkdown(runs: readonly RunRecord[]): string[] {
  if (new Set(runs.map((r) => r.name)).size < 2) return [];
  const { header, rows } = overviewTable(runs);
  return [
    '## Overview: did the client get the whole body, and at what cost',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    "Memory is the container's peak (Nginx's includes its temp files); Gunicorn busy is its request's time, or the kill's; first byte is the client's first body byte.",
    '',
    '## Verdicts',
    '',
  ];
}

export function renderMarkdown(runs: readonly RunRecord[], notes: readonly string[] = [], unrun: readonly UnrunLab[] = []): string {
  const passed = runs.filter((r) => r.verdict.passed).length;
  const only = runs.length === 1 && !unrun.length ? runs[0]!.title : undefined;
  const lines = [
    only ? `# ${only}` : `# Gunicorn slow-client lab: ${headline(passed, runs.length, unrun)}`,
    '',
    ...overviewMarkdown(runs),
    '| lab | release | expected | observed | verdict | article claims |',
    '| --- | --- | --- | --- | --- | --- |',
    ...runs.map((run) => {
      const s = summarizeRun(run);
      return `| ${cell(s.name)} | ${s.release} | ${cell(s.expected)} | ${cell(s.observed)} | ${s.passed ? '✅ pass' : '❌ fail'} ${s.checksPassed}/${s.checks} | ${cell(s.claims)} |`;
    }),
    ...unrun.map((u) => `| ${cell(u.key)} | | | ${cell(u.message)} | ⚠️ could not run | |`),
  ];
  if (notes.length) lines.push('', ...notes.map((n) => `> ${n}`));
  for (const run of runs) {
    lines.push('', `## ${run.name} (${run.release})`, '', `*${run.hypothesis}*`, '');
    if (run.description) lines.push(`- description: ${run.description}`);
    const search = run.observation.capacitySearch;
    if (search) lines.push(`- capacity: ${describeCapacitySearch(search)}`, '', '```', ...capacityChartLines(search), '```', '');
    else lines.push(`- client: ${describeClient(run.observation)}`);
    lines.push(`- gunicorn: ${describeGunicorn(run.observation)}`);
    const nginx = describeNginx(run.observation);
    if (nginx) lines.push(`- nginx: ${nginx}`);
    const front = describeFrontLines(run.observation);
    if (front) lines.push(`- front: ${front}`);
    lines.push(`- memory: ${describeMemory(run.observation)}`);
    for (const note of [...(run.notes ?? []), ...describeMissingLogs(run.observation)]) lines.push(`- note: ${note}`);
    for (const reading of interpret(run.observation)) lines.push(`- reading: ${reading}`);
    lines.push('', '| check | expected | observed | |', '| --- | --- | --- | --- |');
    for (const c of run.verdict.checks) lines.push(`| ${cell(c.name)} | ${cell(c.expected)} | ${cell(c.actual)} | ${c.passed ? '✅' : '❌'} |`);
    for (const claim of run.claims) {
      lines.push('', `Article: "${claim.quote}" — **${claim.status}**`);
      for (const c of claim.checks) lines.push(`  - ${c.passed ? '✔' : '✘'} ${c.name}: claimed ${c.expected}, observed ${c.actual}`);
    }
    if (run.next?.length) lines.push('', '### What to do next', '', ...run.next.map((n) => `- ${n}`));
  }
  return `${lines.join('\n')}\n`;
}

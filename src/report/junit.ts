// JUnit XML: a test suite per lab run, a test case per check, so any CI renders the verdicts.
import type { RunRecord } from '../run/run-record.ts';
import type { UnrunLab } from './unrun-lab.ts';

import type { Check } from '../verdict/judge.ts';

export const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

// A test case per check, failed with what was expected and observed.
export function junitCases(suite: string, checks: readonly Check[]): string[] {
  return checks.map((check) => {
    const head = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(check.name)}" time="0">`;
    if (check.passed) return `${head}</testcase>`;
    const message = `expected ${check.expected}, observed ${check.actual}`;
    return `${head}\n      <failure message="${escapeXml(message)}" type="verdict">${escapeXml(message)}</failure>\n    </testcase>`;
  });
}

export function renderJUnit(runs: readonly RunRecord[], unrun: readonly UnrunLab[] = []): string {
  const failures = runs.reduce((n, r) => n + r.verdict.checks.filter((c) => !c.passed).length, 0);
  const tests = runs.reduce((n, r) => n + r.verdict.checks.length, 0);
  const suites = runs.map((run) => {
    const seconds = (run.observation.timings.startMs + run.observation.timings.transferMs + run.observation.timings.observeMs) / 1000;
    const suite = `${run.name} [${run.release}]`;
    const cases = junitCases(suite, run.verdict.checks);
    const failed = run.verdict.checks.filter((c) => !c.passed).length;
    return [
      `  <testsuite name="${escapeXml(suite)}" tests="${run.verdict.checks.length}" failures="${failed}" errors="0" time="${seconds.toFixed(3)}">`,
      `    <properties><property name="hypothesis" value="${escapeXml(run.hypothesis)}"/><property name="run" value="${escapeXml(run.runId)}"/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  // A lab that could not run is a suite with one case in error: CI shows it red, never as absent.
  const errored = unrun.map((u) =>
    [
      `  <testsuite name="${escapeXml(u.key)}" tests="1" failures="0" errors="1" time="0">`,
      `    <testcase classname="${escapeXml(u.key)}" name="lab runs" time="0">`,
      `      <error message="${escapeXml(u.message)}" type="could-not-run">${escapeXml(u.message)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    ].join('\n'),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gunicorn-slow-client-lab" tests="${tests + unrun.length}" failures="${failures}" errors="${unrun.length}">\n${[...suites, ...errored].join('\n')}\n</testsuites>\n`;
}

// Unit tests of src/report/summary-table.ts.
import test from 'ava';
import { summarizeRun } from '../../src/report/summarize.ts';
import { formatSummaryTable } from '../../src/report/summary-table.ts';
import { bookworm, trixie, failing } from './helpers/reports.ts';

test('the terminal table has a row per run and counts the passes', (t) => {
  const table = formatSummaryTable([bookworm, trixie, failing].map(summarizeRun));
  const lines = table.split('\n');
  t.regex(lines[0] ?? '', /^lab\s+release\s+hypothesis\s+expected\s+observed\s+time\s+verdict$/);
  t.is(lines.filter((l) => l.startsWith('proxy-buffering-off')).length, 2);
  t.regex(table, /fast-but-expected-killed\s+bookworm.*FAIL 1\/3/);
  t.regex(table, /2 of 3 labs passed$/);
  // On a narrow terminal the hypothesis gives way, down to 16 characters, so a row stays on one line.
  const narrow = formatSummaryTable([bookworm, trixie].map(summarizeRun), 170).split('\n');
  t.true(
    narrow.slice(0, 4).every((l) => l.length <= 170),
    narrow.map((l) => l.length).join(' '),
  );
});

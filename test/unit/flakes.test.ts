// Unit tests of src/report/flakes.ts.
import test from 'ava';
import { formatRepeatTable, repeatRows } from '../../src/report/flakes.ts';
import { fixtureRun } from './helpers/load-fixture.ts';
import { killed } from './helpers/reports.ts';

test('--repeat: a lab whose verdict changed between runs is a flake, both observations side by side', (t) => {
  const pass = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed);
  const fail = fixtureRun('bookworm-sync-fast', 'proxy-buffering-off', 'bookworm', killed);
  const steady = fixtureRun('trixie-sync-killed', 'proxy-buffering-off', 'trixie', killed);
  const rows = repeatRows([pass, steady, fail, steady]);
  t.deepEqual(
    rows.map((r) => [r.key, r.runs, r.passed, r.flaky]),
    [
      ['proxy-buffering-off [bookworm]', 2, 1, true],
      ['proxy-buffering-off [trixie]', 2, 2, false],
    ],
  );
  const text = formatRepeatTable(rows);
  t.regex(text, /^Repeats: 2 lab\(s\) × 2 run\(s\); 1 flake\(s\)\./);
  t.regex(text, /proxy-buffering-off \[bookworm\] {2}1\/2 passed {2}FLAKE/);
  t.regex(
    text,
    /Flake proxy-buffering-off \[bookworm\]:\n {2}passed {2}WORKER TIMEOUT ×1 · truncated .*\n {2}failed {2}no timeout · complete 8 MiB\/8 MiB · HTTP 200\n {10}✘ client transfer ends: expected truncated, observed complete/,
  );
  t.regex(formatRepeatTable(repeatRows([steady, steady])), /no flake: every lab gave the same verdict every time/);
});

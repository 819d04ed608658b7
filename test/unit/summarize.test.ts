// Unit tests of src/report/summarize.ts.
import test from 'ava';
import { summarizeRun } from '../../src/report/summarize.ts';
import { bookworm, failing } from './helpers/reports.ts';

test('summary rows say what was expected and what was observed', (t) => {
  t.like(summarizeRun(bookworm), {
    expected: 'truncated · HTTP 200 · WORKER TIMEOUT',
    observed: 'WORKER TIMEOUT ×1 · truncated 2.69 MiB/8 MiB · HTTP 200',
    passed: true,
    checksPassed: 3,
    checks: 3,
    claims: 'refuted',
  });
  t.like(summarizeRun(failing), { observed: 'no timeout · complete 8 MiB/8 MiB · HTTP 200', passed: false, checksPassed: 1 });
});

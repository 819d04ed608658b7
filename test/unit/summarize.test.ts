// Unit tests of src/report/summarize.ts.
import test from 'ava';
import { summarizeRun } from '../../src/report/summarize.ts';
import { fixtureRun } from './helpers/load-fixture.ts';

const claim500 = { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } };
const killed = { workerTimeout: true, outcome: 'truncated', clientStatus: 200 } as const;
const bookworm = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed, [claim500]);
// The fast run judged by the problem's expectation: a failing verdict, as a report must show it.
const failing = fixtureRun('bookworm-sync-fast', 'fast-but-expected-killed', 'bookworm', killed);

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

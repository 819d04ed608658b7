// Unit tests of src/report/markdown.ts.
import test from 'ava';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { fixtureRun } from './helpers/load-fixture.ts';

const claim500 = { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } };
const killed = { workerTimeout: true, outcome: 'truncated', clientStatus: 200 } as const;
const bookworm = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed, [claim500]);
// The fast run judged by the problem's expectation: a failing verdict, as a report must show it.
const failing = fixtureRun('bookworm-sync-fast', 'fast-but-expected-killed', 'bookworm', killed);

test('Markdown: summary table, then each run with its checks and claims', (t) => {
  const md = renderMarkdown([bookworm, failing], ['a note']);
  t.regex(md, /^# Gunicorn slow-client lab: 1 of 2 passed/);
  t.regex(md, /\| proxy-buffering-off \| bookworm \| truncated · HTTP 200 · WORKER TIMEOUT \| .* \| ✅ pass 3\/3 \| refuted \|/);
  t.regex(md, /\| fast-but-expected-killed \| .* \| ❌ fail 1\/3 \|/);
  t.regex(md, /> a note/);
  t.regex(md, /Article: "the response finally ends as a 500 error" — \*\*refuted\*\*/);
});

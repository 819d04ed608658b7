// Unit tests of src/report/markdown.ts.
import test from 'ava';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { bookworm, failing } from './helpers/reports.ts';

test('Markdown: summary table, then each run with its checks and claims', (t) => {
  const md = renderMarkdown([bookworm, failing], ['a note']);
  t.regex(md, /^# Gunicorn slow-client lab: 1 of 2 passed/);
  t.regex(md, /\| proxy-buffering-off \| bookworm \| truncated · HTTP 200 · WORKER TIMEOUT \| .* \| ✅ pass 3\/3 \| refuted \|/);
  t.regex(md, /\| fast-but-expected-killed \| .* \| ❌ fail 1\/3 \|/);
  t.regex(md, /> a note/);
  t.regex(md, /Article: "the response finally ends as a 500 error" — \*\*refuted\*\*/);
});

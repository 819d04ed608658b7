// Unit tests of src/report/write-reports.ts.
import test from 'ava';
import { renderHtml } from '../../src/report/html.ts';
import { renderJUnit } from '../../src/report/junit.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { resultJson } from '../../src/report/write-reports.ts';
import { bookworm, unrun } from './helpers/reports.ts';

test('a lab that could not run is an error in every report, and the matrix did not pass', (t) => {
  const xml = renderJUnit([bookworm], unrun);
  t.regex(xml, /<testsuites name="gunicorn-slow-client-lab" tests="4" failures="0" errors="1">/);
  t.regex(xml, /<testsuite name="gevent-worker \[sid\]" tests="1" failures="0" errors="1" time="0">/);
  t.regex(xml, /<error message="Building gunicorn-lab\/app:sid-1 failed: E: Unable to locate package python3-gevent" type="could-not-run">/);
  t.regex(
    renderMarkdown([bookworm], [], unrun),
    /^# Gunicorn slow-client lab: 1 of 2 passed, 1 could not run\n[^]*\| gevent-worker \[sid\] \| \| \| Building .* \| ⚠️ could not run \| \|/,
  );
  const html = renderHtml([bookworm], new Map(), unrun);
  t.regex(html, /<h1>Gunicorn slow-client lab: 1 of 2 passed, 1 could not run<\/h1>/);
  t.regex(html, /<section class="lab fail"><h2>gevent-worker \[sid\] — COULD NOT RUN<\/h2>/);
  const json = JSON.parse(resultJson([bookworm], [], unrun)) as { passed: boolean; errors: unknown[] };
  t.false(json.passed);
  t.deepEqual(json.errors, unrun);
  t.true((JSON.parse(resultJson([bookworm])) as { passed: boolean }).passed);
});

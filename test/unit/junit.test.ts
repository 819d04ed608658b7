// Unit tests of src/report/junit.ts.
import test from 'ava';
import { renderJUnit } from '../../src/report/junit.ts';
import { bookworm, failing } from './helpers/reports.ts';

test('JUnit: a test case per check, failures carry expected and observed', (t) => {
  const xml = renderJUnit([bookworm, failing]);
  t.regex(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  t.regex(xml, /<testsuites name="gunicorn-slow-client-lab" tests="6" failures="2" errors="0">/);
  t.is(xml.match(/<testcase /g)?.length, 6);
  t.regex(xml, /<failure message="expected truncated, observed complete \(8 MiB of 8 MiB\)" type="verdict">/);
  t.regex(xml, /name="Gunicorn logs WORKER TIMEOUT"/);
  t.is(xml.match(/<testsuite /g)?.length, xml.match(/<\/testsuite>/g)?.length);
});

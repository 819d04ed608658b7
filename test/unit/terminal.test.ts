// Unit tests of src/report/terminal.ts.
import test from 'ava';
import { formatRunReport } from '../../src/report/terminal.ts';
import { trixie } from './helpers/reports.ts';

test('the terminal report of one run', (t) => {
  const text = formatRunReport(trixie);
  t.regex(text, /^proxy-buffering-off {2}\(run /);
  t.regex(text, /gunicorn 23\.0\.0 \(sync worker\); WORKER TIMEOUT \(pid 12\)/);
  t.regex(text, /nuanced {3}"the response finally ends as a 500 error"/);
  t.regex(text, /Verdict: PASS \(3\/3 checks\)/);
  t.regex(text, /memory {4}app peak 47\.7 MiB · nginx peak 3\.81 MiB/);
});

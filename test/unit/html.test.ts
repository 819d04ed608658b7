// Unit tests of src/report/html.ts.
import test from 'ava';
import { inlineHtml, remedyLabs, renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { formatRunReport } from '../../src/report/terminal.ts';
import { bookworm, failing } from './helpers/reports.ts';

test('HTML page: a card per run with its chart, checks and claims', (t) => {
  const charts = new Map([
    [bookworm, '<svg id="one"></svg>'],
    [failing, '<svg id="two"></svg>'],
  ]);
  const html = renderHtml([bookworm, failing], charts);
  t.regex(html, /<h1>Gunicorn slow-client lab: 1 of 2 passed<\/h1>/);
  t.is(html.match(/<section class="lab /g)?.length, 2);
  t.regex(html, /<section class="lab fail">\n<h2>fast-but-expected-killed/);
  t.regex(html, /<svg id="one"><\/svg>/);
  t.regex(html, /<strong>refuted<\/strong>: “the response finally ends as a 500 error”/);
});

test("a check's reports are titled by the check and its stack, and end with what to do next", (t) => {
  const check = { ...failing, name: 'check', title: 'check: your stack — hurt', next: ['Best: drop `proxy_buffering off` from your Nginx config.'] };
  const html = renderHtml([check], new Map());
  t.regex(html, /<title>check: your stack — hurt<\/title>/);
  t.regex(html, /<h1>check: your stack — hurt<\/h1>/);
  t.regex(html, /<h3>What to do next<\/h3>\n<p class="reading">Best: drop <code>proxy_buffering off<\/code>/);
  const md = renderMarkdown([check]);
  t.regex(md, /^# check: your stack — hurt\n/);
  t.regex(md, /### What to do next\n\n- Best: drop `proxy_buffering off` from your Nginx config\.\n$/);
  t.regex(formatRunReport(check), /\nNext\n {2}Best: drop `proxy_buffering off` from your Nginx config\.\n\nVerdict: FAIL/);
  t.regex(renderHtml([failing], new Map()), /<h1>Gunicorn slow-client lab: 0 of 1 passed<\/h1>/, 'a lab keeps its title');
});

test("the HTML report renders `code` as code, fills the page's width, and links each remedy it suggests to the lab that proves it", (t) => {
  t.is(inlineHtml('With `proxy_buffering off` & <b>'), 'With <code>proxy_buffering off</code> &amp; &lt;b&gt;');
  t.is(inlineHtml('no code here'), 'no code here');
  const next = [
    'Best: drop `proxy_buffering off` from your Nginx config.',
    'Also: run Gunicorn with `--worker-class gthread --threads 4`.',
    "Also: raise Gunicorn's `--timeout` to 18 s: it survives by holding a worker.",
  ];
  const check = { ...failing, name: 'check', title: 'check: your stack — hurt', hypothesis: 'Your stack with `proxy_buffering off`.', next };
  const html = renderHtml([check], new Map(), [], undefined, (lab) => `../../docs/labs.md#${lab}`);
  t.regex(html, /<p class="hypothesis">Your stack with <code>proxy_buffering off<\/code>\.<\/p>/);
  t.regex(
    html,
    /Best: drop <code>proxy_buffering off<\/code> from your Nginx config\. <span class="proof">\(proved by <a href="\.\.\/\.\.\/docs\/labs\.md#proxy-buffering-on">proxy-buffering-on<\/a>\)<\/span>/,
  );
  t.regex(html, /gthread --threads 4<\/code>\. <span class="proof">\(proved by <a href="[^"]*#gthread-worker">/);
  t.regex(html, /holding a worker\. <span class="proof">\(proved by <a href="[^"]*#raised-timeout">/);
  t.notRegex(renderHtml([check], new Map()), /class="proof"/, 'no links where no docs are given');
  t.deepEqual(
    remedyLabs(
      'Remedies that fit: let Nginx read the request body whole first (`proxy_request_buffering on`, its default); an async or threaded worker (`--worker-class gevent`, or `gthread --threads 4`)',
    ),
    ['slow-upload-buffered', 'gevent-worker', 'gthread-worker'],
  );
  t.deepEqual(remedyLabs('serve the file outside Gunicorn (`X-Accel-Redirect`)'), ['x-accel-redirect']);
  // One card takes the whole width (auto-fit collapses the empty columns).
  t.regex(html, /grid-template-columns: repeat\(auto-fit, minmax\(min\(560px, 100%\), 1fr\)\)/);
});

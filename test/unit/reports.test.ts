// Reports from captured runs: the terminal table, JUnit, Markdown, the stack comparison, the chart and the HTML page.
import test from 'ava';
import { chartSpec, renderChartSvg } from '../../src/report/chart.ts';
import { compareReleases } from '../../src/report/compare-releases.ts';
import { inlineHtml, remedyLabs, renderHtml } from '../../src/report/html.ts';
import { renderJUnit } from '../../src/report/junit.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { resultJson } from '../../src/report/write-reports.ts';
import { summarizeRun } from '../../src/report/summarize.ts';
import { formatRepeatTable, repeatRows } from '../../src/report/flakes.ts';
import { formatSummaryTable } from '../../src/report/summary-table.ts';
import { describeMemory, formatRunReport } from '../../src/report/terminal.ts';
import { parseMemoryReading, parseTempPeak } from '../../src/observe/collect-evidence.ts';
import { interpret } from '../../src/report/interpret.ts';
import { overviewRows, overviewTable } from '../../src/report/overview.ts';
import { fixtureRun } from './helpers/load-fixture.ts';

const claim500 = { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } };
const killed = { workerTimeout: true, outcome: 'truncated', clientStatus: 200 } as const;
const bookworm = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed, [claim500]);
const trixie = fixtureRun('trixie-sync-killed', 'proxy-buffering-off', 'trixie', killed, [claim500]);
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

test('JUnit: a test case per check, failures carry expected and observed', (t) => {
  const xml = renderJUnit([bookworm, failing]);
  t.regex(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  t.regex(xml, /<testsuites name="gunicorn-slow-client-lab" tests="6" failures="2" errors="0">/);
  t.is(xml.match(/<testcase /g)?.length, 6);
  t.regex(xml, /<failure message="expected truncated, observed complete \(8 MiB of 8 MiB\)" type="verdict">/);
  t.regex(xml, /name="Gunicorn logs WORKER TIMEOUT"/);
  t.is(xml.match(/<testsuite /g)?.length, xml.match(/<\/testsuite>/g)?.length);
});

const unrun = [{ key: 'gevent-worker [sid]', message: 'Building gunicorn-lab/app:sid-1 failed: E: Unable to locate package python3-gevent' }];

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

test('Markdown: summary table, then each run with its checks and claims', (t) => {
  const md = renderMarkdown([bookworm, failing], ['a note']);
  t.regex(md, /^# Gunicorn slow-client lab: 1 of 2 passed/);
  t.regex(md, /\| proxy-buffering-off \| bookworm \| truncated · HTTP 200 · WORKER TIMEOUT \| .* \| ✅ pass 3\/3 \| refuted \|/);
  t.regex(md, /\| fast-but-expected-killed \| .* \| ❌ fail 1\/3 \|/);
  t.regex(md, /> a note/);
  t.regex(md, /Article: "the response finally ends as a 500 error" — \*\*refuted\*\*/);
});

test('release comparison names what differs between bookworm and trixie', (t) => {
  const notes = compareReleases([bookworm, trixie]);
  t.true(notes.some((n) => n === 'proxy-buffering-off differs between releases in Gunicorn access log: bookworm: no line; trixie: 200, 500'));
  t.true(notes.some((n) => n.startsWith('proxy-buffering-off differs between releases in article claims: bookworm: refuted; trixie: nuanced')));
  t.false(notes.some((n) => n.includes('in verdict')));
  t.deepEqual(compareReleases([bookworm]), []);
});

test('chart spec: the client line, a WORKER TIMEOUT marker and the end of the transfer', (t) => {
  const spec = chartSpec(bookworm) as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> };
  const [fileSize, line, markers] = spec.layer;
  t.is(fileSize?.data.values[0]?.mib, 8);
  t.is(line?.data.values.length, bookworm.observation.client.timeline.length);
  t.deepEqual(
    markers?.data.values.map((m) => [m.kind, m.label]),
    [
      ['timeout', 'WORKER TIMEOUT'],
      ['end', 'transfer truncated'],
    ],
  );
  const timeout = bookworm.observation.gunicorn.events.find((e) => e.kind === 'timeout');
  t.is(markers?.data.values[0]?.s, (timeout?.atMs ?? Number.NaN) / 1000);
  t.is(markers?.data.values[1]?.s, bookworm.observation.client.durationMs / 1000);
});

test('chart renders to SVG with its labels', async (t) => {
  const svg = await renderChartSvg(bookworm);
  t.regex(svg, /^<svg /);
  t.regex(svg, /WORKER TIMEOUT/);
  t.regex(svg, /transfer truncated/);
  t.regex(svg, /MiB received by the client/);
});

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

test('the terminal report of one run', (t) => {
  const text = formatRunReport(trixie);
  t.regex(text, /^proxy-buffering-off {2}\(run /);
  t.regex(text, /gunicorn 23\.0\.0 \(sync worker\); WORKER TIMEOUT \(pid 12\)/);
  t.regex(text, /nuanced {3}"the response finally ends as a 500 error"/);
  t.regex(text, /Verdict: PASS \(3\/3 checks\)/);
  t.regex(text, /memory {4}app peak 47\.7 MiB · nginx peak 3\.81 MiB/);
});

test('readings follow the observation: truncated 200, and on trixie the 500 only Gunicorn saw', (t) => {
  const onBookworm = interpret(bookworm.observation);
  t.is(onBookworm.length, 1);
  t.regex(onBookworm[0] ?? '', /^The worker was killed 2\.38 s into the request, after its 200 headers had gone out/);
  const onTrixie = interpret(trixie.observation);
  t.is(onTrixie.length, 2);
  t.regex(onTrixie[1] ?? '', /^Gunicorn 23\.0\.0 logs a 500 for the killed request .* it already holds a 200/);
  t.deepEqual(interpret(failing.observation), []);
});

test('readings on sid: Gunicorn 26 logs the killed request once, as a 200', (t) => {
  const sid = fixtureRun('sid-sync-killed', 'proxy-buffering-off', 'sid', killed, [claim500]);
  const readings = interpret(sid.observation);
  t.is(readings.length, 2);
  t.regex(readings[1] ?? '', /^Gunicorn 26\.2\.2 logs the killed request once, as a 200 with 0 bytes: its access log alone shows no failure/);
  t.false(readings.some((r) => r.includes('logs a 500')));
  t.deepEqual(
    compareReleases([bookworm, trixie, sid]).filter((n) => n.includes('Gunicorn access log')),
    ['proxy-buffering-off differs between releases in Gunicorn access log: bookworm: no line; trixie: 200, 500; sid: 200'],
  );
});

test('readings say only what was observed: no kill, no "500 for the killed request"; no Nginx, no blame on Nginx', (t) => {
  const o = structuredClone(trixie.observation);
  o.gunicorn.events = o.gunicorn.events.filter((e) => e.kind !== 'timeout');
  t.false(
    interpret(o).some((r) => r.includes('500 for the killed request')),
    'a 500 with no kill is not a killed request',
  );
  const beforeHeaders = structuredClone(bookworm.observation);
  beforeHeaders.client.status = 502;
  beforeHeaders.gunicorn.access = [];
  t.true(interpret(beforeHeaders).some((r) => r.endsWith('written by Nginx (the upstream closed with nothing sent).')));
  beforeHeaders.nginx = null;
  const direct = interpret(beforeHeaders);
  t.false(
    direct.some((r) => r.includes('Nginx')),
    direct.join('\n'),
  );
  t.true(direct.some((r) => r.endsWith('written by Gunicorn (no proxy in this lab).')));
});

test("Nginx's temp-file peak: the sampler's whole number of bytes, else unknown", (t) => {
  t.is(parseTempPeak('33284096\n'), 33284096);
  t.is(parseTempPeak('0'), 0, 'nothing spilled is a reading, not an unknown');
  t.is(parseTempPeak(''), null, 'the sampler wrote nothing yet');
  t.is(parseTempPeak('-1'), null);
  t.is(parseTempPeak('12 34'), null);
});

test('memory: a peak where the cgroup keeps one, else the use at the end, said as such', (t) => {
  t.deepEqual(parseMemoryReading('peak 52428800\n'), { bytes: 52428800, kind: 'peak' });
  t.deepEqual(parseMemoryReading('current 1024'), { bytes: 1024, kind: 'current' });
  t.is(parseMemoryReading('cat: no such file'), null);
  t.is(parseMemoryReading('peak 0'), null);
  const o = structuredClone(bookworm.observation);
  o.resources = { app: { bytes: 50_000_000, kind: 'current' }, nginx: null };
  t.is(describeMemory(o), 'app 47.7 MiB at the end (this cgroup keeps no peak) · nginx unknown');
  t.is(describeMemory(bookworm.observation), 'app peak 47.7 MiB · nginx peak 3.81 MiB');
});

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

test('readings of a stream: live or held by its first byte, and never a "missing" file for a body that is not the file', (t) => {
  const o = structuredClone(bookworm.observation);
  Object.assign(o.client, {
    outcome: 'complete',
    status: 200,
    bytesReceived: 415,
    contentLength: null,
    chunked: true,
    checksumMatches: false,
    durationMs: 2830,
    firstByteMs: 12,
  });
  o.gunicorn.events = o.gunicorn.events.filter((e) => e.kind !== 'timeout');
  o.file.servedAtPath = false;
  const live = interpret(o);
  t.true(
    live.some((r) => r.startsWith("The stream's first byte reached the client after 0.01 s of 2.83 s: it came as it was made.")),
    live.join('\n'),
  );
  t.false(
    live.some((r) => r.includes('are missing')),
    'events are not a cut file',
  );
  o.client.firstByteMs = 2700;
  t.true(interpret(o).some((r) => r.includes('it was held back and delivered at the end')));
  o.client.firstByteMs = 1400;
  t.false(
    interpret(o).some((r) => r.startsWith('The stream')),
    'in between, no reading',
  );
  // The same short body at the file's own path is a cut file.
  o.file.servedAtPath = true;
  t.true(interpret(o).some((r) => r.includes('are missing')));
});

test('overview: a row per lab, whether the client got the whole body on each stack, and its costs; first in Markdown and HTML', (t) => {
  const { header, rows } = overviewTable([bookworm, trixie, failing]);
  t.deepEqual(header, [
    'lab',
    'front',
    'whole body? bookworm',
    'whole body? trixie',
    'app memory',
    'front memory',
    'Nginx disk',
    'Gunicorn busy',
    'first byte',
  ]);
  const [problem, fast] = rows;
  t.is(problem?.[6], '–', 'no temp-file sampler in these runs: unknown, not zero');
  t.is(problem?.[0], 'proxy-buffering-off');
  t.is(problem?.[1], 'nginx', 'what stands before Gunicorn');
  t.is(problem?.[2], '✘ truncated, killed');
  t.is(problem?.[3], '✘ truncated, killed');
  // Killed: Gunicorn was busy until the kill, the later of the two stacks'.
  const kills = [bookworm, trixie].map((r) => r.observation.gunicorn.events.find((e) => e.kind === 'timeout')!.atMs);
  t.is(problem?.[7], `${(Math.max(...kills) / 1000).toFixed(1)} s`);
  t.is(fast?.[2], '✔ complete');
  t.is(fast?.[3], '', 'not run on trixie');
  t.is(overviewRows([bookworm]).length, 1);
  // Nginx's disk: the largest peak of its temp files over the lab's runs.
  const spilled = [structuredClone(bookworm), structuredClone(bookworm)];
  spilled[0]!.observation.nginx!.tempPeakBytes = 3 * 1024 * 1024;
  spilled[1]!.observation.nginx!.tempPeakBytes = 0;
  t.is(overviewRows(spilled)[0]?.nginxDiskBytes, 3 * 1024 * 1024);
  t.is(overviewTable(spilled).rows[0]?.[5], '3 MiB', 'one release: the disk is the sixth cell');
  // A cut body is not whole even where the client saw a clean end (no length).
  const silent = structuredClone(bookworm);
  silent.observation.client.outcome = 'closed';
  t.is(overviewRows([silent])[0]?.byRelease.bookworm?.got, 'cut');
  const md = renderMarkdown([bookworm, failing]);
  t.true(md.indexOf('## Overview') > 0 && md.indexOf('## Overview') < md.indexOf('| lab | release |'), 'the overview opens the report');
  t.notRegex(renderMarkdown([bookworm]), /## Overview/, 'one lab needs no overview');
  t.regex(
    renderHtml([bookworm, failing], new Map()),
    /<h2>Overview[^]*<table class="overview">[^]*<td class="no">✘ truncated, killed<\/td>[^]*<div class="grid">/,
  );
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

// The matrix in real containers: every lab at once on trixie, its reports, and the HTML report rendered in Chromium.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listComparisonNames, listLabNames, loadLab } from '../../src/lab/load-lab.ts';
import { missingOn } from '../../src/lab/vocabulary.ts';
import { describeFailedLabs } from './helpers/failed-labs.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';
import { countColour, screenshot } from './helpers/screenshot.ts';

test.before(async () => {
  await requireDocker();
});

// Four at a time: on a 2-core machine six at once (the default) has overloaded booting workers now and then.
test.serial('every lab passes on trixie, run together; reports written; the HTML report renders its charts', async (t) => {
  // Every lab of a release, four at a time: minutes, more than AVA's default bound as labs are added.
  t.timeout(10 * 60_000, 'every lab on trixie');
  const { exitCode, stdout, stderr } = await runCli(['--all', '--release', 'trixie', '--parallel', '4', '--json']);
  const result = JSON.parse(stdout) as {
    passed: boolean;
    summary: Array<{ name: string; release: string; runId?: string; passed: boolean; observed: string }>;
    notes: string[];
    errors: unknown[];
    reportDir: string;
  };
  t.is(exitCode, 0, `${describeFailedLabs(result.summary)}\n${stderr.slice(-2000)}`);
  t.deepEqual(result.errors, []);
  // A slow lab is left out of --all, with a note.
  const slow: string[] = [];
  for (const name of listLabNames()) if ((await loadLab(name)).lab.slow) slow.push(name);
  t.true(slow.length >= 1, 'production-defaults is slow');
  // A lab whose worker trixie lacks (Gunicorn's own ASGI worker came in 24) is left out there, with a note.
  const missing: string[] = [];
  for (const name of listLabNames()) if (missingOn((await loadLab(name)).lab, 'trixie')) missing.push(name);
  t.deepEqual(
    result.summary.map((s) => s.name),
    listLabNames().filter((name) => !slow.includes(name) && !missing.includes(name)),
  );
  t.true(
    result.notes.includes('gunicorn-asgi-worker [trixie] not run: Gunicorn 23 has no ASGI worker of its own (Gunicorn 24 added it)'),
    result.notes.join('\n'),
  );
  for (const name of slow)
    t.true(result.notes.includes(`${name} not run: a slow lab (a minute or more); --include-slow runs it with --all, or name it`), result.notes.join('\n'));
  // A comparison is run by name, never by --all: a note says how.
  for (const name of listComparisonNames())
    t.true(result.notes.includes(`${name} not run: a comparison of several set-ups, run by name (npm run lab -- ${name})`), result.notes.join('\n'));
  t.true(result.summary.every((s) => s.release === 'trixie'));
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'the matrix left containers, networks or volumes behind');

  const dir = path.resolve(ROOT, result.reportDir);
  for (const file of ['report.html', 'summary.md', 'junit.xml', 'result.json', 'chart-proxy-buffering-off-trixie.svg']) {
    t.true(existsSync(path.join(dir, file)), `${file} is missing`);
  }
  const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
  t.is(junit.match(/<testsuite /g)?.length, result.summary.length);
  t.notRegex(junit, /<failure /);

  // Tall enough for the overview's row per lab and the first cards below it (52 labs: their charts start past 1600 px).
  const png = await screenshot(path.join(dir, 'report.html'), path.join(dir, 'report.png'), { width: 1300, height: 3000 });
  t.is(png.width, 1300);
  // The charts drew: the client's blue line, the red WORKER TIMEOUT markers and the green end markers.
  t.true(countColour(png, [0x1f, 0x77, 0xb4]) > 500, 'no client line in the screenshot');
  t.true(countColour(png, [0xd6, 0x27, 0x28]) > 200, 'no WORKER TIMEOUT marker in the screenshot');
  t.true(countColour(png, [0x2c, 0xa0, 0x2c]) > 200, 'no end-of-transfer marker in the screenshot');
});

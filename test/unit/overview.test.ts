// Unit tests of src/report/overview.ts.
import test from 'ava';
import { renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { overviewRows, overviewTable } from '../../src/report/overview.ts';
import { bookworm, trixie, failing } from './helpers/reports.ts';

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

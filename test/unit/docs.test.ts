// The docs that can't drift: a README that fits on a few screens, a lab index generated from the lab files (stale
// once a lab is added), and links that lead somewhere.
import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectLabList, type LabListEntry } from '../../src/commands/list.ts';
import { INDEX_END, INDEX_START, formatLabIndex, withLabIndex } from '../../src/report/lab-index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

test('the README fits on a few screens: at most 250 lines, with the sections a newcomer needs', (t) => {
  const readme = read('README.md');
  t.true(readme.split('\n').length <= 250, `README.md has ${readme.split('\n').length} lines`);
  for (const section of ['Is my stack at risk?', 'Requirements', 'Two commands on a fresh machine', 'Check your own stack', 'In your CI'])
    t.regex(readme, new RegExp(`^## ${section.replace(/[?]/g, '\\?')}`, 'm'));
  t.regex(readme, /npm run setup && npm run lab -- proxy-buffering-off/);
  t.regex(readme, /^npm test$/m);
});

test('docs/labs.md has the lab index the lab files give: run `npm run docs` after adding or changing a lab', async (t) => {
  const page = read('docs/labs.md');
  const entries = await collectLabList();
  t.is(withLabIndex(page, formatLabIndex(entries)), page, 'docs/labs.md is stale: run `npm run docs`');
  t.is(entries.filter((e) => e.error).length, 0);
});

test('the index goes stale when a lab is added, and names every lab with its releases and expectation', async (t) => {
  const page = read('docs/labs.md');
  const entries = await collectLabList();
  const added: LabListEntry = {
    name: 'a-new-lab',
    kind: 'lab',
    hypothesis: 'A new hypothesis.',
    release: 'bookworm',
    releases: ['bookworm'],
    slow: false,
    expects: 'no timeout',
  };
  t.not(withLabIndex(page, formatLabIndex([...entries, added])), page);
  const index = formatLabIndex(entries);
  for (const entry of entries) t.true(index.includes(`[\`${entry.name}\`](../labs/`), entry.name);
  t.regex(
    index,
    /\| <a id="killed-before-headers"><\/a>\[`killed-before-headers`\]\(\.\.\/labs\/killed-before-headers\.ts\) \| lab \| bookworm, trixie, sid \| bookworm: HTTP 502 · WORKER TIMEOUT[^|]*; trixie, sid: HTTP 500 · WORKER TIMEOUT · Gunicorn logs 500 \|/,
  );
  t.regex(index, /\| <a id="production-defaults"><\/a>\[`production-defaults`\][^|]*\| lab, slow \|/);
  t.regex(
    index,
    /\| <a id="capacity-sync-vs-gevent"><\/a>\[`capacity-sync-vs-gevent`\]\(\.\.\/labs\/comparisons\/capacity-sync-vs-gevent\.ts\) \| comparison, slow \|/,
  );
  t.is(withLabIndex('no markers here', index), null);
  t.true(index.startsWith(INDEX_START) && index.endsWith(INDEX_END));
});

test('every relative link in the README, CONTRIBUTING and docs/ leads to a file that exists', (t) => {
  let links = 0;
  for (const page of PAGES) {
    for (const match of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      links++;
      const file = path.resolve(path.dirname(path.join(ROOT, page)), target.split('#')[0]!);
      t.true(existsSync(file), `${page}: ${target}`);
    }
  }
  t.true(links > 40, `${links} links`);
});

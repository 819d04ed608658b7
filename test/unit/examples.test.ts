// Every example command in the README and the help texts runs through the CLI's argument and file checks (`--dry-run`:
// everything a run checks before Docker, then nothing starts), so a missing file or a renamed flag fails the tests.
import test from 'ava';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitWords } from '../../src/check/check-options.ts';
import { CHECK_HELP } from '../../src/commands/check.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAB = ['npm run lab -- ', 'npx gunicorn-lab '];

// The words after `npm run lab --` of every command in a text: lines of code blocks (joined across `\` line ends)
// and commands quoted inline; placeholders (<lab>, …) are synopses, not examples.
export function exampleCommands(text: string): string[][] {
  const joined = text.replace(/\\\\?\n\s*/g, ' ');
  const found: string[][] = [];
  for (const line of joined.split('\n')) {
    for (const piece of line.split(/&&|`/)) {
      const trimmed = piece.trim();
      const prefix = LAB.find((p) => trimmed.startsWith(p));
      if (!prefix || /[<>…[\]|]/.test(trimmed)) continue;
      found.push(splitWords(trimmed.slice(prefix.length)));
    }
  }
  return found;
}

const dryRun = (args: string[]) =>
  execa('node', [path.join(ROOT, 'scripts/lab.mjs'), ...args, '--dry-run'], { cwd: ROOT, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });

const SOURCES: Array<[string, string]> = [
  ['README.md', readFileSync(path.join(ROOT, 'README.md'), 'utf8')],
  ['check --help', CHECK_HELP],
];

for (const [where, text] of SOURCES) {
  test(`every example command in ${where} passes the CLI's checks`, async (t) => {
    const commands = exampleCommands(text);
    t.true(commands.length >= (where === 'README.md' ? 10 : 4), `${commands.length} commands found`);
    const results = await Promise.all(commands.map(dryRun));
    results.forEach((result, i) => {
      t.is(result.exitCode, 0, `${where}: npm run lab -- ${commands[i]!.join(' ')}\n${result.stderr}`);
      // --list and --help only read: they answer as they always do.
      if (!commands[i]!.some((w) => w === '--list' || w === '--help')) t.regex(result.stdout, /^dry run: /m);
    });
  });
}

test('the examples check fails a command whose file is gone or whose flag was renamed', async (t) => {
  const [gone, renamed] = await Promise.all([
    dryRun(['check', '--nginx', 'examples/flask-sync/nginx.conf', '--app', 'examples/flask', '--app-module', 'app:app', '--path', '/download/report.bin']),
    dryRun(['proxy-buffering-off', '--speed', '1m']),
  ]);
  t.is(gone.exitCode, 2);
  t.regex(gone.stderr, /--nginx examples\/flask-sync\/nginx\.conf: no such file or folder/);
  t.is(renamed.exitCode, 2);
  t.regex(renamed.stderr, /--speed is not an option/);
});

test('the first real problem is named: a missing file before a missing flag', async (t) => {
  const result = await dryRun(['check', '--nginx', '/nonexistent']);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /^error: --nginx \/nonexistent: no such file or folder/);
});

test('exampleCommands reads code blocks, continued lines and inline commands, and skips synopses', (t) => {
  const text =
    'Run:\n```sh\nnpm run setup && npm run lab -- proxy-buffering-off\nnpm run lab -- check --nginx a.conf \\\n  --path /x\n```\nInline: `npm run lab -- gevent-worker --rate 2m`; a synopsis `npm run lab -- <lab> [options]`.';
  t.deepEqual(exampleCommands(text), [['proxy-buffering-off'], ['check', '--nginx', 'a.conf', '--path', '/x'], ['gevent-worker', '--rate', '2m']]);
});

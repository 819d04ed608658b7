// Stryker's test command (`npm run mutation`): runs the unit test files that can reach the mutated module, and only
// those. Stryker's command runner names the active mutant in __STRYKER_ACTIVE_MUTANT__; the instrumented sources in
// the sandbox (the working directory) say which file holds it. A test file reaches a module when the module is in
// its static import graph (relative imports, followed through test helpers and sources). Without an active mutant
// (Stryker's first, unmutated run), every unit test file that reaches any mutated file runs.
// The chosen files run in ONE test process (a generated entry file imports them): a process per file spent most of
// a mutant's time starting Node and the TypeScript loader again (measured: 4 files, 7.6 s apart, 4.1 s together).
// Plain JavaScript, so that choosing costs a few milliseconds, not a TypeScript loader's start.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const importPattern = /(?:^|\s)(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;
const importsOf = new Map();
function imports(file) {
  if (!importsOf.has(file)) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // A path that is not a file (e.g. a JSON fixture's folder) imports nothing.
    }
    importsOf.set(
      file,
      [...text.matchAll(importPattern)].map((m) => path.resolve(path.dirname(file), m[1] ?? m[2])).filter((p) => p.endsWith('.ts')),
    );
  }
  return importsOf.get(file);
}

function reaches(testFile, targets) {
  const seen = new Set();
  const queue = [testFile];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (targets.has(file)) return true;
    queue.push(...imports(file));
  }
  return false;
}

const sources = walk(path.join(root, 'src'));
const instrumented = sources.filter((file) => readFileSync(file, 'utf8').includes('stryMutAct_9fa48('));
let targets = new Set(instrumented);
if (mutant !== undefined) {
  const marker = `stryMutAct_9fa48("${mutant}")`;
  targets = new Set(instrumented.filter((file) => readFileSync(file, 'utf8').includes(marker)));
}

// One entry file per process: Stryker's test runners share one sandbox, and two at once must not overwrite or
// remove each other's entry (a removed entry fails AVA, which would count as a kill).
const ENTRY = path.join(root, `test/unit/mutation-entry-${process.pid}.generated.test.ts`);
// Left out: the report renderers' tests (charts through Vega, HTML, Markdown) take twice as long as any other file
// and test the readings only through captured runs, which the readings' own tests cover rule by rule. Leaving tests
// out can only lower the score, never raise it.
const LEFT_OUT = new Set(['chart', 'html', 'markdown'].map((name) => path.join(root, `test/unit/${name}.test.ts`)));
const unitTests = walk(path.join(root, 'test/unit')).filter((file) => file.endsWith('.test.ts') && !file.endsWith('.generated.test.ts') && !LEFT_OUT.has(file));
const chosen = unitTests.filter((file) => reaches(file, targets));
if (chosen.length === 0) {
  // No unit test reaches this mutant's module: it survives, and says so.
  process.stderr.write(`no unit test reaches ${[...targets].map((f) => path.relative(root, f)).join(', ') || `mutant ${mutant}`}\n`);
  process.exit(0);
}
writeFileSync(ENTRY, chosen.map((file) => `import './${path.relative(path.dirname(ENTRY), file)}';\n`).join(''));
const result = spawnSync(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', '--fail-fast', path.relative(root, ENTRY)], {
  stdio: 'inherit',
  env: { ...process.env, TSX_DISABLE_CACHE: '1' },
});
rmSync(ENTRY, { force: true });
process.exit(result.status ?? 1);

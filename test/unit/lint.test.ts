// The linter the test command runs (eslint.config.mjs) passes on the tree and does fail code that breaks its rules.
import test from 'ava';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// What `npm run lint` (and so the test command) reads: the words after `eslint` in package.json's script.
const LINTED = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.lint as string).split(' ').slice(1);
const eslint = new ESLint({ cwd: ROOT });

test('the tree has no lint problem', async (t) => {
  const results = await eslint.lintFiles(LINTED);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
  t.true(results.length > 100, `linted ${results.length} files`);
  t.deepEqual(problems, []);
});

test('an unused import, an explicit any and a regex of counted spaces fail it; a name starting with _ does not', async (t) => {
  const text = "import { a } from './a.ts';\nexport const f = (x: any) => /a  b/.test(String(x));\nexport const { b: _b, ...rest } = { b: 1, c: 2 };\n";
  const [result] = await eslint.lintText(text, { filePath: `${ROOT}src/observe/lint-sample.ts` });
  const rules = result!.messages.map((m) => m.ruleId).sort();
  t.deepEqual(rules, ['@typescript-eslint/no-explicit-any', '@typescript-eslint/no-unused-vars', 'no-regex-spaces']);
});

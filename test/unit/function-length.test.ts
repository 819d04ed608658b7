// No function in src/ longer than 80 lines (from its first line to its last, as the TypeScript parser sees it), so
// each reads as a few named steps; the run's start (network, containers, shaper, readiness) keeps to 60.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const LIMIT = 80;
const TIGHTER: Record<string, number> = { 'topology/start-topology.ts': 60 };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function functionLengths(file: string, text: string): Array<{ name: string; lines: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ name: string; lines: number }> = [];
  const nameOf = (node: ts.Node): string => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText(source);
    const parent = node.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText(source);
    return '(anonymous)';
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: nameOf(node), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the measure: a function is counted from its first line to its last, nested ones apart', (t) => {
  const text = 'function outer() {\n  const inner = () => {\n    return 1;\n  };\n  return inner();\n}\n';
  t.deepEqual(functionLengths('x.ts', text), [
    { name: 'outer', lines: 6 },
    { name: 'inner', lines: 3 },
  ]);
});

test(`no function in src/ is over ${LIMIT} lines, none in start-topology.ts over 60`, (t) => {
  const over: string[] = [];
  for (const file of files(SRC)) {
    const relative = path.relative(SRC, file);
    for (const { name, lines } of functionLengths(file, readFileSync(file, 'utf8'))) {
      const key = `${relative} ${name}`;
      const allowed = TIGHTER[relative] ?? LIMIT;
      if (lines > allowed) over.push(`${key}: ${lines} lines (at most ${allowed})`);
    }
  }
  t.deepEqual(over, []);
});

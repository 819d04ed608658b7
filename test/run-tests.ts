// The test command's core: type-check, unit tests, then the integration tests in real containers, one at a time;
// ends with one line `N passed, N failed` that counts every test (and the type-check) that ran.
import { execa } from 'execa';
import { readdirSync } from 'node:fs';

// What the formatter keeps: the TypeScript and JavaScript of the tree (Markdown and fixtures are left as written).
export const FORMATTED = [
  'src/**/*.ts',
  'test/**/*.ts',
  'labs/**/*.ts',
  'scripts/**/*.{ts,mjs}',
  '.dependency-cruiser.cjs',
  'stryker.config.mjs',
  'eslint.config.mjs',
];

interface Counts {
  passed: number;
  failed: number;
}

// Runs AVA with TAP output, shows it as it comes, and counts from its closing `# pass` and `# fail` lines.
async function runAva(title: string, args: string[]): Promise<Counts & { exitCode: number }> {
  process.stdout.write(`\n== ${title}\n`);
  const child = execa('npx', ['ava', '--tap', ...args], { reject: false, stdout: 'pipe', stderr: 'inherit', stdin: 'ignore' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const { exitCode } = await child;
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  const failed = count('fail') + (exitCode !== 0 && count('fail') === 0 ? 1 : 0);
  return { passed: count('pass'), failed, exitCode: exitCode ?? 1 };
}

async function main(): Promise<number> {
  const totals: Counts = { passed: 0, failed: 0 };
  process.stdout.write('== type-check (tsc --noEmit)\n');
  const tsc = await execa('npx', ['tsc', '--noEmit'], { reject: false, all: true, stdin: 'ignore' });
  if (tsc.exitCode === 0) {
    totals.passed += 1;
    process.stdout.write('ok - type-check\n');
  } else {
    totals.failed += 1;
    process.stdout.write(`not ok - type-check\n${tsc.all}\n`);
  }
  // One formatter for the whole tree (.prettierrc.json): a file it would change fails the test command.
  process.stdout.write('== format (prettier --check)\n');
  const format = await execa('npx', ['prettier', '--check', ...FORMATTED], { reject: false, all: true, stdin: 'ignore' });
  if (format.exitCode === 0) {
    totals.passed += 1;
    process.stdout.write('ok - format\n');
  } else {
    totals.failed += 1;
    process.stdout.write(`not ok - format (npm run format rewrites them)\n${format.all}\n`);
  }
  // One linter (eslint.config.mjs: typescript-eslint's recommended rules): a problem it finds fails the test command.
  process.stdout.write('== lint (eslint)\n');
  const lint = await execa('npm', ['run', '--silent', 'lint'], { reject: false, all: true, stdin: 'ignore' });
  if (lint.exitCode === 0) {
    totals.passed += 1;
    process.stdout.write('ok - lint\n');
  } else {
    totals.failed += 1;
    process.stdout.write(`not ok - lint (npx eslint --fix mends some)\n${lint.all}\n`);
  }
  const only = process.argv[2];
  // The integration files each in an AVA of their own: AVA's TAP reporter crashes on a timeout and ends its whole run,
  // so one file's stall costs that file only. Their bound is 10 minutes without a result (AVA's default, 3, is
  // passed by the slowest file on a loaded 2-core machine: three base bootstraps at once).
  const integration = readdirSync('test/integration')
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name): [string, string[]] => [
      `integration tests: ${name} (real containers, one at a time)`,
      ['--serial', '--timeout=10m', `test/integration/${name}`],
    ]);
  const suites: Array<[string, string[]]> = [['unit tests (no Docker)', ['test/unit/**/*.test.ts']], ...integration];
  const spent: Array<[string, number]> = [];
  for (const [title, args] of suites) {
    if (only && !title.startsWith(only)) continue;
    const started = Date.now();
    const result = await runAva(title, args);
    spent.push([title.replace(/ \(.*\)$/, ''), (Date.now() - started) / 1000]);
    totals.passed += result.passed;
    totals.failed += result.failed;
  }
  // Where the time went, longest first: what to share, split or move to the bench next.
  process.stdout.write('\n== time per suite\n');
  for (const [title, seconds] of [...spent].sort((a, b) => b[1] - a[1])) process.stdout.write(`${seconds.toFixed(1).padStart(7)} s  ${title}\n`);
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
  return totals.failed === 0 ? 0 : 1;
}

process.exitCode = await main();

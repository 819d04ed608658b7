// `npm run docs`: regenerates the lab index in docs/labs.md from the lab files (the unit tests fail while it is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectLabList } from '../src/commands/list.ts';
import { formatLabIndex, withLabIndex } from '../src/report/lab-index.ts';

const PAGE = fileURLToPath(new URL('../docs/labs.md', import.meta.url));
const updated = withLabIndex(readFileSync(PAGE, 'utf8'), formatLabIndex(await collectLabList()));
if (updated === null) {
  process.stderr.write('error: docs/labs.md has no lab-index markers\nhint: put the two marker lines of src/report/lab-index.ts where the index goes\n');
  process.exitCode = 2;
} else {
  writeFileSync(PAGE, updated);
  process.stdout.write('docs/labs.md: lab index regenerated\n');
}

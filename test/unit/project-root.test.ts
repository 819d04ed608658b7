// Unit tests of src/project-root.ts.
import test from 'ava';
import { inUsersWords } from '../../src/project-root.ts';

test('help and hints name the commands as this copy is run: npm run lab here, npx gunicorn-lab where installed', (t) => {
  const hint = 'Run `npm run lab -- check --help`; `npm run clean` removes it; then `npm run setup -- --stack trixie`.';
  t.is(inUsersWords(hint, false), hint);
  t.is(inUsersWords(hint, true), 'Run `npx gunicorn-lab check --help`; `npx gunicorn-lab clean` removes it; then `npx gunicorn-lab setup --stack trixie`.');
});

// A Node.js older than package.json's engines is told so in one line before anything else runs.
import test from 'ava';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript, no declarations
import { satisfiesEngines } from '../../scripts/node-version.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('versions against engines: older refused, the same and newer taken', (t) => {
  const engines = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } }).engines.node;
  t.is(engines, '>=20.19');
  t.false(satisfiesEngines('v20.18.3', engines));
  t.false(satisfiesEngines('v18.20.4', engines));
  t.true(satisfiesEngines('v20.19.0', engines));
  t.true(satisfiesEngines('v20.20.2', engines));
  t.true(satisfiesEngines('v22.1.0', engines));
  t.false(satisfiesEngines('v20.19.0', '>=20.19.1'));
  t.true(satisfiesEngines('v1.0.0', '^20'), 'a range it does not read is not refused');
});

test('the CLI and the set-up check the version first, before any import that could fail on an old Node', (t) => {
  const lab = readFileSync(`${ROOT}scripts/lab.mjs`, 'utf8');
  t.true(lab.indexOf("import './node-version.mjs';") < lab.search(/^import \{/m), 'scripts/lab.mjs imports node-version.mjs first');
  const setup = readFileSync(`${ROOT}scripts/setup.sh`, 'utf8');
  t.true(setup.indexOf('node scripts/node-version.mjs || exit 2') < setup.indexOf('apt-get'), 'setup.sh checks before it installs');
});

test('an old Node gets one line with the version it needs, exit 2', async (t) => {
  // The check itself run as an old Node would see it: its version string replaced for the process.
  const result = await execa(
    process.execPath,
    ['--input-type=module', '-e', `Object.defineProperty(process, 'version', { value: 'v18.20.4' }); await import('${ROOT}scripts/node-version.mjs');`],
    { reject: false },
  );
  t.is(result.exitCode, 2);
  t.is(result.stderr.split('\n')[0], 'error: Node.js v18.20.4 is too old: gunicorn-lab needs Node.js >=20.19.');
  t.regex(result.stderr, /^hint: install a newer Node\.js/m);
});

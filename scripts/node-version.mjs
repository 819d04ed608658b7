// The first thing the CLI does: a Node.js older than package.json's `engines` gets one line saying so, not a stack
// trace from whatever it lacks. Plain JavaScript any Node runs.
import { readFileSync } from 'node:fs';

// "20.19.0" >= ">=20.19"? Only the `>=MAJOR.MINOR[.PATCH]` form package.json uses.
export function satisfiesEngines(version, range) {
  const want = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!want) return true;
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = [Number(want[1]), Number(want[2] ?? 0), Number(want[3] ?? 0)];
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  return true;
}

const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines?.node ?? '';
if (!satisfiesEngines(process.version, range)) {
  process.stderr.write(
    `error: Node.js ${process.version} is too old: gunicorn-lab needs Node.js ${range}.\nhint: install a newer Node.js (e.g. from nodejs.org or your distribution's backports), then run the command again.\n`,
  );
  process.exit(2);
}

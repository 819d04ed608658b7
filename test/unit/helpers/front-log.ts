// The fronts' captured logs (test/unit/fixtures/fronts/), read as the observation reads them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitTimestamps } from '../../../src/docker/docker-log.ts';
import { parseFrontLog } from '../../../src/observe/parse-front-log.ts';

export const fixture = (name: string, stream: 'stdout' | 'stderr') =>
  splitTimestamps(readFileSync(fileURLToPath(new URL(`../fixtures/fronts/${name}.${stream}.log`, import.meta.url)), 'utf8'));
export const parsed = (kind: 'caddy' | 'haproxy' | 'apache' | 'varnish', name = `front-${kind}`) => {
  const stdout = fixture(name, 'stdout');
  const stderr = fixture(name, 'stderr');
  // Counted from the first line: every line is at or after it.
  const origin = Math.min(...[...stdout, ...stderr].map((l) => l.epochMs));
  return parseFrontLog(kind, stdout, stderr, origin);
};

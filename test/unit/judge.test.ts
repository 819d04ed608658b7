// The judge on observations built from captured runs: each check follows the observation, claims are graded.
import test from 'ava';
import { parseClientLine } from '../../src/client/client-output.ts';
import type { Expectation } from '../../src/lab/schema.ts';
import { assessClaims, judge } from '../../src/verdict/judge.ts';
import { fixtureObservation } from './helpers/load-fixture.ts';

const killed = fixtureObservation('bookworm-sync-killed');
const fast = fixtureObservation('bookworm-sync-fast');
const problem: Expectation = { workerTimeout: true, outcome: 'truncated', clientStatus: 200, nginxErrorIncludes: 'upstream prematurely closed connection' };

test('the killed run is observed as the problem', (t) => {
  t.is(killed.client.outcome, 'truncated');
  t.is(killed.client.status, 200);
  t.is(killed.client.bytesReceived, 2634248);
  t.true(killed.client.fractionReceived < 0.5);
  t.is(killed.gunicorn.workerTimeouts, 1);
  t.is(killed.gunicorn.workerBoots, 2);
  t.is(killed.gunicorn.version, '20.1.0');
  t.is(killed.nginx?.version, '1.22.1');
  t.deepEqual(killed.gunicorn.access, []);
});

test('the problem expectation passes on the killed run', (t) => {
  const verdict = judge(problem, killed);
  t.true(verdict.passed);
  t.deepEqual(verdict.checks.map((c) => c.name), ['client transfer ends', 'client HTTP status', 'Gunicorn logs WORKER TIMEOUT', 'Nginx error log mentions']);
});

test('the same expectation fails on the fast run, check by check', (t) => {
  const verdict = judge(problem, fast);
  t.false(verdict.passed);
  t.deepEqual(
    verdict.checks.map((c) => [c.name, c.passed, c.actual]),
    [
      ['client transfer ends', false, 'complete (8 MiB of 8 MiB)'],
      ['client HTTP status', true, '200'],
      ['Gunicorn logs WORKER TIMEOUT', false, 'never'],
      ['Nginx error log mentions', false, 'no such line'],
    ],
  );
});

test('a remedy expectation passes on the fast run', (t) => {
  t.true(judge({ workerTimeout: false, outcome: 'complete', checksumMatches: true }, fast).passed);
});

test('checksum differs where the file is not what the client got', (t) => {
  const other = fixtureObservation('bookworm-sync-fast', '0'.repeat(64));
  const [check] = judge({ checksumMatches: true }, other).checks;
  t.deepEqual(check, { name: 'body checksum matches the file', expected: 'matches', actual: 'differs', passed: false });
});

test('claims: confirmed, refuted, nuanced', (t) => {
  const findings = assessClaims(
    [
      { quote: 'WORKER TIMEOUT', says: { workerTimeout: true } },
      { quote: 'ends as a 500', says: { clientStatus: 500, gunicornAccessStatus: 500 } },
      { quote: 'a 200 that is cut', says: { clientStatus: 200, outcome: 'complete' } },
    ],
    killed,
  );
  t.deepEqual(findings.map((f) => f.status), ['confirmed', 'refuted', 'nuanced']);
});

test('the client program lines are classified', (t) => {
  t.deepEqual(parseClientLine('{"type": "progress", "ms": 100.5, "bytes": 4096}'), { type: 'progress', progress: { ms: 100.5, bytes: 4096 } });
  t.is(parseClientLine('{"type": "result", "status": 200}').type, 'result');
  t.is(parseClientLine('{"type": "probe", "path": "/ping"}').type, 'probe');
  t.deepEqual(parseClientLine('Traceback (most recent call last):'), { type: 'other', text: 'Traceback (most recent call last):' });
});

test('trixie: the 500 claim is nuanced, Gunicorn logs 500 while the client holds a truncated 200', (t) => {
  const trixie = fixtureObservation('trixie-sync-killed');
  t.true(judge(problem, trixie).passed);
  const [finding] = assessClaims([{ quote: 'ends as a 500', says: { clientStatus: 500, gunicornAccessStatus: 500 } }], trixie);
  t.is(finding?.status, 'nuanced');
  t.deepEqual(finding?.checks.map((c) => [c.name, c.actual, c.passed]), [
    ['client HTTP status', '200', false],
    ['Gunicorn access log records status', '200, 500', true],
  ]);
});

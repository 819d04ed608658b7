// Loads a captured run (real logs and the client's result) from test/unit/fixtures/<name>/ as observation input.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientTransfer } from '../../../src/client/run-client.ts';
import type { Evidence } from '../../../src/observe/collect-evidence.ts';
import { buildObservation } from '../../../src/observe/build-observation.ts';
import type { Observation } from '../../../src/observe/observation.ts';
import { expectationFor, validateLab, type Claim, type Expectation, type Lab, type Release } from '../../../src/lab/schema.ts';
import type { RunOfLab } from '../../../src/run/run-record.ts';
import { labPlan } from '../../../src/client/transfer-plan.ts';
import { describeRun } from '../../../src/report/terminal.ts';
import { labStack } from '../../../src/topology/lab-stack.ts';
import { assessClaims, judge } from '../../../src/verdict/judge.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readFixture(name: string, file: string): string {
  const path = `${FIXTURES}${name}/${file}`;
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

export function fixtureEvidence(name: string): Evidence {
  const streams = (role: string) => ({ stdout: readFixture(name, `${role}.stdout.log`), stderr: readFixture(name, `${role}.stderr.log`) });
  return {
    logs: { app: streams('app'), nginx: streams('nginx') },
    memory: { app: { bytes: 50_000_000, kind: 'peak' }, nginx: { bytes: 4_000_000, kind: 'peak' } },
  };
}

export function fixtureTransfer(name: string): ClientTransfer {
  const { result, probes } = JSON.parse(readFixture(name, 'client.result.json')) as Pick<ClientTransfer, 'result' | 'probes'>;
  return { result, probes, downloads: [], capacity: null, command: [], throttle: null };
}

export const fixtureLab: Lab = (() => {
  const { lab } = validateLab({ hypothesis: 'A fixture lab for observations.', expect: { workerTimeout: true } });
  if (!lab) throw new Error('fixture lab is invalid');
  return lab;
})();

// The served file's real checksum, captured with the run (capture.sh): a cut body never matches it.
export function fixtureFileSha256(name: string): string {
  const sha = readFixture(name, 'file.sha256').trim();
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`fixture ${name} has no file.sha256 (capture it with test/unit/fixtures/capture.sh)`);
  return sha;
}

export function fixtureObservation(name: string, fileSha256?: string): Observation {
  const transfer = fixtureTransfer(name);
  return buildObservation({
    plan: labPlan(fixtureLab),
    fileSha256: fileSha256 ?? fixtureFileSha256(name),
    transfer,
    evidence: fixtureEvidence(name),
    timings: { startMs: 1000, transferMs: 2000, observeMs: 300 },
  });
}

// A whole RunRecord from a captured run, judged against the given expectation, as the reports receive it.
export function fixtureRun(fixture: string, name: string, release: Release, expect: Expectation, claims: Claim[] = []): RunOfLab {
  const { lab } = validateLab({ hypothesis: `${name}: a fixture hypothesis.`, release, expect, claims });
  if (!lab) throw new Error('fixture lab is invalid');
  const observation = fixtureObservation(fixture);
  return {
    name,
    runId: `20261127-050000-${release.slice(0, 4)}`,
    runDir: `runs/${name}/x`,
    lab,
    release,
    hypothesis: lab.hypothesis,
    plan: labPlan(lab),
    expectation: expectationFor(lab),
    description: describeRun(lab),
    images: { app: 'app', nginx: 'nginx', client: 'client' },
    client: { command: [], throttle: null },
    kept: null,
    spec: labStack(lab, { app: 'app', nginx: 'nginx', client: 'client' }),
    observation,
    verdict: judge(expectationFor(lab), observation),
    claims: assessClaims(lab.claims, observation),
  };
}

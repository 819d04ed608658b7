// Saves a run to runs/<lab>/<run-id>/: the resolved lab, raw logs, observation, verdict and claims, and the
// stack as started (stack.json, its config files under stack/) with reproduce.sh to start it again by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../run/run-record.ts';
import type { ClientTransfer } from '../client/run-client.ts';
import type { Evidence } from '../observe/collect-evidence.ts';
import { reproduceFiles } from './reproduce-script.ts';
import { observationJson } from './legacy-keys.ts';

export async function writeRun(run: RunRecord, evidence: Evidence, transfer: ClientTransfer): Promise<void> {
  const logsDir = path.join(run.runDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  // A readiness pattern is a RegExp: saved as its source.
  const json = (value: unknown) => `${JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? v.source : v), 2)}\n`;
  const { observation, verdict, claims, ...meta } = run;
  await Promise.all([
    writeFile(
      path.join(run.runDir, 'lab.json'),
      json({
        name: run.name,
        runId: run.runId,
        release: run.release,
        lab: run.lab,
        plan: run.plan,
        expectation: run.expectation,
        images: run.images,
        client: run.client,
      }),
    ),
    writeFile(path.join(run.runDir, 'observation.json'), json(observationJson(observation))),
    writeFile(path.join(run.runDir, 'verdict.json'), json({ name: meta.name, runId: meta.runId, hypothesis: meta.hypothesis, verdict, claims })),
    writeFile(path.join(logsDir, 'client.result.json'), json({ result: transfer.result, probes: transfer.probes, downloads: transfer.downloads })),
    ...(run.spec ? [writeFile(path.join(run.runDir, 'stack.json'), json(run.spec))] : []),
    ...(run.spec
      ? reproduceFiles({ name: run.name, runId: run.runId, spec: run.spec, clientCommand: run.client.command, throttle: run.client.throttle }).files
      : []
    ).map(async (f) => {
      await mkdir(path.dirname(path.join(run.runDir, f.path)), { recursive: true });
      await writeFile(path.join(run.runDir, f.path), f.text, { mode: f.executable ? 0o755 : 0o644 });
    }),
    ...Object.entries(evidence.logs)
      .filter(([role]) => role !== 'client')
      .flatMap(([role, streams]) => [
        writeFile(path.join(logsDir, `${role}.stdout.log`), streams.stdout),
        writeFile(path.join(logsDir, `${role}.stderr.log`), streams.stderr),
      ]),
  ]);
}

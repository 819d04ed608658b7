// Saves a run to runs/<lab>/<run-id>/: the resolved lab, raw logs, observation, verdict and claims.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabRun } from '../run-lab.ts';
import type { ClientTransfer } from '../client/run-client.ts';
import type { Evidence } from '../observe/collect-evidence.ts';

export async function writeRun(run: LabRun, evidence: Evidence, transfer: ClientTransfer): Promise<void> {
  const logsDir = path.join(run.runDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const { observation, verdict, claims, ...meta } = run;
  await Promise.all([
    writeFile(path.join(run.runDir, 'lab.json'), json({ name: run.name, runId: run.runId, lab: run.lab, images: run.images, client: run.client })),
    writeFile(path.join(run.runDir, 'observation.json'), json(observation)),
    writeFile(path.join(run.runDir, 'verdict.json'), json({ name: meta.name, runId: meta.runId, hypothesis: meta.lab.hypothesis, verdict, claims })),
    writeFile(path.join(logsDir, 'client.result.json'), json({ result: transfer.result, probes: transfer.probes })),
    ...Object.entries(evidence.logs).filter(([role]) => role !== 'client').flatMap(([role, streams]) => [
      writeFile(path.join(logsDir, `${role}.stdout.log`), streams.stdout),
      writeFile(path.join(logsDir, `${role}.stderr.log`), streams.stderr),
    ]),
  ]);
}

// Turns the client's result and the raw evidence into an Observation: pure, so it is tested on captured logs.
import { observeCapacity } from './capacity.ts';
import { observeCapacitySearch } from './capacity-search.ts';
import { parseStatsdLog } from './parse-statsd.ts';
import type { ClientTransfer } from '../client/run-client.ts';
import type { TransferPlan } from '../client/transfer-plan.ts';
import type { Evidence } from './collect-evidence.ts';
import { splitTimestamps } from '../docker/docker-log.ts';
import { READINESS_PATH } from '../topology/gunicorn-command.ts';
import type { Observation, UploadObservation } from './observation.ts';
import type { ClientResult } from '../client/client-output.ts';
import type { ClientPlan } from '../client/transfer-plan.ts';
import {
  bootKillEvents,
  gunicornVersion,
  gunicornWorkerClass,
  parseGunicornAccessLog,
  parseGunicornErrorLog,
  replacementBoots,
  workersAtRequest,
} from './parse-gunicorn-log.ts';
import { nginxVersionFromServerHeader, parseNginxAccessLog, parseNginxErrorLog } from './parse-nginx-log.ts';
import { parseFrontLog } from './parse-front-log.ts';
import type { Front, Server } from '../lab/schema.ts';
import { parseUwsgiAccess, parseUwsgiEvents, uwsgiVersion } from './parse-uwsgi-log.ts';
import { modWsgiVersion, parseModWsgiAccess, parseModWsgiEvents } from './parse-mod-wsgi-log.ts';

// From the client's request on: the set-up's readiness request is not the transfer's.
function observeFront(kind: Front, evidence: Evidence, origin: number): NonNullable<Observation['front']> {
  const logs = evidence.logs.front ?? { stdout: '', stderr: '' };
  const { access, errors } = parseFrontLog(kind, splitTimestamps(logs.stdout), splitTimestamps(logs.stderr), origin);
  return { kind, access: access.filter((a) => a.atMs >= 0 && !a.request.includes(READINESS_PATH)), errors: errors.filter((e) => e.atMs >= 0) };
}

export interface ObservationInput {
  plan: TransferPlan;
  fileSha256: string;
  transfer: ClientTransfer;
  evidence: Evidence;
  timings: Observation['timings'];
  logWait?: Observation['logs'];
  // The front in Nginx's place, whose lines are parsed as its kind writes them; absent or null: none.
  frontKind?: Front | null;
}

// What the client got: its status, bytes, checksum, timings and side requests.
function observeClient(plan: TransferPlan, result: ClientResult, fileSha256: string, probes: ClientTransfer['probes']): Observation['client'] {
  const promised = result.contentLength ?? plan.expectedBytes;
  // Achieved rate over the body's own time (headers to last byte), so set-up latency does not dilute it.
  const bodyMs = result.durationMs - (result.headersMs ?? 0);
  return {
    path: plan.client.path,
    method: plan.client.upload?.method ?? 'GET',
    waitedMs: result.headersMs === null ? null : Math.round(result.headersMs - (result.requestSentMs ?? 0)),
    idleClosedMs: plan.client.idleConnections ? (result.idleClosedMs ?? []) : null,
    status: result.status,
    contentLength: result.contentLength,
    chunked: result.chunked,
    bytesReceived: result.bytesReceived,
    fractionReceived: promised > 0 ? result.bytesReceived / promised : 0,
    checksumMatches: result.sha256 === fileSha256,
    outcome: result.outcome,
    error: result.error,
    headersMs: result.headersMs,
    firstByteMs: result.firstByteMs ?? null,
    maxGapMs: result.maxGapMs ?? null,
    durationMs: result.durationMs,
    achievedRateBytesPerS: result.bytesReceived > 0 && bodyMs > 0 ? Math.round(result.bytesReceived / (bodyMs / 1000)) : null,
    timeline: result.timeline,
    probes,
  };
}

// What Gunicorn's logs say from the client's request on: kills, boots, access lines.
// The app server's events and access lines: Gunicorn's error and access logs, uWSGI's one log, Apache's with
// mod_wsgi, or none (Waitress,
// Uvicorn and Hypercorn alone: nothing of theirs kills a worker, and the judged keys need no access line of theirs).
function appServerLines(server: Server, appLogs: { stdout: string; stderr: string }, origin: number) {
  if (server === 'uwsgi') {
    const lines = [...splitTimestamps(appLogs.stderr), ...splitTimestamps(appLogs.stdout)].sort((a, b) => a.epochMs - b.epochMs);
    const events = parseUwsgiEvents(lines, origin);
    return { events, access: parseUwsgiAccess(lines, origin), version: uwsgiVersion(events), workerClass: null };
  }
  if (server === 'mod_wsgi') {
    const events = parseModWsgiEvents(splitTimestamps(appLogs.stderr), origin);
    return { events, access: parseModWsgiAccess(splitTimestamps(appLogs.stdout), origin), version: modWsgiVersion(events), workerClass: null };
  }
  if (server !== 'gunicorn') return { events: [], access: [], version: null, workerClass: null };
  const events = parseGunicornErrorLog(splitTimestamps(appLogs.stderr), origin);
  return {
    events,
    access: parseGunicornAccessLog(splitTimestamps(appLogs.stdout), origin),
    version: gunicornVersion(events),
    workerClass: gunicornWorkerClass(events),
  };
}

function observeGunicorn(appLogs: { stdout: string; stderr: string }, origin: number, server: Server = 'gunicorn'): Observation['gunicorn'] {
  const { events, access: allAccess, version, workerClass } = appServerLines(server, appLogs, origin);
  // A worker killed before the request (booting on a loaded machine) says nothing about the transfer; nor does one
  // killed after it that never said it had booted (where the lab's hook says so at all).
  const timeouts = events.filter((e) => e.kind === 'timeout');
  const bootKills = bootKillEvents(events).length;
  return {
    server,
    version,
    workerClass,
    workerTimeouts: timeouts.filter((e) => e.atMs >= 0).length - bootKills,
    workerTimeoutsBeforeRequest: timeouts.filter((e) => e.atMs < 0).length,
    bootKills,
    workerBoots: events.filter((e) => e.kind === 'boot').length,
    replacementBoots: replacementBoots(events),
    workersAtRequest: workersAtRequest(events),
    events,
    // Requests that ended before the client's (the set-up's readiness request, check's reference download) are not its.
    access: allAccess.filter((a) => a.atMs >= 0 && !a.request.includes(READINESS_PATH)),
    accessLogObserved: allAccess.length > 0,
  };
}

// Nginx's lines from the client's request on (the set-up's readiness connections are not the transfer's).
function observeNginx(logs: { stdout: string; stderr: string }, result: ClientResult, origin: number, tempPeakBytes: number | null): Observation['nginx'] {
  return {
    version: nginxVersionFromServerHeader(result.headers.server),
    access: parseNginxAccessLog(splitTimestamps(logs.stdout), origin).filter((a) => a.atMs >= 0),
    errors: parseNginxErrorLog(splitTimestamps(logs.stderr), origin).filter((e) => e.atMs >= 0),
    tempPeakBytes,
  };
}

export function buildObservation({
  plan,
  fileSha256,
  transfer,
  evidence,
  timings,
  logWait = { waitedMs: 0, missing: [] },
  frontKind = null,
}: ObservationInput): Observation {
  const { result, probes } = transfer;
  const origin = result.startedAtEpochMs;
  const appLogs = evidence.logs.app ?? { stdout: '', stderr: '' };
  const nginxLogs = evidence.logs.nginx;
  // A stack check's server is known by its own lines: uWSGI's start, its HARAKIRI or its request lines.
  const server = plan.server ?? (/\*\*\* Starting uWSGI |\*\*\* HARAKIRI ON WORKER |\[pid: \d+\|app: /.test(appLogs.stderr) ? 'uwsgi' : 'gunicorn');
  const gunicorn = observeGunicorn(appLogs, origin, server);
  return {
    file: { sizeBytes: plan.expectedBytes, sha256: fileSha256, servedAtPath: plan.client.body === 'file' },
    client: observeClient(plan, result, fileSha256, probes),
    gunicorn,
    nginx: nginxLogs ? observeNginx(nginxLogs, result, origin, evidence.nginxTempPeakBytes ?? null) : null,
    front: frontKind ? observeFront(frontKind, evidence, origin) : null,
    statsd: plan.statsd ? parseStatsdLog(splitTimestamps(evidence.logs.client?.stdout ?? ''), origin) : null,
    upload: plan.client.upload ? observeUpload(plan.client.upload, result) : null,
    capacity: plan.client.downloads > 1 ? observeCapacity(transfer.downloads, probes, fileSha256, evidence.memory.app ?? null) : null,
    capacitySearch: transfer.capacity
      ? observeCapacitySearch(
          transfer.capacity,
          gunicorn.accessLogObserved ? appServerLines(server, appLogs, origin).access.filter((a) => a.atMs >= 0) : null,
          (request) => request.startsWith(`GET ${plan.client.path} `),
          Boolean(nginxLogs) || frontKind !== null,
        )
      : null,
    resources: {
      app: evidence.memory.app ?? null,
      nginx: evidence.memory.nginx ?? null,
      ...(frontKind ? { front: evidence.memory.front ?? null } : {}),
    },
    timings,
    logs: logWait,
  };
}

// The app's answer to an upload is JSON (`{"bytes": N, "sha256": "..."}`, images/app/app.py); anything else is no answer.
function appAnswer(bodyHead: string | undefined): UploadObservation['appReceived'] {
  try {
    const answer = JSON.parse(bodyHead ?? '') as { bytes?: unknown; sha256?: unknown };
    return typeof answer.bytes === 'number' && typeof answer.sha256 === 'string' ? { bytes: answer.bytes, sha256: answer.sha256 } : null;
  } catch {
    return null;
  }
}

export function observeUpload(upload: NonNullable<ClientPlan['upload']>, result: ClientResult): UploadObservation {
  const appReceived = result.status !== null && result.status < 300 ? appAnswer(result.bodyHead) : null;
  const sentBytes = result.uploadSentBytes ?? 0;
  return {
    sizeBytes: upload.sizeBytes,
    sentBytes,
    sentMs: result.uploadMs ?? null,
    error: result.uploadError ?? null,
    appReceived,
    answeredStatus: result.status,
    whole: appReceived !== null && appReceived.bytes === upload.sizeBytes && sentBytes === upload.sizeBytes && appReceived.sha256 === result.uploadSha256,
  };
}

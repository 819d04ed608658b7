// Compares what a lab expects (and what the article claims) with what was observed: pure, a failed check is data.
import type { ClientProbe } from '../client/client-output.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Claim, Expectation } from '../lab/schema.ts';
import { CRITICAL_METRIC } from '../observe/parse-statsd.ts';
import { frontSays, isClientRequest, type GunicornEvent, type Observation, type UploadObservation } from '../observe/observation.ts';
import { killLine, serverName } from '../observe/app-server-words.ts';
import { bootKillEvents } from '../observe/parse-gunicorn-log.ts';
import type { CapacitySearch } from '../observe/capacity-search.ts';
import type { CapacityHolder } from '../lab/vocabulary.ts';

export interface Check {
  name: string;
  expected: string;
  actual: string;
  passed: boolean;
}

export interface Verdict {
  passed: boolean;
  checks: Check[];
}

export type ClaimStatus = 'confirmed' | 'refuted' | 'nuanced';

export interface ClaimFinding {
  quote: string;
  status: ClaimStatus;
  checks: Check[];
}

// A side request answered within this time was not held behind the download. Unshaped, one is answered in ~6 ms on
// an idle machine; under a matrix's load on 2 cores one took 557 ms (a `--repeat 10` flake at 500 ms). Held ones
// wait seconds: at least half of what the download had left (3 s and more in the labs).
export const PROBE_IMMEDIATE_MS = 1000;
// A request held: its headers came this long after it was sent, or later.
export const REQUEST_HELD_MS = 1500;

// A side request was held behind the download when it waited at least half of the time the download had left.
// The one rule, for the judge and the readings alike.
export function probeHeld(probe: ClientProbe, downloadMs: number): boolean {
  if (probe.latencyMs === null) return false;
  return probe.latencyMs >= Math.max(0, downloadMs - probe.sentMs) / 2;
}

// A streamed body was live when its first byte came within the first quarter of the transfer, held when it came
// only in the last fifth (the proxy kept it until the end). The one rule, for the judge and the readings alike.
export const LIVE_FIRST_BYTE_SHARE = 0.25;
export const HELD_FIRST_BYTE_SHARE = 0.8;
export function firstByteShare(o: Observation): number | null {
  const { firstByteMs, durationMs } = o.client;
  return firstByteMs === null || durationMs <= 0 ? null : firstByteMs / durationMs;
}

// Nginx kept "most" of the download on disk when its temp files held at least this share of the file at once.
export const SPILL_MOST_SHARE = 0.9;

// The first WORKER TIMEOUT from the client's request on of a worker that had booted: a worker killed while booting
// says nothing about the transfer. The one rule, for the judge and the readings alike.
export function requestKill(o: Observation): GunicornEvent | undefined {
  const booting = new Set(bootKillEvents(o.gunicorn.events));
  return o.gunicorn.events.find((e) => e.kind === 'timeout' && e.atMs >= 0 && !booting.has(e));
}

// Gunicorn's time on the download: its access line's duration, or the kill's time where it was killed.
export function gunicornBusyMs(o: Observation): number | null {
  const kill = requestKill(o);
  if (kill) return kill.atMs;
  const line = o.gunicorn.access.find((a) => isClientRequest(o, a.request));
  return line ? line.durationMs : null;
}

// The arbiter looks for silent workers about once a second: a kill comes up to this late after the timeout.
export const KILL_SLACK_S = 3;

// An alert fires "within a few seconds" of the kill when the counter arrives this soon after it.
export const ALERT_WITHIN_MS = 3000;
// Gunicorn logs the kill, then sends the counter; but the engine stamps each container's output as it reads it, and
// on a loaded machine it reads the app's line later than the listener's (by hundreds of ms): a counter this soon
// before the kill's line is still its own (a boot kill before the request is seconds earlier).
export const ALERT_STAMP_SLACK_MS = 500;
export function timeoutAlert(o: Observation): { killAtMs: number; alertAtMs: number } | null {
  const kill = requestKill(o);
  const alert = kill && o.statsd?.find((m) => m.name === CRITICAL_METRIC && m.atMs >= kill.atMs - ALERT_STAMP_SLACK_MS);
  return kill && alert ? { killAtMs: kill.atMs, alertAtMs: alert.atMs } : null;
}

// Nginx's access line for the download itself (not a side request).
function downloadAccess(o: Observation) {
  return o.nginx?.access.find((a) => isClientRequest(o, a.request));
}

const HOLDER_WORDS: Record<CapacityHolder, string> = {
  front: 'the front (it had the whole responses)',
  buffers: 'the socket buffers (the responses fit in them; no front)',
  app: 'the app server (its workers, threads or event loop)',
};

// The capacity search's figure against what the lab expects; the stall and any lost worker are said beside it.
export function describeCapacity(search: CapacitySearch): string {
  const held = search.stalledAt === null ? `at least ${search.held} (the cap)` : String(search.held);
  const stall =
    search.stalledAt === null
      ? 'the probe never stalled'
      : `the probe stalled at ${search.stalledAt} (waited ${((search.probeWaitMs ?? 0) / 1000).toFixed(1)} s, bound ${search.probeWithinMs / 1000} s)`;
  return `held ${held} slow client(s); ${stall}`;
}

function capacityCheck(o: Observation, expected: string, holds: (held: number) => boolean): Check {
  const search = o.capacitySearch ?? null;
  const name = 'slow clients held while the probe was answered in time';
  if (search === null) return { name, expected, actual: 'not observable: this run searched no capacity', passed: false };
  const kills = o.gunicorn.workerTimeouts ? `; ${o.gunicorn.workerTimeouts} WORKER TIMEOUT(s) meanwhile` : '';
  return { name, expected, actual: describeCapacity(search) + kills, passed: holds(search.held) };
}

type CheckFor<K extends keyof Expectation> = (expected: NonNullable<Expectation[K]>, o: Observation) => Check;

interface Rule<K extends keyof Expectation> {
  check: CheckFor<K>;
  // Log lines the observation still lacks for this expectation (the run waits for them, with a deadline).
  awaits: (expected: NonNullable<Expectation[K]>, o: Observation) => string[];
  // The expectation in a few words ("WORKER TIMEOUT", "HTTP 200").
  words: (expected: NonNullable<Expectation[K]>) => string;
}

const NOTHING = (): string[] => [];
const needsKill = (o: Observation): string[] => (o.gunicorn.workerTimeouts === 0 ? [`${serverName(o)}'s ${killLine(o)} line`] : []);

// Where Gunicorn's access log was not observable, a check on it fails: absence of evidence is not evidence.
const ACCESS_NOT_OBSERVED =
  "not observable: Gunicorn wrote no access line at all in this run, not even for the set-up's request (its worker ignores --access-logformat?)";
const accessCheck = (check: Check, o: Observation): Check => (o.gunicorn.accessLogObserved ? check : { ...check, actual: ACCESS_NOT_OBSERVED, passed: false });

// Every expectation key in one place: the check that judges it, the log lines the run must wait for before it can
// judge (a missing one is said, never taken as evidence), and its words in a summary. A key without any of the three
// does not compile. The order is the order of the checks in a report, and of the words in a summary.
const RULES: { [K in keyof Expectation]-?: Rule<K> } = {
  outcome: {
    check: (expected, o) => ({
      name: 'client transfer ends',
      expected,
      actual: `${o.client.outcome} (${formatBytes(o.client.bytesReceived)} of ${o.client.contentLength === null ? 'unknown length' : formatBytes(o.client.contentLength)})`,
      passed: o.client.outcome === expected,
    }),
    awaits: NOTHING,
    words: (expected) => expected,
  },
  clientStatus: {
    check: (expected, o) => ({
      name: 'client HTTP status',
      expected: String(expected),
      actual: o.client.status === null ? 'no response' : String(o.client.status),
      passed: o.client.status === expected,
    }),
    awaits: NOTHING,
    words: (expected) => `HTTP ${expected}`,
  },
  workerTimeout: {
    check: (expected, o) => ({
      name: `${serverName(o)} logs ${killLine(o)}`,
      expected: expected ? 'at least once' : 'never',
      actual: o.gunicorn.workerTimeouts === 0 ? 'never' : `${o.gunicorn.workerTimeouts} time(s)`,
      passed: o.gunicorn.workerTimeouts > 0 === expected,
    }),
    awaits: (expected, o) => (expected ? needsKill(o) : []),
    words: (expected) => (expected ? 'WORKER TIMEOUT' : 'no timeout'),
  },
  sideRequestsWaited: {
    check: (expected, o) => {
      const probes = o.client.probes;
      const waited = (p: ClientProbe) => p.latencyMs !== null && (expected ? p.latencyMs >= REQUEST_HELD_MS : p.latencyMs <= PROBE_IMMEDIATE_MS);
      return {
        name: 'side requests waited',
        expected: expected ? `${REQUEST_HELD_MS} ms or more each` : `within ${PROBE_IMMEDIATE_MS} ms each`,
        actual: probes.length
          ? probes.map((p) => `${p.path}: ${p.status ?? p.error ?? 'no answer'} after ${p.latencyMs ?? '-'} ms`).join('; ')
          : 'no side request',
        passed: probes.length > 0 && probes.every(waited),
      };
    },
    awaits: NOTHING,
    words: (expected) => (expected ? 'side requests wait' : 'side requests answered at once'),
  },
  requestAnswer: {
    check: (expected, o) => {
      const waited = o.client.waitedMs ?? null;
      return {
        name: "the request's own wait for its headers",
        expected: expected === 'immediate' ? `within ${PROBE_IMMEDIATE_MS} ms` : `${REQUEST_HELD_MS} ms or more`,
        actual: waited === null ? 'no headers' : `${waited} ms`,
        passed: waited !== null && (expected === 'immediate' ? waited <= PROBE_IMMEDIATE_MS : waited >= REQUEST_HELD_MS),
      };
    },
    awaits: NOTHING,
    words: (expected) => `request ${expected}`,
  },
  appGotWholeUpload: {
    check: (expected, o) => ({
      name: 'the app received the whole upload',
      expected: expected ? 'every byte, same checksum' : 'not the whole body',
      actual: o.upload === null ? 'not observable: this run uploads nothing' : describeUploadReceived(o.upload),
      passed: o.upload !== null && o.upload.whole === expected,
    }),
    awaits: NOTHING,
    words: (expected) => (expected ? 'app gets the whole upload' : 'app never gets the whole upload'),
  },
  checksumMatches: {
    check: (expected, o) => ({
      name: 'body checksum matches the file',
      expected: expected ? 'matches' : 'differs',
      actual: o.client.checksumMatches ? 'matches' : 'differs',
      passed: o.client.checksumMatches === expected,
    }),
    awaits: NOTHING,
    words: (expected) => (expected ? 'same checksum' : 'checksum differs'),
  },
  nginxErrorIncludes: {
    check: (expected, o) => {
      const line = o.nginx?.errors.find((e) => e.message.includes(expected));
      return {
        name: 'Nginx error log mentions',
        expected: `"${expected}"`,
        actual: o.nginx === null ? 'no Nginx in this lab' : line ? `"${line.message.split(',')[0]}"` : 'no such line',
        passed: line !== undefined,
      };
    },
    awaits: (expected, o) => (o.nginx?.errors.some((e) => e.message.includes(expected)) ? [] : [`Nginx's error line "${expected}"`]),
    words: (expected) => `Nginx: "${expected}"`,
  },
  frontLogIncludes: {
    check: (expected, o) => {
      const said = frontSays(o, expected);
      return {
        name: `${o.front?.kind ?? 'front'} log mentions`,
        expected: `"${expected}"`,
        actual: !o.front ? 'no front other than Nginx in this lab' : (said ?? 'no such line'),
        passed: said !== null,
      };
    },
    awaits: (expected, o) => (frontSays(o, expected) ? [] : [`the front's line "${expected}"`]),
    words: (expected) => `front: "${expected}"`,
  },
  gunicornAccessStatus: {
    check: (expected, o) =>
      accessCheck(
        {
          name: 'Gunicorn access log records status',
          expected: String(expected),
          actual: o.gunicorn.access.length ? o.gunicorn.access.map((a) => a.status).join(', ') : 'no access line',
          passed: o.gunicorn.access.some((a) => a.status === expected),
        },
        o,
      ),
    awaits: (expected, o) => (o.gunicorn.access.some((a) => a.status === expected) ? [] : [`Gunicorn's access line with status ${expected}`]),
    words: (expected) => `Gunicorn logs ${expected}`,
  },
  gunicornAccessLines: {
    check: (expected, o) =>
      accessCheck(
        { name: 'Gunicorn access lines', expected: String(expected), actual: String(o.gunicorn.access.length), passed: o.gunicorn.access.length === expected },
        o,
      ),
    awaits: NOTHING,
    words: (expected) => (expected === 0 ? 'Gunicorn not asked' : `${expected} Gunicorn access line(s)`),
  },
  gunicornRequestMaxMs: {
    check: (expected, o) => {
      const longest = Math.max(...o.gunicorn.access.map((a) => a.durationMs));
      return accessCheck(
        {
          name: 'longest Gunicorn request',
          expected: `at most ${expected} ms`,
          actual: o.gunicorn.access.length ? `${Math.round(longest)} ms` : 'no access line',
          passed: o.gunicorn.access.length > 0 && longest <= expected,
        },
        o,
      );
    },
    awaits: (_, o) => (o.gunicorn.access.some((a) => isClientRequest(o, a.request)) ? [] : ["Gunicorn's access line for the download"]),
    words: (expected) => `Gunicorn ≤ ${expected} ms`,
  },
  upstreamDoneFirst: {
    check: (expected, o) => {
      const line = downloadAccess(o);
      const upstream = line?.upstreamResponseTimeS ?? null;
      const request = line?.requestTimeS ?? null;
      const done = upstream !== null && request !== null && upstream <= request / 2;
      return {
        name: 'Nginx upstream done within half the client request time',
        expected: expected ? 'yes' : 'no',
        actual: line ? `upstream ${upstream ?? '-'} s, request ${request ?? '-'} s` : 'no Nginx access line for the download',
        passed: line !== undefined && done === expected,
      };
    },
    awaits: NOTHING,
    words: (expected) => (expected ? 'upstream done first' : 'upstream not done first'),
  },
  probes: {
    check: (expected, o) => {
      const probes = o.client.probes;
      const verdicts = probes.map((p) => {
        if (p.status === null || p.latencyMs === null) return false;
        return expected === 'immediate' ? p.latencyMs <= PROBE_IMMEDIATE_MS : probeHeld(p, o.client.durationMs);
      });
      return {
        name: 'side requests during the download',
        expected: expected === 'immediate' ? `answered within ${PROBE_IMMEDIATE_MS} ms` : 'held for at least half of the download time left',
        actual: probes.length
          ? probes
              .map(
                (p) =>
                  `${p.path}: ${p.status ?? p.error ?? 'no answer'} after ${p.latencyMs ?? '-'} ms (download had ${Math.round(Math.max(0, o.client.durationMs - p.sentMs))} ms left)`,
              )
              .join('; ')
          : 'no side request',
        passed: probes.length > 0 && verdicts.every(Boolean),
      };
    },
    awaits: NOTHING,
    words: (expected) => `side request ${expected}`,
  },
  workerTimeoutNearS: {
    check: (expected, o) => {
      const kill = requestKill(o);
      return {
        name: 'first WORKER TIMEOUT',
        expected: `${expected} to ${expected + KILL_SLACK_S} s into the request`,
        actual: kill ? `${(kill.atMs / 1000).toFixed(2)} s` : 'none',
        passed: kill !== undefined && kill.atMs >= expected * 1000 && kill.atMs <= (expected + KILL_SLACK_S) * 1000,
      };
    },
    awaits: (_, o) => needsKill(o),
    words: (expected) => `killed ~${expected} s in`,
  },
  timeoutAlert: {
    check: (expected, o) => {
      const name = 'statsd alert on WORKER TIMEOUT';
      const wanted = expected ? `${CRITICAL_METRIC} within ${ALERT_WITHIN_MS / 1000} s of the kill` : `statsd metrics, never ${CRITICAL_METRIC}`;
      if (o.statsd === null) return { name, expected: wanted, actual: 'not observable: this lab sends no statsd metrics', passed: false };
      const critical = o.statsd.filter((m) => m.name === CRITICAL_METRIC);
      if (!expected) {
        return {
          name,
          expected: wanted,
          actual:
            o.statsd.length === 0
              ? 'no statsd metric at all (not observable)'
              : critical.length
                ? `${critical.length} × ${CRITICAL_METRIC}`
                : `${o.statsd.length} metric(s), no ${CRITICAL_METRIC}`,
          passed: o.statsd.length > 0 && critical.length === 0,
        };
      }
      const alert = timeoutAlert(o);
      return {
        name,
        expected: wanted,
        actual: alert
          ? alert.alertAtMs >= alert.killAtMs
            ? `${CRITICAL_METRIC} ${Math.round(alert.alertAtMs - alert.killAtMs)} ms after the kill`
            : `${CRITICAL_METRIC} with the kill (stamped ${Math.round(alert.killAtMs - alert.alertAtMs)} ms before its log line)`
          : critical.length
            ? `${CRITICAL_METRIC} with no WORKER TIMEOUT before it`
            : `no ${CRITICAL_METRIC} (${o.statsd.length} other metric(s))`,
        passed: alert !== null && alert.alertAtMs - alert.killAtMs <= ALERT_WITHIN_MS,
      };
    },
    awaits: (expected, o) =>
      expected ? [...needsKill(o), ...(o.statsd?.some((m) => m.name === CRITICAL_METRIC) ? [] : [`Gunicorn's statsd ${CRITICAL_METRIC}`])] : [],
    words: (expected) => (expected ? 'statsd alert' : 'no statsd alert'),
  },
  nginxSpill: {
    check: (expected, o) => {
      const name = "Nginx's temp files (proxy buffers on disk), at most at once";
      const wanted =
        expected === 'most' ? `at least ${SPILL_MOST_SHARE * 100} % of the file (${formatBytes(Math.ceil(o.file.sizeBytes * SPILL_MOST_SHARE))})` : 'none';
      const peak = o.nginx?.tempPeakBytes ?? null;
      if (peak === null)
        return {
          name,
          expected: wanted,
          actual: o.nginx ? 'not observable: this Nginx has no temp-file sampler' : 'not observable: no Nginx in this lab',
          passed: false,
        };
      return {
        name,
        expected: wanted,
        actual: `${formatBytes(peak)} (${Math.round((peak / o.file.sizeBytes) * 100)} % of the file)`,
        passed: expected === 'most' ? peak >= o.file.sizeBytes * SPILL_MOST_SHARE : peak === 0,
      };
    },
    awaits: NOTHING,
    words: (expected) => (expected === 'most' ? 'file spilled to disk' : 'nothing on disk'),
  },
  capacityHeld: {
    check: (expected, o) => capacityCheck(o, `exactly ${expected}`, (held) => held === expected),
    awaits: NOTHING,
    words: (expected) => `holds ${expected} slow client(s)`,
  },
  capacityHeldAtLeast: {
    check: (expected, o) => capacityCheck(o, `at least ${expected}`, (held) => held >= expected),
    awaits: NOTHING,
    words: (expected) => `holds ≥ ${expected} slow clients`,
  },
  capacityHeldBy: {
    check: (expected, o) => {
      const search = o.capacitySearch ?? null;
      return {
        name: 'the layer that held the slow clients',
        expected: HOLDER_WORDS[expected],
        actual:
          search === null
            ? 'not observable: this run searched no capacity'
            : search.heldBy === null
              ? "not observable: Gunicorn's access log shows nothing"
              : `${HOLDER_WORDS[search.heldBy]} (Gunicorn finished ${search.finishedByApp} slow download(s) while they were held)`,
        passed: search?.heldBy === expected,
      };
    },
    awaits: NOTHING,
    words: (expected) => `held by the ${expected}`,
  },
  streaming: {
    check: (expected, o) => {
      const share = firstByteShare(o);
      const passed = share !== null && (expected === 'live' ? share <= LIVE_FIRST_BYTE_SHARE : share >= HELD_FIRST_BYTE_SHARE);
      return {
        name: 'first body byte of the stream',
        expected:
          expected === 'live'
            ? `within the first ${LIVE_FIRST_BYTE_SHARE * 100} % of the transfer`
            : `only in its last ${Math.round((1 - HELD_FIRST_BYTE_SHARE) * 100)} %`,
        actual:
          share === null
            ? 'no body byte'
            : `after ${Math.round(o.client.firstByteMs!)} ms of ${Math.round(o.client.durationMs)} ms (${Math.round(share * 100)} %)`,
        passed,
      };
    },
    awaits: NOTHING,
    words: (expected) => `stream ${expected}`,
  },
};

// Each rule for an expectation the lab states, in the table's order.
function stated<T>(expectation: Expectation, use: <K extends keyof Expectation>(rule: Rule<K>, expected: NonNullable<Expectation[K]>) => T): T[] {
  return (Object.keys(RULES) as Array<keyof Expectation>).flatMap((key) => {
    const expected = expectation[key];
    return expected === undefined ? [] : [use(RULES[key] as Rule<typeof key>, expected as never)];
  });
}

// One check for each expectation the lab states, in the order of the table above.
export function checkAll(expectation: Expectation, observation: Observation): Check[] {
  return stated(expectation, (rule, expected) => rule.check(expected, observation));
}

// The log lines an expectation needs that the observation lacks, each once; and Nginx's access line for the
// download, which every report shows.
export function missingEvidence(expectation: Expectation, o: Observation): string[] {
  const missing = stated(expectation, (rule, expected) => rule.awaits(expected, o)).flat();
  if (o.nginx && o.client.status !== null && !o.nginx.access.some((a) => isClientRequest(o, a.request))) missing.push("Nginx's access line for the download");
  return [...new Set(missing)];
}

// The expectation in a few words: "truncated · HTTP 200 · WORKER TIMEOUT"; kill: the app server's own word for its kill
// (uWSGI's HARAKIRI, mod_wsgi's "request time limit exceeded").
export function describeExpectation(expectation: Expectation, kill = 'WORKER TIMEOUT'): string {
  return stated(expectation, (rule, expected) => rule.words(expected))
    .map((words) => (words === 'WORKER TIMEOUT' ? kill : words))
    .join(' · ');
}

export function judge(expectation: Expectation, observation: Observation): Verdict {
  const checks = checkAll(expectation, observation);
  return { passed: checks.length > 0 && checks.every((c) => c.passed), checks };
}

// A claim is confirmed where all it says was observed, refuted where none of it was, nuanced in between.
export function assessClaims(claims: readonly Claim[], observation: Observation): ClaimFinding[] {
  return claims.map((claim) => {
    const checks = checkAll(claim.says, observation);
    const held = checks.filter((c) => c.passed).length;
    const status: ClaimStatus = held === checks.length ? 'confirmed' : held === 0 ? 'refuted' : 'nuanced';
    return { quote: claim.quote, status, checks };
  });
}

// What the app said it got of an upload, against what the client wrote.
export function describeUploadReceived(u: UploadObservation): string {
  const sent = `${formatBytes(u.sentBytes)} of ${formatBytes(u.sizeBytes)} written${u.error ? ` (then ${u.error})` : ''}`;
  if (u.appReceived === null)
    return `${sent}; ${u.answeredStatus === null ? 'no answer' : `answered ${u.answeredStatus}, with no account of what the app received`}`;
  return `${sent}; the app got ${formatBytes(u.appReceived.bytes)}${u.whole ? ', same checksum' : u.appReceived.bytes === u.sizeBytes ? ', another checksum' : ''}`;
}

// Unit tests of src/verdict/judge.ts.
import test from 'ava';
import { type ClientProbe, type ClientResult } from '../../src/client/client-output.ts';
import { observeUpload } from '../../src/observe/build-observation.ts';
import { expectationFor, type Expectation } from '../../src/lab/schema.ts';
import { type Observation } from '../../src/observe/observation.ts';
import { missingEvidence, assessClaims, describeUploadReceived, firstByteShare, judge, probeHeld, checkAll } from '../../src/verdict/judge.ts';
import { fixtureObservation } from './helpers/load-fixture.ts';
import { interpret } from '../../src/report/interpret.ts';
import { observeCapacitySearch } from '../../src/observe/capacity-search.ts';
import { quietObservation, MiB, killAt } from './helpers/observation.ts';
import { searched, isSlow } from './helpers/capacity-search.ts';
import { parsed } from './helpers/front-log.ts';

const killed = fixtureObservation('bookworm-sync-killed');
const fast = fixtureObservation('bookworm-sync-fast');
const problem: Expectation = { workerTimeout: true, outcome: 'truncated', clientStatus: 200, nginxErrorIncludes: 'upstream prematurely closed connection' };

// The fast run with changes laid over it: each check below must be able to fail as well as pass.
function fastWith(change: (o: Observation) => void): Observation {
  const o = structuredClone(fast);
  change(o);
  return o;
}
const probe = (sentMs: number, latencyMs: number | null, status: number | null = 200): ClientProbe => ({
  path: '/ping',
  sentMs,
  status,
  latencyMs,
  error: null,
});
const passesOn = (expectation: Expectation, o: Observation) => judge(expectation, o).passed;

const NGINX_LINE = "Nginx's access line for the download";
const KILL = "Gunicorn's WORKER TIMEOUT line";
const COUNTER = "Gunicorn's statsd gunicorn.log.critical";

// A quiet run whose Nginx has logged the download: nothing is missing for an expectation about nothing.
function observed(change: (o: Observation) => void = () => undefined): Observation {
  return quietObservation((o) => {
    o.nginx!.access.push({
      atMs: 8000,
      request: 'GET /download HTTP/1.1',
      status: 200,
      bodyBytesSent: 8 * MiB,
      requestTimeS: 8,
      upstreamResponseTimeS: 8,
      upstreamStatus: '200',
    });
    change(o);
  });
}
const metric = (name: string) => ({ atMs: 2100, name, value: 1, type: 'c' });
const gunicornLine = (status: number, path = '/download') => ({ atMs: 100, status, bytes: 1, durationMs: 5, request: `GET ${path} HTTP/1.0` });

const cases: Array<[what: string, expectation: Expectation, o: Observation, missing: string[]]> = [
  ['nothing expected, all in', {}, observed(), []],
  ['Nginx has not logged the download yet', {}, quietObservation(), [NGINX_LINE]],
  [
    'Nginx logged a side request only',
    {},
    quietObservation((o) => o.nginx!.access.push({ ...observed().nginx!.access[0]!, request: 'GET /downloads HTTP/1.1' })),
    [NGINX_LINE],
  ],
  ['no Nginx in the lab', {}, quietObservation((o) => (o.nginx = null)), []],
  ['no response: Nginx may never log one', {}, quietObservation((o) => (o.client.status = null)), []],
  ['a kill expected, none yet', { workerTimeout: true }, observed(), [KILL]],
  ['a kill expected and logged', { workerTimeout: true }, observed((o) => killAt(o, 2000)), []],
  ['no kill expected', { workerTimeout: false }, observed(), []],
  ['a kill near the timeout expected', { workerTimeoutNearS: 30 }, observed(), [KILL]],
  ['an alert expected, nothing yet', { timeoutAlert: true }, observed(), [KILL, COUNTER]],
  ['an alert expected, other metrics only', { timeoutAlert: true }, observed((o) => (killAt(o, 2000), (o.statsd = [metric('gunicorn.requests')]))), [COUNTER]],
  ['an alert expected and sent', { timeoutAlert: true }, observed((o) => (killAt(o, 2000), (o.statsd = [metric('gunicorn.log.critical')]))), []],
  [
    'an alert expected and sent among others',
    { timeoutAlert: true },
    observed((o) => (killAt(o, 2000), (o.statsd = [metric('gunicorn.requests'), metric('gunicorn.log.critical')]))),
    [],
  ],
  ['silence expected', { timeoutAlert: false }, observed(), []],
  ['an Nginx error expected', { nginxErrorIncludes: 'prematurely' }, observed(), ['Nginx\'s error line "prematurely"']],
  [
    'an Nginx error expected and logged',
    { nginxErrorIncludes: 'prematurely' },
    observed((o) => o.nginx!.errors.push({ atMs: 2000, level: 'error', message: 'upstream prematurely closed connection' })),
    [],
  ],
  [
    'an Nginx error expected, no Nginx',
    { nginxErrorIncludes: 'prematurely' },
    quietObservation((o) => (o.nginx = null)),
    ['Nginx\'s error line "prematurely"'],
  ],
  [
    'a Gunicorn status expected',
    { gunicornAccessStatus: 500 },
    observed((o) => o.gunicorn.access.push(gunicornLine(200))),
    ["Gunicorn's access line with status 500"],
  ],
  ['a Gunicorn status expected and logged', { gunicornAccessStatus: 500 }, observed((o) => o.gunicorn.access.push(gunicornLine(500))), []],
  [
    "the download's duration expected",
    { gunicornRequestMaxMs: 100 },
    observed((o) => o.gunicorn.access.push(gunicornLine(200, '/downloads'))),
    ["Gunicorn's access line for the download"],
  ],
  ["the download's duration expected and logged", { gunicornRequestMaxMs: 100 }, observed((o) => o.gunicorn.access.push(gunicornLine(200))), []],
  [
    "the download's duration expected and logged among others",
    { gunicornRequestMaxMs: 100 },
    observed((o) => o.gunicorn.access.push(gunicornLine(200, '/ping'), gunicornLine(200))),
    [],
  ],
];

test('the killed run is observed as the problem', (t) => {
  t.is(killed.client.outcome, 'truncated');
  t.is(killed.client.status, 200);
  t.is(killed.client.bytesReceived, 2817152);
  t.false(killed.client.checksumMatches, 'a cut body never matches the file');
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
  t.deepEqual(
    verdict.checks.map((c) => c.name),
    ['client transfer ends', 'client HTTP status', 'Gunicorn logs WORKER TIMEOUT', 'Nginx error log mentions'],
  );
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
  t.deepEqual(
    findings.map((f) => f.status),
    ['confirmed', 'refuted', 'nuanced'],
  );
});

test('trixie: the 500 claim is nuanced, Gunicorn logs 500 while the client holds a truncated 200', (t) => {
  const trixie = fixtureObservation('trixie-sync-killed');
  t.true(judge(problem, trixie).passed);
  const [finding] = assessClaims([{ quote: 'ends as a 500', says: { clientStatus: 500, gunicornAccessStatus: 500 } }], trixie);
  t.is(finding?.status, 'nuanced');
  t.deepEqual(
    finding?.checks.map((c) => [c.name, c.actual, c.passed]),
    [
      ['client HTTP status', '200', false],
      ['Gunicorn access log records status', '200, 500', true],
    ],
  );
});

test('probes: immediate and held, each able to fail', (t) => {
  // The download ran 8 s; a probe sent at 1 s had 7 s left: held means it waited at least 3.5 s.
  const at = (p: ClientProbe) => fastWith((o) => ((o.client.durationMs = 8000), (o.client.probes = [p])));
  t.true(passesOn({ probes: 'immediate' }, at(probe(1000, 40))));
  t.true(passesOn({ probes: 'immediate' }, at(probe(1000, 1000))), 'at the limit');
  t.false(passesOn({ probes: 'immediate' }, at(probe(1000, 1001))));
  t.true(passesOn({ probes: 'held' }, at(probe(1000, 3500))));
  t.false(passesOn({ probes: 'held' }, at(probe(1000, 3499))));
  t.false(passesOn({ probes: 'held' }, at(probe(1000, 40))), 'an answered probe is not held');
  t.false(passesOn({ probes: 'immediate' }, at(probe(1000, null, null))), 'an unanswered probe is not immediate');
  t.false(
    passesOn(
      { probes: 'immediate' },
      fastWith((o) => (o.client.probes = [])),
    ),
    'no probe proves nothing',
  );
  t.true(probeHeld(probe(1000, 3500), 8000));
  t.false(probeHeld(probe(1000, 3499), 8000));
});

test('upstreamDoneFirst: Nginx had the body within half the request time, or did not', (t) => {
  const withUpstream = (upstreamS: number | null) =>
    fastWith((o) => {
      o.nginx!.access = [
        {
          atMs: 8000,
          request: `GET ${o.client.path} HTTP/1.1`,
          status: 200,
          bodyBytesSent: 8,
          requestTimeS: 8,
          upstreamResponseTimeS: upstreamS,
          upstreamStatus: '200',
        },
      ];
    });
  t.true(passesOn({ upstreamDoneFirst: true }, withUpstream(0.1)));
  t.false(passesOn({ upstreamDoneFirst: true }, withUpstream(7.9)));
  t.true(passesOn({ upstreamDoneFirst: false }, withUpstream(7.9)));
  t.false(passesOn({ upstreamDoneFirst: true }, withUpstream(null)));
  t.false(
    passesOn(
      { upstreamDoneFirst: false },
      fastWith((o) => (o.nginx!.access = [])),
    ),
    'no access line proves nothing either way',
  );
});

test('Gunicorn access lines: count and longest request, each able to fail', (t) => {
  const lines = (...ms: number[]) =>
    fastWith((o) => (o.gunicorn.access = ms.map((durationMs) => ({ atMs: 0, status: 200, bytes: 1, durationMs, request: 'GET /x HTTP/1.0' }))));
  t.true(passesOn({ gunicornAccessLines: 0 }, lines()));
  t.false(passesOn({ gunicornAccessLines: 0 }, lines(5)));
  t.true(passesOn({ gunicornAccessLines: 2 }, lines(5, 6)));
  t.true(passesOn({ gunicornRequestMaxMs: 100 }, lines(5, 100)));
  t.false(passesOn({ gunicornRequestMaxMs: 100 }, lines(5, 101)));
  t.false(passesOn({ gunicornRequestMaxMs: 100 }, lines()), 'no access line is no evidence of a quick request');
});

test("expectByRelease lays a release's keys over the lab's, and an undefined key drops one", (t) => {
  const lab = {
    expect: { clientStatus: 502, workerTimeout: true, nginxErrorIncludes: 'x' },
    expectByRelease: { trixie: { clientStatus: 500, nginxErrorIncludes: undefined } },
  };
  t.deepEqual(expectationFor({ ...lab, release: 'bookworm' }), lab.expect);
  const onTrixie = expectationFor({ ...lab, release: 'trixie' });
  t.deepEqual(
    judge(onTrixie, killed).checks.map((c) => c.name),
    ['client HTTP status', 'Gunicorn logs WORKER TIMEOUT'],
  );
  t.is(onTrixie.clientStatus, 500);
});

test("Gunicorn's access log not observable (a worker that ignores the format): checks on it fail, never pass on absence", (t) => {
  const silent = fastWith((o) => {
    o.gunicorn.access = [];
    o.gunicorn.accessLogObserved = false;
  });
  for (const expectation of [{ gunicornAccessLines: 0 }, { gunicornAccessStatus: 200 }, { gunicornRequestMaxMs: 500 }] as Expectation[]) {
    const [check] = judge(expectation, silent).checks;
    t.false(check?.passed, JSON.stringify(expectation));
    t.regex(check?.actual ?? '', /^not observable: Gunicorn wrote no access line at all/);
  }
  // The same zero lines where the log was seen working is a real zero.
  t.true(
    judge(
      { gunicornAccessLines: 0 },
      fastWith((o) => ((o.gunicorn.access = []), (o.gunicorn.accessLogObserved = true))),
    ).passed,
  );
  t.true(killed.gunicorn.accessLogObserved, 'the killed run logged the readiness request');
});

test('the log lines a run waits for follow its expectation, and are missing until they come', (t) => {
  const problem: Expectation = { workerTimeout: true, nginxErrorIncludes: 'upstream prematurely closed connection', gunicornAccessStatus: 500 };
  t.deepEqual(missingEvidence(problem, killed), ["Gunicorn's access line with status 500"]);
  const early = structuredClone(killed);
  early.gunicorn.workerTimeouts = 0;
  early.nginx!.errors = [];
  early.nginx!.access = [];
  t.deepEqual(missingEvidence(problem, early), [
    "Gunicorn's WORKER TIMEOUT line",
    'Nginx\'s error line "upstream prematurely closed connection"',
    "Gunicorn's access line with status 500",
    "Nginx's access line for the download",
  ]);
  // Nothing to wait for where the expectation is about absences and the Nginx line is in.
  t.deepEqual(missingEvidence({ workerTimeout: false, outcome: 'complete' }, fast), []);
});

test('streaming: live when the first body byte comes within the first quarter, held when only in the last fifth', (t) => {
  const stream = (firstByteMs: number | null) => fastWith((o) => ((o.client.durationMs = 2800), (o.client.firstByteMs = firstByteMs)));
  t.true(passesOn({ streaming: 'live' }, stream(10)));
  t.true(passesOn({ streaming: 'live' }, stream(700)));
  t.false(passesOn({ streaming: 'live' }, stream(701)));
  t.true(passesOn({ streaming: 'held' }, stream(2240)));
  t.false(passesOn({ streaming: 'held' }, stream(2239)));
  t.false(passesOn({ streaming: 'held' }, stream(10)), 'a live stream is not held');
  t.false(passesOn({ streaming: 'live' }, stream(null)), 'no body byte proves nothing');
  t.false(passesOn({ streaming: 'held' }, stream(null)));
  t.is(firstByteShare(stream(1400)), 0.5);
  t.is(firstByteShare(fastWith((o) => (o.client.durationMs = 0))), null);
});

test('timeoutAlert: the critical counter within 3 s of the kill; silent only where statsd was seen at all', (t) => {
  const kill = killed.gunicorn.events.find((e) => e.kind === 'timeout')!.atMs;
  const metric = (name: string, atMs: number) => ({ name, atMs, value: 1, type: 'c' });
  const withStatsd = (base: Observation, statsd: Observation['statsd']) => {
    const o = structuredClone(base);
    o.statsd = statsd;
    return o;
  };
  t.true(passesOn({ timeoutAlert: true }, withStatsd(killed, [metric('gunicorn.log.critical', kill + 80)])));
  t.true(passesOn({ timeoutAlert: true }, withStatsd(killed, [metric('gunicorn.log.critical', kill + 3000)])));
  t.false(passesOn({ timeoutAlert: true }, withStatsd(killed, [metric('gunicorn.log.critical', kill + 3001)])), 'too late to call it an alert');
  t.false(
    passesOn({ timeoutAlert: true }, withStatsd(killed, [metric('gunicorn.log.critical', kill - 501)])),
    'a counter from before the kill is not its alert',
  );
  t.false(passesOn({ timeoutAlert: true }, withStatsd(killed, [metric('gunicorn.requests', kill + 10)])));
  t.false(passesOn({ timeoutAlert: true }, withStatsd(fast, [metric('gunicorn.log.critical', 100)])), 'a counter with no kill is no alert for one');
  t.false(passesOn({ timeoutAlert: true }, withStatsd(killed, null)), "a lab without statsd can't show the signal");
  t.true(passesOn({ timeoutAlert: false }, withStatsd(fast, [metric('gunicorn.requests', 8000)])));
  t.false(passesOn({ timeoutAlert: false }, withStatsd(fast, [])), 'no metric at all: silence proves nothing');
  t.false(passesOn({ timeoutAlert: false }, withStatsd(fast, [metric('gunicorn.requests', 10), metric('gunicorn.log.critical', 20)])));
  t.false(passesOn({ timeoutAlert: false }, withStatsd(fast, null)));
});

test('workerTimeoutNearS: the first kill from the timeout to 3 s after it, and only then', (t) => {
  const killAt = (atMs: number) =>
    fastWith((o) => {
      o.gunicorn.events = [{ atMs, kind: 'timeout', level: 'CRITICAL', pid: 11, message: 'WORKER TIMEOUT (pid:11)' }];
    });
  t.true(passesOn({ workerTimeoutNearS: 30 }, killAt(30_990)));
  t.true(passesOn({ workerTimeoutNearS: 30 }, killAt(30_000)));
  t.true(passesOn({ workerTimeoutNearS: 30 }, killAt(33_000)));
  t.false(passesOn({ workerTimeoutNearS: 30 }, killAt(29_999)), 'before the timeout: another timeout was in force');
  t.false(passesOn({ workerTimeoutNearS: 30 }, killAt(33_001)));
  t.false(passesOn({ workerTimeoutNearS: 2 }, killAt(30_990)), 'a 2 s timeout would have killed it long before');
  t.false(passesOn({ workerTimeoutNearS: 30 }, fast), 'no kill at all');
});

test('an upload is whole only where the app answered every byte with the checksum the client sent', (t) => {
  const plan = { sizeBytes: 1000, rateBytesPerS: 100, chunked: false, method: 'POST' as const, contentType: 'application/octet-stream' };
  const sent = { uploadSentBytes: 1000, uploadSha256: 'a'.repeat(64), uploadMs: 10_000 };
  const result = (over: Partial<ClientResult>): ClientResult => ({
    startedAtEpochMs: 0,
    status: 200,
    headers: {},
    contentLength: 60,
    chunked: false,
    bytesReceived: 60,
    sha256: null,
    outcome: 'complete',
    error: null,
    headersMs: 1,
    durationMs: 2,
    timeline: [],
    ...sent,
    ...over,
  });
  const whole = observeUpload(plan, result({ bodyHead: JSON.stringify({ bytes: 1000, sha256: 'a'.repeat(64) }) }));
  t.true(whole.whole);
  t.false(observeUpload(plan, result({ bodyHead: JSON.stringify({ bytes: 1000, sha256: 'b'.repeat(64) }) })).whole, 'another checksum');
  t.false(observeUpload(plan, result({ bodyHead: JSON.stringify({ bytes: 600, sha256: 'a'.repeat(64) }) })).whole, 'cut');
  const refused = observeUpload(plan, result({ status: 500, bodyHead: '<h1>Internal Server Error</h1>' }));
  t.false(refused.whole);
  t.is(refused.appReceived, null, 'an error page is no answer from the app');
  const cut = observeUpload(plan, result({ status: null, uploadSentBytes: 400, uploadError: 'BrokenPipeError: [Errno 32] Broken pipe', bodyHead: '' }));
  t.regex(describeUploadReceived(cut), /^400 B of 1000 B written \(then BrokenPipeError.*\); no answer$/);
  t.regex(describeUploadReceived(refused), /; answered 500, with no account of what the app received$/);
  const o = { ...fixtureObservation('bookworm-sync-killed'), upload: cut };
  t.deepEqual(
    judge({ appGotWholeUpload: false }, o).checks.map((c) => c.passed),
    [true],
  );
  t.deepEqual(
    judge({ appGotWholeUpload: true }, o).checks.map((c) => c.passed),
    [false],
  );
  t.regex(judge({ appGotWholeUpload: true }, { ...o, upload: null }).checks[0]!.actual, /not observable/);
});

test("the request's own wait: held behind an idle connection, or answered at once; the reading says who closed what", (t) => {
  const base = fixtureObservation('bookworm-sync-killed');
  const held = { ...base, client: { ...base.client, waitedMs: 2470, idleClosedMs: [2760] } };
  const quick = { ...base, client: { ...base.client, waitedMs: 4, idleClosedMs: [null] } };
  t.true(judge({ requestAnswer: 'held' }, held).passed);
  t.false(judge({ requestAnswer: 'immediate' }, held).passed);
  t.true(judge({ requestAnswer: 'immediate' }, quick).passed);
  t.false(judge({ requestAnswer: 'held' }, { ...base, client: { ...base.client, waitedMs: null } }).passed, 'no headers is neither');
  t.true(
    interpret(held).some((r) => /^1 connection that sent nothing held the worker: the request waited 2\.47 s .*the server closed it 2\.76 s in\.$/.test(r)),
  );
  t.true(interpret(quick).some((r) => r === '1 connection that sent nothing did not hold the request: it was answered in 4 ms; the server kept it open.'));
});

test("side requests waited: each one's own wait, not measured against the download", (t) => {
  const base = fixtureObservation('bookworm-sync-killed');
  const probe = (latencyMs: number | null) => ({ path: '/ping', sentMs: 1500, status: latencyMs === null ? null : 200, latencyMs, error: null });
  const with_ = (...latencies: Array<number | null>) => ({ ...base, client: { ...base.client, probes: latencies.map(probe) } });
  t.true(judge({ sideRequestsWaited: true }, with_(6100)).passed);
  t.false(judge({ sideRequestsWaited: true }, with_(6100, 3)).passed, 'every one must have waited');
  t.true(judge({ sideRequestsWaited: false }, with_(3)).passed);
  t.false(judge({ sideRequestsWaited: false }, with_(null)).passed, 'no answer is no quick answer');
  t.false(judge({ sideRequestsWaited: true }, with_()).passed, 'no side request says nothing');
});

test("frontLogIncludes passes on the front's own words (an error, or an access line's ending), fails without them, and is waited for", (t) => {
  const killed = fixtureObservation('bookworm-sync-killed');
  const expectation = { workerTimeout: true, frontLogIncludes: 'SD' };
  const noFront = judge(expectation, killed).checks.find((c) => c.name.includes('log mentions'))!;
  t.false(noFront.passed);
  t.is(noFront.actual, 'no front other than Nginx in this lab');
  const haproxy = { ...killed, front: { kind: 'haproxy' as const, ...parsed('haproxy') } };
  const check = judge(expectation, haproxy).checks.find((c) => c.name === 'haproxy log mentions')!;
  t.true(check.passed, check.actual);
  t.regex(check.actual, /GET \/files\/large\.bin HTTP\/1\.1: 200, \d+ bytes, ended SD--/);
  t.deepEqual(missingEvidence(expectation, haproxy), []);
  const clean = { ...haproxy, front: { ...haproxy.front, access: haproxy.front.access.map((a) => ({ ...a, ending: '----' })) } };
  t.false(judge(expectation, clean).checks.find((c) => c.name === 'haproxy log mentions')!.passed);
  t.deepEqual(missingEvidence(expectation, clean), ['the front\'s line "SD"'], 'a line not there yet is waited for, then said as missing');
  const caddy = { ...killed, front: { kind: 'caddy' as const, ...parsed('caddy') } };
  t.true(judge({ frontLogIncludes: 'aborting with incomplete response' }, caddy).checks[0]!.passed);
});

test('the capacity checks: exact, at least, the layer; a run that searched nothing fails them as not observable', (t) => {
  const o = quietObservation((o) => {
    o.capacitySearch = observeCapacitySearch(searched, [], isSlow);
  });
  const [exact, atLeast, by] = checkAll({ capacityHeld: 2, capacityHeldAtLeast: 3, capacityHeldBy: 'app' }, o);
  t.like(exact, { passed: true, expected: 'exactly 2' });
  t.regex(exact!.actual, /held 2 slow client\(s\); the probe stalled at 3 \(waited 3\.0 s, bound 1 s\)/);
  t.like(atLeast, { passed: false, expected: 'at least 3' });
  t.like(by, { passed: true });
  t.false(
    checkAll(
      { capacityHeld: 2 },
      quietObservation((o) => (o.capacitySearch = { ...o.capacitySearch!, ...observeCapacitySearch(searched, [], isSlow), held: 3 })),
    )[0]!.passed,
  );
  const none = checkAll({ capacityHeld: 0, capacityHeldBy: 'front' }, quietObservation());
  t.true(none.every((c) => !c.passed && c.actual.startsWith('not observable')));
  // Lost workers are said beside the figure.
  const killed = quietObservation((o) => {
    o.capacitySearch = observeCapacitySearch(searched, [], isSlow);
    o.gunicorn.workerTimeouts = 2;
  });
  t.regex(checkAll({ capacityHeld: 2 }, killed)[0]!.actual, /2 WORKER TIMEOUT\(s\) meanwhile/);
});

test('each expectation waits for its own line, and only while it is missing', (t) => {
  for (const [what, expectation, o, missing] of cases) t.deepEqual(missingEvidence(expectation, o), missing, what);
});

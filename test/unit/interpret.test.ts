// Unit tests of src/report/interpret.ts.
import test from 'ava';
import { type Observation } from '../../src/observe/observation.ts';
import { interpret } from '../../src/report/interpret.ts';
import { MiB, killAt, quietObservation } from './helpers/observation.ts';
import { compareReleases } from '../../src/report/compare-releases.ts';
import { fixtureRun } from './helpers/load-fixture.ts';
import { claim500, bookworm, trixie, failing } from './helpers/reports.ts';
import { nginxLine } from './helpers/observation-edits.ts';
import { killed } from './helpers/reports.ts';

type Case = [what: string, change: (o: Observation) => void, readings: string[]];

function cases(list: Case[]) {
  return (t: import('ava').ExecutionContext) => {
    for (const [what, change, readings] of list) t.deepEqual(interpret(quietObservation(change)), readings, what);
  };
}

const CUT_200 = (atS: string, tail = ' of 8 MiB') =>
  `The worker was killed ${atS} into the request, after its 200 headers had gone out: the client keeps that 200 with 2 MiB${tail} and a cut connection; no error status can follow headers already sent.`;
const truncated = (o: Observation) => {
  o.client.outcome = 'truncated';
  o.client.bytesReceived = 2 * MiB;
  o.client.checksumMatches = false;
};

const ONCE = (status: number, bytes: string) =>
  `Gunicorn 26.2.2 logs the killed request once, as a ${status} with ${bytes} bytes: its access log alone shows no failure; only the error log's WORKER TIMEOUT reveals the kill.`;
const download = (status: number, bytes: number | null = 0) => ({ atMs: 2000, status, bytes, durationMs: 2000, request: 'GET /download HTTP/1.0' });
const sid = (o: Observation) => (killAt(o, 2000), truncated(o), (o.gunicorn.version = '26.2.2'));

const BEFORE_HEADERS = (status: number, by: string) => `The kill came before any header, so an error status did reach the client: ${status}, written by ${by}.`;
const error = (status: number) => (o: Observation) => {
  killAt(o, 2000);
  o.client.status = status;
  o.client.bytesReceived = 0;
  o.client.outcome = 'complete';
};

const BUFFERED = (u: string, r: string) =>
  `Nginx had the whole response from Gunicorn after ${u} s and fed the client for ${r} s: the worker was free long before the client was done.`;

const probe = (sentMs: number, latencyMs: number | null) => ({
  path: '/ping',
  sentMs,
  status: latencyMs === null ? null : 200,
  latencyMs,
  error: latencyMs === null ? 'timed out' : null,
});

const MISSING = (missing: string) =>
  `The client saw a clean end of the body, yet ${missing} of 8 MiB are missing: nothing in the response told it the body was cut.`;
const shortBody = (outcome: 'complete' | 'closed') => (o: Observation) => {
  o.client.outcome = outcome;
  o.client.bytesReceived = 3 * MiB;
  o.client.checksumMatches = false;
  o.client.contentLength = null;
};

const stream =
  (firstByteMs: number | null, durationMs = 8000) =>
  (o: Observation) => {
    o.file.servedAtPath = false;
    o.client.firstByteMs = firstByteMs;
    o.client.durationMs = durationMs;
  };

const metric = (atMs: number, name = 'gunicorn.log.critical') => ({ atMs, name, value: 1, type: 'c' });
const ALERT = (ms: number) =>
  `Gunicorn's statsd counter gunicorn.log.critical arrived ${ms} ms after the WORKER TIMEOUT: alert on it (through statsd_exporter, e.g. \`increase(gunicorn_log_critical[5m]) > 0\`), or on the error log line "[CRITICAL] WORKER TIMEOUT".`;

const ALERT_WITH =
  'Gunicorn\'s statsd counter gunicorn.log.critical arrived with the WORKER TIMEOUT: alert on it (through statsd_exporter, e.g. `increase(gunicorn_log_critical[5m]) > 0`), or on the error log line "[CRITICAL] WORKER TIMEOUT".';

const DISK = (held: string, share: number) =>
  `Nginx kept up to ${held} of the download in its temp files at once (${share} % of the 8 MiB file): buffering moves the slow client's wait from Gunicorn onto Nginx's disk.`;

test(
  "Gunicorn's sync worker and HTTP/2: the fallback it logs, and what the HTTP/2 client got",
  cases([
    [
      'refused',
      (o) => (
        o.gunicorn.events.push({
          atMs: -176,
          kind: 'other',
          level: 'WARNING',
          pid: 11,
          message: 'HTTP/2 is not supported by the sync worker. Use gthread, gevent, or asgi workers for HTTP/2 support. Falling back to HTTP/1.1 only.',
        }),
        (o.gunicorn.version = '26.2.2'),
        (o.client.status = null),
        (o.client.outcome = 'no-response')
      ),
      [
        'Gunicorn 26.2.2 said its sync worker serves no HTTP/2 and fell back to HTTP/1.1 only: the HTTP/2 client got no response (its connection preface refused as an invalid request).',
      ],
    ],
    [
      'an unrelated warning',
      (o) => o.gunicorn.events.push({ atMs: 5, kind: 'other', level: 'WARNING', pid: 11, message: 'Invalid request from ip=1.2.3.4' }),
      [],
    ],
  ]),
);

test('a quiet run has no reading', cases([['nothing happened', () => undefined, []]]));

test(
  'killed after the headers: the client keeps its status and a cut body',
  cases([
    ['killed 2.38 s in', (o) => (killAt(o, 2380), truncated(o)), [CUT_200('2.38 s')]],
    ['killed at the very start of the request', (o) => (killAt(o, 0), truncated(o)), [CUT_200('0.00 s')]],
    ['no length promised', (o) => (killAt(o, 2380), truncated(o), (o.client.contentLength = null)), [CUT_200('2.38 s', '')]],
    ['a 299 is still a success', (o) => (killAt(o, 2380), truncated(o), (o.client.status = 299)), [CUT_200('2.38 s').replaceAll('200', '299')]],
    ['a 300 is not', (o) => (killAt(o, 2380), truncated(o), (o.client.status = 300)), []],
    ['the kill was before the request (a booting worker)', (o) => (killAt(o, -1), truncated(o)), []],
    ['no status at all', (o) => (killAt(o, 2380), truncated(o), (o.client.status = null)), []],
    ['a whole body', (o) => killAt(o, 2380), []],
    [
      'mod_wsgi: asked to stop, then aborted past its shutdown-timeout',
      (o) => (
        killAt(o, 2380),
        truncated(o),
        (o.gunicorn.server = 'mod_wsgi'),
        o.gunicorn.events.push({ atMs: 7380, kind: 'signal', level: 'INFO', pid: 7, message: "mod_wsgi (pid=7): Aborting process 'app'." })
      ),
      [
        'mod_wsgi asked the daemon process to stop 2.38 s into the request and aborted it 7.38 s in (its shutdown-timeout), after its 200 headers had gone out: the client keeps that 200 with 2 MiB of 8 MiB and a cut connection.',
      ],
    ],
    [
      'over HTTP/2: a reset stream, said as such',
      (o) => (killAt(o, 2380), truncated(o), (o.client.error = 'RST_STREAM, error code 2')),
      [
        CUT_200('2.38 s').replace('a cut connection', 'a cut stream'),
        "Over HTTP/2 the cut came as a reset of the download's stream (RST_STREAM INTERNAL_ERROR) after its 200 headers: an HTTP/2 client is told the body failed, where an HTTP/1.1 client only finds its connection closed short of the Content-Length.",
      ],
    ],
    ['mod_wsgi with no abort seen: the kill as for any server', (o) => (killAt(o, 2380), truncated(o), (o.gunicorn.server = 'mod_wsgi')), [CUT_200('2.38 s')]],
  ]),
);

test(
  "a 500 in Gunicorn's log belongs to the killed request only when logged from the kill on",
  cases([
    [
      'logged at the kill',
      (o) => (
        killAt(o, 2000),
        (o.gunicorn.version = '23.0.0'),
        o.gunicorn.access.push({ atMs: 2000, status: 500, bytes: 0, durationMs: 2000, request: 'GET /download HTTP/1.0' })
      ),
      [
        'Gunicorn 23.0.0 logs a 500 for the killed request (its error handler runs after the abort), but the client never sees it: it already holds a 200. Read the access log alone and you would report a 500.',
      ],
    ],
    [
      'no version seen',
      (o) => (
        killAt(o, 2000),
        (o.gunicorn.version = null),
        o.gunicorn.access.push({ atMs: 2500, status: 500, bytes: 0, durationMs: 2000, request: 'GET /x HTTP/1.0' })
      ),
      [
        'Gunicorn logs a 500 for the killed request (its error handler runs after the abort), but the client never sees it: it already holds a 200. Read the access log alone and you would report a 500.',
      ],
    ],
    [
      "a 500 logged before the kill is another request's",
      (o) => (killAt(o, 2000), o.gunicorn.access.push({ atMs: 1999, status: 500, bytes: 0, durationMs: 1, request: 'GET /x HTTP/1.0' })),
      [],
    ],
    ['a 500 with no kill', (o) => o.gunicorn.access.push({ atMs: 2000, status: 500, bytes: 0, durationMs: 1, request: 'GET /x HTTP/1.0' }), []],
    [
      'the client got no status',
      (o) => (
        killAt(o, 2000),
        (o.client.status = null),
        o.gunicorn.access.push({ atMs: 2000, status: 500, bytes: 0, durationMs: 1, request: 'GET /x HTTP/1.0' })
      ),
      [],
    ],
    [
      'the client holds a redirect',
      (o) => (
        killAt(o, 2000),
        (o.client.status = 300),
        o.gunicorn.access.push({ atMs: 2000, status: 500, bytes: 0, durationMs: 1, request: 'GET /x HTTP/1.0' })
      ),
      [],
    ],
  ]),
);

test(
  'Gunicorn 26 logs the killed request once, as a success',
  cases([
    ['one 200 line for the download', (o) => (sid(o), o.gunicorn.access.push(download(200))), [CUT_200('2.00 s'), ONCE(200, '0')]],
    ['no byte count', (o) => (sid(o), o.gunicorn.access.push(download(200, null))), [CUT_200('2.00 s'), ONCE(200, '-')]],
    ['a 299 is a success too', (o) => (sid(o), o.gunicorn.access.push(download(299))), [CUT_200('2.00 s'), ONCE(299, '0')]],
    ['a 300 line is not', (o) => (sid(o), o.gunicorn.access.push(download(300))), [CUT_200('2.00 s')]],
    ['two lines for the download', (o) => (sid(o), o.gunicorn.access.push(download(200), download(200))), [CUT_200('2.00 s')]],
    ['a line for another path only', (o) => (sid(o), o.gunicorn.access.push({ ...download(200), request: 'GET /downloads HTTP/1.0' })), [CUT_200('2.00 s')]],
    ['a whole body', (o) => (killAt(o, 2000), o.gunicorn.access.push(download(200))), []],
    ['no kill', (o) => (truncated(o), o.gunicorn.access.push(download(200))), []],
  ]),
);

test(
  'killed before the headers: who wrote the error status',
  cases([
    ['Nginx', error(502), [BEFORE_HEADERS(502, 'Nginx (the upstream closed with nothing sent)')]],
    ['a 500 is an error too', error(500), [BEFORE_HEADERS(500, 'Nginx (the upstream closed with nothing sent)')]],
    ['a 499 is not a server error', error(499), []],
    [
      'Gunicorn itself',
      (o) => (error(500)(o), o.gunicorn.access.push(download(500))),
      [BEFORE_HEADERS(500, "Gunicorn's dying worker (it answered 500 itself)")],
    ],
    ['Gunicorn, with no proxy', (o) => (error(502)(o), (o.nginx = null)), [BEFORE_HEADERS(502, 'Gunicorn (no proxy in this lab)')]],
    [
      'Gunicorn logged another status only',
      (o) => (error(502)(o), o.gunicorn.access.push(download(200))),
      [BEFORE_HEADERS(502, 'Nginx (the upstream closed with nothing sent)')],
    ],
    ['no kill', (o) => (error(502)(o), (o.gunicorn.events = [])), []],
  ]),
);

test(
  'Nginx buffered the whole response: the worker was free early',
  cases([
    ['upstream done at once', nginxLine(0.05, 8), [BUFFERED('0.05', '8')]],
    [
      'upstream done at once, from uWSGI: the server named as it is',
      (o) => (nginxLine(0.05, 8)(o), (o.gunicorn.server = 'uwsgi')),
      [BUFFERED('0.05', '8').replace('from Gunicorn', 'from uWSGI')],
    ],
    ['upstream done at exactly half', nginxLine(4, 8), [BUFFERED('4', '8')]],
    ['upstream past half', nginxLine(4.01, 8), []],
    ['no upstream time', nginxLine(null, 8), []],
    ['no request time', nginxLine(0.05, null), []],
    ['no request time, an instant upstream', nginxLine(0, null), []],
    ['a line for a side request only', nginxLine(0.05, 8, '/ping'), []],
  ]),
);

test(
  'a side request: held by the download, or answered at once',
  cases([
    [
      'held',
      (o) => o.client.probes.push(probe(1000, 3500)),
      ['A second request sent 1.00 s into the download waited 3.50 s: the worker was held by the download.'],
    ],
    [
      'answered',
      (o) => o.client.probes.push(probe(1000, 40)),
      ['A second request sent 1.00 s into the download was answered in 40 ms: the download did not hold the worker.'],
    ],
    [
      'the first answered probe is read',
      (o) => o.client.probes.push(probe(500, null), probe(1000, 40)),
      ['A second request sent 1.00 s into the download was answered in 40 ms: the download did not hold the worker.'],
    ],
    ['no answer at all', (o) => o.client.probes.push(probe(1000, null)), []],
    [
      'answered quickly with three workers up: another worker answered',
      (o) => (o.client.probes.push(probe(1000, 4)), (o.gunicorn.workersAtRequest = 3)),
      [
        'A second request sent 1.00 s into the download was answered in 4 ms by another worker (3 were up): a quick answer says nothing of whether the download held its own.',
      ],
    ],
    [
      'answered quickly, no boot seen (an attached stack)',
      (o) => (o.client.probes.push(probe(1000, 4)), (o.gunicorn.workersAtRequest = 0)),
      ["A second request sent 1.00 s into the download was answered in 4 ms: by the download's worker or another, the logs read don't say."],
    ],
    [
      'held with three workers up: still held',
      (o) => (o.client.probes.push(probe(1000, 3500)), (o.gunicorn.workersAtRequest = 3)),
      ['A second request sent 1.00 s into the download waited 3.50 s: the worker was held by the download.'],
    ],
  ]),
);

test(
  'a clean end with bytes missing: the silent truncation',
  cases([
    ['closed by the server', shortBody('closed'), [MISSING('5 MiB')]],
    ['complete by its own (HTTP/1.0) measure', shortBody('complete'), [MISSING('5 MiB')]],
    ['one byte short', (o) => (shortBody('closed')(o), (o.client.bytesReceived = 8 * MiB - 1)), [MISSING('1 B')]],
    ['the whole size but another body', (o) => (shortBody('closed')(o), (o.client.bytesReceived = 8 * MiB)), []],
    ['the checksum matches', (o) => (shortBody('closed')(o), (o.client.checksumMatches = true)), []],
    ['a cut the client saw', (o) => (shortBody('closed')(o), (o.client.outcome = 'truncated')), []],
    ['not the file (events)', (o) => (shortBody('closed')(o), (o.file.servedAtPath = false), (o.client.firstByteMs = null)), []],
  ]),
);

test(
  'a stream: live when its first byte came in the first quarter, held when only in the last fifth',
  cases([
    [
      'live',
      stream(10),
      ["The stream's first byte reached the client after 0.01 s of 8.00 s: it came as it was made; the longest wait between arrivals was 5 ms."],
    ],
    [
      'live at exactly a quarter',
      stream(2000),
      ["The stream's first byte reached the client after 2.00 s of 8.00 s: it came as it was made; the longest wait between arrivals was 5 ms."],
    ],
    [
      'live, one arrival only',
      (o) => (stream(10)(o), (o.client.maxGapMs = null)),
      ["The stream's first byte reached the client after 0.01 s of 8.00 s: it came as it was made."],
    ],
    [
      'live, gaps rounded',
      (o) => (stream(10)(o), (o.client.maxGapMs = 201.6)),
      ["The stream's first byte reached the client after 0.01 s of 8.00 s: it came as it was made; the longest wait between arrivals was 202 ms."],
    ],
    [
      'held at exactly four fifths',
      stream(6400),
      ["The stream's first byte reached the client only after 6.40 s of 8.00 s: it was held back and delivered at the end, not streamed."],
    ],
    ['in between: no reading', stream(2001), []],
    ['just short of four fifths: no reading', stream(6399), []],
    ['no body byte', stream(null), []],
    ['no duration', stream(0, 0), []],
    ['the file itself is no stream', (o) => (o.client.firstByteMs = 7000), []],
  ]),
);

test(
  'statsd: the alert counter after a kill',
  cases([
    ['90 ms after', (o) => (killAt(o, 2000), (o.statsd = [metric(2090)])), [ALERT(90)]],
    ['stamped 500 ms before the kill by a loaded engine still counts', (o) => (killAt(o, 2000), (o.statsd = [metric(1500)])), [ALERT_WITH]],
    ['501 ms before is another event', (o) => (killAt(o, 2000), (o.statsd = [metric(1499)])), []],
    ['another metric', (o) => (killAt(o, 2000), (o.statsd = [metric(2090, 'gunicorn.requests')])), []],
    ['no kill', (o) => (o.statsd = [metric(2090)]), []],
    ['a kill before the request does not count', (o) => (killAt(o, -100), (o.statsd = [metric(2090)])), []],
  ]),
);

test(
  'workers killed while booting: a warning about load',
  cases([
    [
      'two',
      (o) => (o.gunicorn.workerTimeoutsBeforeRequest = 2),
      ['Warning: 2 worker(s) timed out before the request, while booting: the machine was overloaded (run fewer labs at once with --parallel).'],
    ],
  ]),
);

test(
  "Nginx's disk: what its temp files held at once, where anything was sampled",
  cases([
    ['most of the file', (o) => (o.nginx!.tempPeakBytes = 7.5 * MiB), [DISK('7.50 MiB', 94)]],
    ['a single byte', (o) => (o.nginx!.tempPeakBytes = 1), [DISK('1 B', 0)]],
    ['nothing on disk', (o) => (o.nginx!.tempPeakBytes = 0), []],
    ['not sampled', (o) => (o.nginx!.tempPeakBytes = null), []],
    ['no Nginx', (o) => (o.nginx = null), []],
  ]),
);

test('readings follow the observation: truncated 200, and on trixie the 500 only Gunicorn saw', (t) => {
  const onBookworm = interpret(bookworm.observation);
  t.is(onBookworm.length, 1);
  t.regex(onBookworm[0] ?? '', /^The worker was killed 2\.38 s into the request, after its 200 headers had gone out/);
  const onTrixie = interpret(trixie.observation);
  t.is(onTrixie.length, 2);
  t.regex(onTrixie[1] ?? '', /^Gunicorn 23\.0\.0 logs a 500 for the killed request .* it already holds a 200/);
  t.deepEqual(interpret(failing.observation), []);
});

test('readings on sid: Gunicorn 26 logs the killed request once, as a 200', (t) => {
  const sid = fixtureRun('sid-sync-killed', 'proxy-buffering-off', 'sid', killed, [claim500]);
  const readings = interpret(sid.observation);
  t.is(readings.length, 2);
  t.regex(readings[1] ?? '', /^Gunicorn 26\.2\.2 logs the killed request once, as a 200 with 0 bytes: its access log alone shows no failure/);
  t.false(readings.some((r) => r.includes('logs a 500')));
  t.deepEqual(
    compareReleases([bookworm, trixie, sid]).filter((n) => n.includes('Gunicorn access log')),
    ['proxy-buffering-off differs between releases in Gunicorn access log: bookworm: no line; trixie: 200, 500; sid: 200'],
  );
});

test('readings say only what was observed: no kill, no "500 for the killed request"; no Nginx, no blame on Nginx', (t) => {
  const o = structuredClone(trixie.observation);
  o.gunicorn.events = o.gunicorn.events.filter((e) => e.kind !== 'timeout');
  t.false(
    interpret(o).some((r) => r.includes('500 for the killed request')),
    'a 500 with no kill is not a killed request',
  );
  const beforeHeaders = structuredClone(bookworm.observation);
  beforeHeaders.client.status = 502;
  beforeHeaders.gunicorn.access = [];
  t.true(interpret(beforeHeaders).some((r) => r.endsWith('written by Nginx (the upstream closed with nothing sent).')));
  beforeHeaders.nginx = null;
  const direct = interpret(beforeHeaders);
  t.false(
    direct.some((r) => r.includes('Nginx')),
    direct.join('\n'),
  );
  t.true(direct.some((r) => r.endsWith('written by Gunicorn (no proxy in this lab).')));
});

test('readings of a stream: live or held by its first byte, and never a "missing" file for a body that is not the file', (t) => {
  const o = structuredClone(bookworm.observation);
  Object.assign(o.client, {
    outcome: 'complete',
    status: 200,
    bytesReceived: 415,
    contentLength: null,
    chunked: true,
    checksumMatches: false,
    durationMs: 2830,
    firstByteMs: 12,
  });
  o.gunicorn.events = o.gunicorn.events.filter((e) => e.kind !== 'timeout');
  o.file.servedAtPath = false;
  const live = interpret(o);
  t.true(
    live.some((r) => r.startsWith("The stream's first byte reached the client after 0.01 s of 2.83 s: it came as it was made.")),
    live.join('\n'),
  );
  t.false(
    live.some((r) => r.includes('are missing')),
    'events are not a cut file',
  );
  o.client.firstByteMs = 2700;
  t.true(interpret(o).some((r) => r.includes('it was held back and delivered at the end')));
  o.client.firstByteMs = 1400;
  t.false(
    interpret(o).some((r) => r.startsWith('The stream')),
    'in between, no reading',
  );
  // The same short body at the file's own path is a cut file.
  o.file.servedAtPath = true;
  t.true(interpret(o).some((r) => r.includes('are missing')));
});

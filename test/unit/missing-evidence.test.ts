// What a run still waits for in the logs: each expectation names the line it needs, and only while it is missing.
import test from 'ava';
import type { Expectation } from '../../src/lab/schema.ts';
import { missingEvidence } from '../../src/verdict/judge.ts';
import type { Observation } from '../../src/observe/observation.ts';
import { MiB, killAt, quietObservation } from './helpers/observation.ts';

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

test('each expectation waits for its own line, and only while it is missing', (t) => {
  for (const [what, expectation, o, missing] of cases) t.deepEqual(missingEvidence(expectation, o), missing, what);
});

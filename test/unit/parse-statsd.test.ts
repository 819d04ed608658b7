// Unit tests of src/observe/parse-statsd.ts.
import test from 'ava';
import { parseStatsdLog } from '../../src/observe/parse-statsd.ts';

test("statsd lines parse into metrics, timed from the client's start; other lines are left out", (t) => {
  t.deepEqual(
    parseStatsdLog(
      [
        { epochMs: 1010, text: 'gunicorn.log.critical:1|c' },
        { epochMs: 1011, text: 'gunicorn.request.duration:7846.9|ms' },
        { epochMs: 1012, text: 'gunicorn.requests:1|c|@0.5|#app:x' },
        { epochMs: 1013, text: 'not a metric' },
      ],
      1000,
    ),
    [
      { atMs: 10, name: 'gunicorn.log.critical', value: 1, type: 'c' },
      { atMs: 11, name: 'gunicorn.request.duration', value: 7846.9, type: 'ms' },
      { atMs: 12, name: 'gunicorn.requests', value: 1, type: 'c' },
    ],
  );
});

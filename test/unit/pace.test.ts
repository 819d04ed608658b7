// Unit tests of src/check/pace.ts.
import test from 'ava';
import { checkRate, choosePace, crawlPace, crawlSeconds } from '../../src/check/pace.ts';

test('the crawl outlasts the timeout, reads at most half of what the buffers leave, and says how big a body must be', (t) => {
  const MiB = 1024 * 1024;
  t.is(crawlSeconds(2), 5);
  t.is(crawlSeconds(30), 33);
  t.is(crawlSeconds(100), 110);
  const room = 512 * 1024;
  const pace = crawlPace(8 * MiB, 30, room, true);
  t.deepEqual(pace, { kind: 'crawl', rateBytesPerS: Math.floor((8 * MiB - room) / 66), seconds: 33 });
  t.true(pace.rateBytesPerS * pace.seconds + room < 8 * MiB, 'the worker is still sending when its timeout comes');
  // A body the buffers nearly hold: refused with the size that would do, or (a stack check does not start) crawled
  // at the slowest rate.
  const small = t.throws(() => crawlPace(600 * 1024, 60, room, true), { message: /too small to hold a worker for Gunicorn's 60 s timeout/ }) as Error & {
    hint?: string;
  };
  t.regex(small.hint ?? '', /at least 644 KiB/, '512 KiB of buffers and 66 s at 1 KiB/s, twice');
  t.is(crawlPace(600 * 1024, 60, room, false).rateBytesPerS, 1024);
  // --rate or --throttle: the steady reader; a remedy's run reads at the pace it is given.
  t.deepEqual(choosePace({ rateBytesPerS: null, throttle: 'reader' }, 8 * MiB, 2, room, true), {
    kind: 'steady',
    rateBytesPerS: checkRate(8 * MiB, 2),
    throttle: 'reader',
    named: true,
  });
  t.deepEqual(choosePace({ rateBytesPerS: 4096, throttle: null }, 8 * MiB, 2, room, true), {
    kind: 'steady',
    rateBytesPerS: 4096,
    throttle: 'network',
    named: false,
  });
  t.is(choosePace({ rateBytesPerS: null, throttle: null }, 8 * MiB, 2, room, true).kind, 'crawl');
});

test('the slow rate lasts twice the timeout and two seconds more, never below 1 KiB/s', (t) => {
  t.is(checkRate(8 * 1024 * 1024, 2), Math.floor((8 * 1024 * 1024) / 6));
  t.is(checkRate(8 * 1024 * 1024, 30), Math.floor((8 * 1024 * 1024) / 62));
  t.is(checkRate(2048, 3600), 1024);
});

// A run's network when Docker's address pools are all taken: it waits for a free one, then fails in our words.
import test from 'ava';
import { NetworkPoolError, createWhenPoolFree, isPoolExhausted } from '../../src/topology/run-network.ts';

// The engine's words (dockerd 20.10 to 26) when every default pool is in use.
const EXHAUSTED = new Error(
  '(HTTP code 400) unexpected - could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
);

// A clock that moves only when the code under test sleeps.
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

test('the pool-exhausted error is told from every other network error', (t) => {
  t.true(isPoolExhausted(EXHAUSTED));
  t.false(isPoolExhausted(new Error('(HTTP code 409) network with name lab-x already exists')));
  t.false(isPoolExhausted(new Error('connect ENOENT /var/run/docker.sock')));
});

test('a network waits while the pools are taken and is created once one is free, saying once that it waits', async (t) => {
  const clock = fakeClock();
  let attempts = 0;
  let waits = 0;
  await createWhenPoolFree(
    async () => {
      attempts++;
      if (attempts < 4) throw EXHAUSTED;
    },
    { deadlineMs: 30_000, retryMs: 500, onWait: () => waits++, ...clock },
  );
  t.is(attempts, 4);
  t.is(waits, 1);
  t.deepEqual(clock.sleeps, [500, 500, 500]);
});

test('past the deadline the wait ends in a message that says how long, how many networks exist and what to do', async (t) => {
  const clock = fakeClock();
  const error = await t.throwsAsync(
    createWhenPoolFree(async () => Promise.reject(EXHAUSTED), { deadlineMs: 2000, retryMs: 700, countNetworks: async () => 31, ...clock }),
    { instanceOf: NetworkPoolError },
  );
  t.deepEqual(clock.sleeps, [700, 700, 600], 'the last sleep ends at the deadline, not past it');
  t.regex(error.message, /no free address pool for another network for 2 s \(31 bridge networks exist\)/);
  t.regex(error.hint, /--parallel/);
  t.is(error.cause, EXHAUSTED);
});

test('any other error is thrown at once, with no wait', async (t) => {
  const clock = fakeClock();
  const other = new Error('(HTTP code 409) network with name lab-x already exists');
  const error = await t.throwsAsync(createWhenPoolFree(async () => Promise.reject(other), { deadlineMs: 30_000, ...clock }));
  t.is(error, other);
  t.deepEqual(clock.sleeps, []);
});

test('a network count that fails leaves the count out of the message', async (t) => {
  const clock = fakeClock();
  const error = await t.throwsAsync(
    createWhenPoolFree(async () => Promise.reject(EXHAUSTED), { deadlineMs: 0, countNetworks: async () => Promise.reject(new Error('gone')), ...clock }),
    { instanceOf: NetworkPoolError },
  );
  t.notRegex(error.message, /bridge networks exist/);
});

// Docker's address pools all taken (about 30 bridge networks by default): a lab waits for a free one and runs once
// another network goes; past its deadline it fails in our words, exit 2, with nothing left.
import test from 'ava';
import { getDocker } from '../../src/docker/docker-client.ts';
import { isPoolExhausted } from '../../src/topology/run-network.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { startCli, startCliUntil } from './helpers/run-cli.ts';

// Networks of this test only (not the project's label: `clean` must not be what removes them).
const FILLER_LABEL = 'gunicorn-lab-test.pool-filler';

// Creates networks until Docker has no pool left; returns their names.
async function fillPool(): Promise<string[]> {
  const docker = getDocker();
  const names: string[] = [];
  for (let i = 0; i < 64; i++) {
    const name = `pool-filler-${process.pid}-${i}`;
    try {
      await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: { [FILLER_LABEL]: String(process.pid) } });
      names.push(name);
    } catch (error) {
      if (isPoolExhausted(error)) return names;
      throw error;
    }
  }
  throw new Error('64 networks created and Docker still had a pool: this engine has more than the default pools.');
}

async function removeFillers(): Promise<void> {
  const docker = getDocker();
  const networks = await docker.listNetworks({ filters: { label: [FILLER_LABEL] } });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
}

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(removeFillers);

test.serial('with every pool taken past the deadline: a message in our words, exit 2, nothing left', async (t) => {
  const fillers = await fillPool();
  t.true(fillers.length > 0);
  const result = await startCli(['proxy-buffering-off'], { GUNICORN_LAB_STARTUP_TIMEOUT_S: '3' });
  t.is(result.exitCode, 2, `${result.stdout}\n${result.stderr}`);
  t.regex(String(result.stderr), /waiting for Docker to free an address pool/);
  t.regex(
    String(result.stderr),
    /Docker had no free address pool for another network for 3 s \(\d+ bridge networks exist\)[^]*hint: Run fewer labs at once \(--parallel\)/,
  );
  t.notRegex(String(result.stderr), /^\s+at /m, 'no stack trace');
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});

test.serial('with every pool taken, a lab waits and runs as soon as a network is removed', async (t) => {
  const fillers = await fillPool();
  const { child } = await startCliUntil(['gevent-worker'], 'waiting for Docker to free an address pool', { deadlineMs: 60_000 });
  await getDocker().getNetwork(fillers.at(-1)!).remove();
  const result = await child;
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  t.regex(String(result.stdout), /Verdict: PASS/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});

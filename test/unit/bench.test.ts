// The bench's pure parts (scripts/bench/): its options, its tables and medians, and the floors it sets --all against.
import test from 'ava';
import { DEFAULT_PARALLEL } from '../../src/commands/usage.ts';
import { labFloorCpuS, type EngineCosts } from '../../scripts/bench/engine.ts';
import { median, table } from '../../scripts/bench/format.ts';
import { floorWallMs, type LabTiming } from '../../scripts/bench/labs.ts';
import { parseBenchArgs } from '../../scripts/bench/options.ts';

test('options: defaults, flags, and bad values named with the usage', (t) => {
  t.deepEqual(parseBenchArgs([]), {
    release: 'bookworm',
    parallel: DEFAULT_PARALLEL,
    rounds: 5,
    cold: true,
    peerOnly: false,
    checkOnly: false,
    check: true,
    freshOnly: false,
    freshHost: false,
  });
  const asked = parseBenchArgs(['--release', 'sid', '--parallel', '2', '--rounds', '3', '--no-cold', '--no-check', '--peer-only']);
  t.like(asked, { release: 'sid', parallel: 2, rounds: 3, cold: false, check: false, peerOnly: true });
  t.throws(() => parseBenchArgs(['--release', 'jessie']), { message: /--release jessie: one of bookworm, trixie, sid\. Usage: npm run bench/ });
  t.throws(() => parseBenchArgs(['--parallel', '0']), { message: /--parallel 0: a whole number of 1 or more/ });
  t.throws(() => parseBenchArgs(['--rounds', 'two']), { message: /--rounds two/ });
  t.throws(() => parseBenchArgs(['--fast']), { message: /Unknown option '--fast'/ });
});

test('format: medians of odd and even counts; a table aligns its columns under a rule', (t) => {
  t.is(median([3, 1, 2]), 2);
  t.is(median([4, 1, 3, 2]), 2.5);
  t.is(
    table(
      ['lab', 'wall'],
      [
        ['a-long-name', 1.5],
        ['b', 12],
      ],
    ),
    ['lab          wall', '───────────  ────', 'a-long-name   1.5', 'b              12'].join('\n'),
  );
});

const timing = (name: string, wallMs: number, cpuS: number | null): LabTiming => ({
  name,
  wallMs,
  transferMs: wallMs / 2,
  overheadMs: wallMs / 2,
  startMs: 1000,
  afterTransferMs: 0,
  cpuS,
  passed: true,
});

test("--all's floor: the lone runs' CPU over the cores, never below the longest lab; unknown without CPU figures", (t) => {
  // 3 labs of 6, 4 and 2 CPU-s on 2 cores: 6 s of wall at least, and the longest lab took 9 s: 9 s.
  t.is(floorWallMs([timing('a', 9000, 6), timing('b', 5000, 4), timing('c', 3000, 2)], 2), 9000);
  // 40 labs of 3 CPU-s on 2 cores: 60 s, longer than any lab.
  t.is(
    floorWallMs(
      Array.from({ length: 40 }, (_, i) => timing(`l${i}`, 10_000, 3)),
      2,
    ),
    60_000,
  );
  t.is(floorWallMs([timing('a', 9000, null)], 2), null);
});

test("one lab's Docker work: a network, four containers and three execs; unknown where a part is", (t) => {
  const engine: EngineCosts = { rounds: 5, networkMs: 0, networkCpuS: 0.1, startMs: 0, removeMs: 0, containerCpuS: 0.5, execMs: 0, execCpuS: 0.04 };
  t.is(Number(labFloorCpuS(engine)!.toFixed(2)), 2.22);
  t.is(labFloorCpuS({ ...engine, execCpuS: null }), null);
});

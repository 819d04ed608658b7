// Unit tests of src/observe/collect-evidence.ts.
import test from 'ava';
import { describeMemory } from '../../src/report/terminal.ts';
import { parseMemoryReading, parseTempPeak } from '../../src/observe/collect-evidence.ts';
import { bookworm } from './helpers/reports.ts';

test("Nginx's temp-file peak: the sampler's whole number of bytes, else unknown", (t) => {
  t.is(parseTempPeak('33284096\n'), 33284096);
  t.is(parseTempPeak('0'), 0, 'nothing spilled is a reading, not an unknown');
  t.is(parseTempPeak(''), null, 'the sampler wrote nothing yet');
  t.is(parseTempPeak('-1'), null);
  t.is(parseTempPeak('12 34'), null);
});

test('memory: a peak where the cgroup keeps one, else the use at the end, said as such', (t) => {
  t.deepEqual(parseMemoryReading('peak 52428800\n'), { bytes: 52428800, kind: 'peak' });
  t.deepEqual(parseMemoryReading('current 1024'), { bytes: 1024, kind: 'current' });
  t.is(parseMemoryReading('cat: no such file'), null);
  t.is(parseMemoryReading('peak 0'), null);
  const o = structuredClone(bookworm.observation);
  o.resources = { app: { bytes: 50_000_000, kind: 'current' }, nginx: null };
  t.is(describeMemory(o), 'app 47.7 MiB at the end (this cgroup keeps no peak) · nginx unknown');
  t.is(describeMemory(bookworm.observation), 'app peak 47.7 MiB · nginx peak 3.81 MiB');
});

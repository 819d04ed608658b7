// Unit tests of src/report/legacy-keys.ts: the renamed JSON keys keep their old names beside the new ones.
import test from 'ava';
import { observationJson, runJson } from '../../src/report/legacy-keys.ts';
import { fixtureRun } from './helpers/load-fixture.ts';

test('a run as JSON: setup beside description, timings.setupMs beside startMs, each with the same value', (t) => {
  const run = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', { workerTimeout: true });
  const json = runJson(run);
  t.is(json.description, run.description);
  t.is(json.setup, run.description);
  t.is(json.observation.timings.startMs, run.observation.timings.startMs);
  t.is(json.observation.timings.setupMs, run.observation.timings.startMs);
  t.deepEqual(observationJson(run.observation).timings, { ...run.observation.timings, setupMs: run.observation.timings.startMs });
  t.false('setupMs' in run.observation.timings, 'the run itself is left as it is');
});

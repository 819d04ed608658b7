// Unit tests of src/verdict/relations.ts.
import test from 'ava';
import { assessComparisonClaims, judgeRelation, judgeRelations } from '../../src/verdict/relations.ts';
import { MiB, quietObservation } from './helpers/observation.ts';
import { capacityObservation } from './helpers/comparison.ts';

test('relations: hold or fail by the measured numbers; a number not observed fails its relation', (t) => {
  const observations = { 'gevent-1': capacityObservation(20, 40 * MiB, 20), 'sync-1': capacityObservation(0, 30 * MiB, 1) };
  const more = judgeRelation({ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }, observations);
  t.like(more, { passed: true, name: 'downloads completed: gevent-1 > sync-1', expected: 'gevent-1 more than sync-1', actual: 'gevent-1 20, sync-1 0' });
  t.false(judgeRelation({ left: 'gevent-1', measure: 'completed', op: '<', right: 'sync-1' }, observations).passed);
  // Equal numbers hold neither way.
  const equal = { a: capacityObservation(5, MiB), b: capacityObservation(5, MiB) };
  t.false(judgeRelation({ left: 'a', measure: 'completed', op: '>', right: 'b' }, equal).passed);
  t.false(judgeRelation({ left: 'a', measure: 'completed', op: '<', right: 'b' }, equal).passed);
  t.like(judgeRelation({ left: 'gevent-1', measure: 'memoryPerDownloadBytes', op: '<', right: 'sync-1' }, observations), {
    passed: true,
    actual: 'gevent-1 2 MiB, sync-1 30 MiB',
  });
  const unseen = { 'gevent-1': capacityObservation(20, null), 'sync-1': capacityObservation(0, 30 * MiB) };
  t.like(judgeRelation({ left: 'gevent-1', measure: 'appPeakBytes', op: '<', right: 'sync-1' }, unseen), {
    passed: false,
    actual: 'gevent-1 not observed, sync-1 30 MiB',
  });
  const single = { 'gevent-1': quietObservation(), 'sync-1': capacityObservation(0, MiB) };
  t.false(judgeRelation({ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }, single).passed, 'one download has no capacity');
  const verdict = judgeRelations(
    [
      { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' },
      { left: 'gevent-1', measure: 'appPeakBytes', op: '<', right: 'sync-1' },
    ],
    observations,
  );
  t.false(verdict.passed);
  t.deepEqual(
    verdict.checks.map((c) => c.passed),
    [true, false],
  );
});

test('comparison claims: confirmed when all hold, refuted when none, nuanced between', (t) => {
  const observations = { g: capacityObservation(20, 40 * MiB, 20), s: capacityObservation(0, 30 * MiB, 1) };
  const [all, none, some] = assessComparisonClaims(
    [
      { quote: 'all', says: [{ left: 'g', measure: 'completed', op: '>', right: 's' }] },
      { quote: 'none', says: [{ left: 'g', measure: 'completed', op: '<', right: 's' }] },
      {
        quote: 'some',
        says: [
          { left: 'g', measure: 'appPeakBytes', op: '>', right: 's' },
          { left: 'g', measure: 'memoryPerDownloadBytes', op: '>', right: 's' },
        ],
      },
    ],
    observations,
  );
  t.is(all!.status, 'confirmed');
  t.is(none!.status, 'refuted');
  t.is(some!.status, 'nuanced');
});

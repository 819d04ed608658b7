// A comparison's parts for the tests of what reads one: downloads, probes, a comparison input and its validation.
import { quietObservation } from './observation.ts';
import { validateComparison, type Comparison, type ComparisonInput } from '../../../src/lab/comparison.ts';
import type { Observation } from '../../../src/observe/observation.ts';

export const SHA = 'a'.repeat(64);
export const base: ComparisonInput = {
  hypothesis: 'Async completes more slow downloads than sync.',
  client: { downloads: 4, throttle: 'reader' },
  variants: { 'sync-1': { gunicorn: { worker: 'sync' } }, 'gevent-1': { gunicorn: { worker: 'gevent' } } },
  relations: [{ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }],
};
export const comparisonOf = (input: ComparisonInput): Comparison => validateComparison(input).comparison!;
export const capacityObservation = (completed: number, memoryBytes: number | null, peak = completed): Observation =>
  quietObservation((o) => {
    o.capacity = {
      downloads: 20,
      completed,
      cut: 20 - completed,
      unfinished: 0,
      waited: 0,
      peakConcurrent: peak,
      memoryPerDownloadBytes: memoryBytes === null || peak === 0 ? null : memoryBytes / peak,
      quick: { sent: 0, answered: 0, p50Ms: null, maxMs: null },
    };
    o.resources.app = memoryBytes === null ? null : { bytes: memoryBytes, kind: 'peak' };
  });

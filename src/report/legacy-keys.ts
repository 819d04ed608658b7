// JSON keys renamed where users may parse them: each old key is still written beside its new name, with the same
// value, so a script reading the old one goes on working. `setup` (a run's one-line description) is now
// `description`; `timings.setupMs` (the time from the run's start to the transfer) is now `timings.startMs`.
import type { Observation } from '../observe/observation.ts';

export function observationJson(o: Observation): Observation & { timings: { setupMs: number } } {
  return { ...o, timings: { ...o.timings, setupMs: o.timings.startMs } };
}

export function runJson<T extends { description: string; observation: Observation }>(run: T) {
  return { ...run, setup: run.description, observation: observationJson(run.observation) };
}

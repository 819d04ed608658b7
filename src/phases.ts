// When a run from the command line reached each phase, in milliseconds since the process started
// (performance.now()): the benchmark's breakdown, so that every 100 ms of overhead is accounted for. Printed as
// one line on stderr at exit where GUNICORN_LAB_PHASES=1; otherwise inert.
import { performance } from 'node:perf_hooks';

const marks = new Map<string, number>();

// The first time a phase is reached counts (a matrix reaches them once per lab; the breakdown is for one lab).
export function mark(phase: string): void {
  if (!marks.has(phase)) marks.set(phase, Math.round(performance.now()));
}

export function phasesLine(): string | null {
  return process.env.GUNICORN_LAB_PHASES === '1' ? `phases ${JSON.stringify(Object.fromEntries(marks))}\n` : null;
}

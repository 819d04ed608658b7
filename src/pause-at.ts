// A seam for the interruption tests: GUNICORN_LAB_PAUSE_AT=<phase> holds this process once, at that phase, for up
// to a minute, saying so on stderr, so a test can send its signal exactly there. Unset (always, outside the
// tests), it costs nothing.
export const PAUSE_PHASES = ['start', 'ready', 'report', 'teardown'] as const;
export type PausePhase = (typeof PAUSE_PHASES)[number];

let paused = false;
let announced = false;

// A phase a test waits for without the run being held: said once on stderr when it comes (the transfer: the client's
// first body bytes arrived), where GUNICORN_LAB_PAUSE_AT names it.
export function reached(phase: 'transfer'): void {
  if (announced || process.env.GUNICORN_LAB_PAUSE_AT !== phase) return;
  announced = true;
  process.stderr.write(`reached ${phase} (GUNICORN_LAB_PAUSE_AT)\n`);
}

export async function pauseAt(phase: PausePhase): Promise<void> {
  if (paused || process.env.GUNICORN_LAB_PAUSE_AT !== phase) return;
  paused = true;
  process.stderr.write(`paused at ${phase} (GUNICORN_LAB_PAUSE_AT)\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

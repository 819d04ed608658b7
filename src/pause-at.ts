// A seam for the interruption tests: GUNICORN_LAB_PAUSE_AT=<phase> holds this process once, at that phase, for up
// to a minute, saying so on stderr, so a test can send its signal exactly there. Unset (always, outside the
// tests), it costs nothing.
export const PAUSE_PHASES = ['start', 'ready', 'report', 'teardown'] as const;
export type PausePhase = (typeof PAUSE_PHASES)[number];

let paused = false;

export async function pauseAt(phase: PausePhase): Promise<void> {
  if (paused || process.env.GUNICORN_LAB_PAUSE_AT !== phase) return;
  paused = true;
  process.stderr.write(`paused at ${phase} (GUNICORN_LAB_PAUSE_AT)\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

// Status of concurrent runs: on a terminal one line per running lab, redrawn in place; otherwise plain lines as things happen.
import type { MatrixEvent } from '../run/run-record.ts';
import { formatProgress } from './terminal.ts';

const REDRAW_MS = 100;

export class LiveStatus {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly live = Boolean(out.isTTY),
  ) {}

  handle(event: MatrixEvent): void {
    if (event.type === 'start') {
      this.lines.set(event.key, `  ${event.key}: starting`);
      if (!this.live) this.out.write(`▶ ${event.key} started\n`);
    } else if (event.type === 'progress') {
      this.lines.set(event.key, `  ${event.key}:${formatProgress(event.progress.ms, event.progress.bytes, event.totalBytes).replace(/^ +/, ' ')}`);
    } else {
      this.lines.delete(event.key);
      const text =
        event.type === 'done'
          ? `${event.run.verdict.passed ? '✔' : '✘'} ${event.key} ${event.run.verdict.passed ? 'PASS' : 'FAIL'} ${event.run.verdict.checks.filter((c) => c.passed).length}/${event.run.verdict.checks.length} checks in ${(event.run.observation.client.durationMs / 1000).toFixed(1)} s`
          : `! ${event.key} could not run: ${event.error instanceof Error ? event.error.message.split('\n')[0] : String(event.error)}`;
      this.print(text);
      return;
    }
    if (this.live) this.draw(event.type === 'start');
  }

  // Finished lines scroll above the live block; the block is redrawn beneath them.
  private print(text: string): void {
    if (this.live) this.clear();
    this.out.write(`${text}\n`);
    if (this.live) this.draw(true);
  }

  private clear(): void {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}F\x1b[0J`);
    this.drawn = 0;
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.clear();
    const lines = [...this.lines.values()];
    if (lines.length) this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  finish(): void {
    if (this.live) this.clear();
  }
}

/**
 * Progress output for long commands (`npm start`, the deploy script), on stderr so stdout stays the summary.
 *
 * On a terminal it redraws one line: `[██████░░░░░░]  42/131  registering members`. Elsewhere (CI, pipes, the start
 * test) it prints one line per phase, so logs stay short and readable.
 */
export class Progress {
  private done = 0;
  private phase = "";
  private readonly tty: boolean;
  private readonly startedAt = Date.now();

  constructor(
    private total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY) && process.env.CI === undefined;
  }

  /** Starts a named phase (printed once off a terminal). */
  begin(phase: string): void {
    this.phase = phase;
    if (this.tty) this.draw();
    else this.out.write(`[${String(this.done).padStart(String(this.total).length)}/${this.total}] ${phase}\n`);
  }

  /** Adds `count` steps to the total, for work whose size is known only once it is planned. */
  addSteps(count: number): void {
    this.total += count;
  }

  /** Counts one step of the current phase; `detail` shows on a terminal only. */
  step(detail?: string): void {
    this.done = Math.min(this.done + 1, this.total);
    if (this.tty) this.draw(detail);
  }

  /** Ends the bar with the elapsed time. */
  finish(message = "done"): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    if (this.tty) this.out.write("\r\x1b[2K");
    this.out.write(`${message} (${this.done} steps, ${seconds} s)\n`);
  }

  /** Clears the bar so an error message starts on a clean line. */
  abort(): void {
    if (this.tty) this.out.write("\r\x1b[2K");
  }

  private draw(detail?: string): void {
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const count = `${String(this.done).padStart(String(this.total).length)}/${this.total}`;
    const text = detail ? `${this.phase}: ${detail}` : this.phase;
    const columns = this.out.columns || 100;
    const line = `[${bar}] ${count}  ${text}`.slice(0, Math.max(20, columns - 1));
    this.out.write(`\r\x1b[2K${line}`);
  }
}

/**
 * Progress of a dataset run on stderr: facts and prompts done out of the total, prompts per second
 * and the time left. On a terminal one line is rewritten in place; otherwise (a file, a Slurm log)
 * each prompt gets a plain line.
 */
import type { Writable } from 'node:stream';

export interface ProgressOptions {
  facts: number;
  prompts: number;
  stream?: Writable & { isTTY?: boolean };
  quiet?: boolean;
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export class Progress {
  factsDone = 0;
  /** Prompts started (the engine reports a prompt as it starts it) and finished. */
  promptsStarted = 0;
  promptsDone = 0;
  private readonly start: number;
  private readonly now: () => number;
  private readonly stream: Writable & { isTTY?: boolean };
  private inPlace = false;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    this.stream = opts.stream ?? process.stderr;
  }

  /** Prompts per second so far (0 before the first). */
  rate(): number {
    const s = (this.now() - this.start) / 1000;
    return s > 0 ? this.promptsDone / s : 0;
  }

  /** Seconds left at the rate so far. */
  eta(): number {
    const r = this.rate();
    return r > 0 ? (this.opts.prompts - this.promptsDone) / r : Infinity;
  }

  line(fact: string, text: string): string {
    const { facts, prompts } = this.opts;
    return `[${this.promptsStarted}/${prompts}] ${fact}: ${text}  (facts ${this.factsDone}/${facts}, ${this.rate().toFixed(1)} prompts/s, ETA ${formatDuration(this.eta())})`;
  }

  /** A prompt of `fact` starts (so the one before it is done). */
  prompt(fact: string, text: string): void {
    this.promptsDone = this.promptsStarted++;
    if (this.opts.quiet) return;
    if (this.stream.isTTY) {
      const cols = (this.stream as { columns?: number }).columns ?? 120;
      this.stream.write(`\r\x1b[K${this.line(fact, text).slice(0, cols - 1)}`);
      this.inPlace = true;
    } else this.stream.write(this.line(fact, text) + '\n');
  }

  fact(): void {
    this.promptsDone = this.promptsStarted;
    this.factsDone++;
  }

  /** Ends the in-place line, so that what follows starts on its own. */
  done(): void {
    if (this.inPlace) this.stream.write('\n');
    this.inPlace = false;
  }
}

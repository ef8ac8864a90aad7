/**
 * Writing to stdout so that everything arrives. A pipe takes 64 KiB at once; the rest is queued and
 * written as the reader drains it, so the process must not exit (process.exit) before the queue is
 * empty. `writeFully` resolves once the text has been handed to the OS; the CLI then sets
 * process.exitCode and lets Node exit by itself.
 */
import type { Writable } from 'node:stream';

const guarded = new WeakSet<Writable>();

export function writeFully(text: string, stream: Writable = process.stdout): Promise<void> {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    // A reader that went away (`kn … | head`) is not an error of ours: stop writing, exit normally.
    // Node reports it as an 'error' event, possibly after the write's callback.
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') process.stderr.write(`kn: cannot write the output: ${e.message}\n`);
    });
  }
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

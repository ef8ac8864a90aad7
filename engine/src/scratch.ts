/**
 * Scratch copies of a model's float32 weights (ONNX external data: as large as the model) that
 * never outlive their process, for when the artifact cache is off or the model exceeds its bound
 * (artifacts.ts). Each is a folder named `kn-external-<pid>.<host>-XXXXXX` (the command's pid: see hugePages.ts); whoever makes one first
 * removes those of its host whose process is gone (killed outright, so nothing removed them).
 * No ONNX Runtime here: the language server's main thread uses this module too.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeightData } from './graph/ir';
import type { ExternalWeights, Placement } from './artifacts';
import { commandPid } from './hugePages';

const PREFIX = 'kn-external-';

/** `$KN_SCRATCH_DIR` (the language server gives each engine worker its own), else the system's temporary folder. */
export function scratchRoot(): string {
  return process.env.KN_SCRATCH_DIR || os.tmpdir();
}

/** A new scratch folder in `root`, after removing the orphaned ones there. */
export function makeScratchDir(root = scratchRoot()): string {
  removeOrphans(root);
  return fs.mkdtempSync(path.join(root, `${PREFIX}${commandPid}.${hostTag()}-`));
}

/**
 * Removes what processes of this host that no longer run left in `root`: by default scratch folders;
 * `pattern` names other files, its groups 1 and 2 the pid and host tag.
 */
export function removeOrphans(root: string, pattern = /^kn-external-(\d+)\.([0-9a-f]+)-/): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m && orphaned(Number(m[1]), m[2])) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** A tag of this host for file names: pids mean nothing across machines (or containers) sharing a folder. */
export function hostTag(): string {
  return createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
}

/** A temporary name beside `file` for an atomic write (then renamed): `<file>.<pid>.<host>.<random>.tmp`. */
export function temporaryName(file: string): string {
  return `${file}.${process.pid}.${hostTag()}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Whether a file named for (pid, host) belongs to a process of this host that no longer runs. */
function orphaned(pid: number, host: string): boolean {
  return host === hostTag() && pid !== process.pid && pid !== commandPid && !processAlive(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A model's weights as ONNX external data in a scratch folder of this process: each weight is
 * appended once, when a graph first uses it. ONNX Runtime maps the file, so all sessions of the
 * model share one copy of the weights. The folder is removed on dispose and on any exit of the
 * process or worker thread (normal, error, or a signal the CLI turns into an exit); see above for a
 * process killed outright, and the language server's EngineHost for its workers.
 */
export class ScratchWeights implements ExternalWeights {
  readonly dir: string;
  private readonly placed = new Map<string, { offset: number; length: number }>();
  private readonly fd: number;
  private size = 0;
  private disposed = false;

  constructor() {
    this.dir = makeScratchDir();
    this.fd = fs.openSync(path.join(this.dir, 'weights.bin'), 'w');
    live.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const w of live) w.dispose();
      });
    }
  }

  prepare(): boolean {
    return false; // weights are written as they are placed
  }

  place(w: WeightData): Placement {
    let at = this.placed.get(w.key);
    if (!at) {
      // 64-byte alignment, so that mapped tensors start on cache lines.
      const offset = Math.ceil(this.size / 64) * 64;
      at = { offset, length: w.write(this.fd, offset) };
      this.size = offset + at.length;
      this.placed.set(w.key, at);
    }
    return { location: 'weights.bin', ...at };
  }

  /** Closes and removes the folder; synchronous, so that an exit handler can call it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set<ScratchWeights>();
let exitHookInstalled = false;

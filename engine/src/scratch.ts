/**
 * Scratch folders (a model's float32 weights as ONNX external data: as large as the model) that
 * never outlive their process. Each is named `kn-external-<pid>.<host>-XXXXXX`; whoever makes one
 * first removes those of its host whose process is gone (killed outright, so nothing removed them).
 * No ONNX Runtime here: the language server's main thread uses this module too.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PREFIX = 'kn-external-';

/** `$KN_SCRATCH_DIR` (the language server gives each engine worker its own), else the system's temporary folder. */
export function scratchRoot(): string {
  return process.env.KN_SCRATCH_DIR || os.tmpdir();
}

/** A new scratch folder in `root`, after removing the orphaned ones there. */
export function makeScratchDir(root = scratchRoot()): string {
  removeOrphans(root);
  return fs.mkdtempSync(path.join(root, `${PREFIX}${process.pid}.${hostTag()}-`));
}

/** Removes the scratch folders in `root` made on this host by processes that no longer run. */
export function removeOrphans(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  const host = hostTag();
  for (const name of names) {
    const m = /^kn-external-(\d+)\.([0-9a-f]+)-/.exec(name);
    if (!m || m[2] !== host || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Pids mean nothing across machines (or containers) sharing a folder: only this host's folders are judged by pid. */
function hostTag(): string {
  return createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

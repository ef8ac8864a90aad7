/**
 * A lock file between our own processes (two VS Code windows, the CLI) downloading the same blob.
 * `<cache>/.locks/models--ORG--NAME/<etag>.kn-lock`, created with O_EXCL, holding the owner's pid and
 * touched every few seconds; a lock whose process is gone, or that has not been touched for
 * STALE_MS, is taken over. (Python's huggingface_hub uses flock on `<etag>.lock` beside it, which
 * Node cannot take without a native addon.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const HEARTBEAT_MS = 5_000;
const STALE_MS = 60_000;

function ownerAlive(lockPath: string): boolean {
  let text: string;
  let mtime: number;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
    mtime = fs.statSync(lockPath).mtimeMs;
  } catch {
    return false; // vanished: free
  }
  if (Date.now() - mtime > STALE_MS) return false;
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  if (host && host !== hostName()) return true; // another machine sharing the cache: trust the heartbeat
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - mtime < 2_000; // being written right now
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e?.code === 'EPERM';
  }
}

function hostName(): string {
  return os.hostname();
}

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      try {
        fs.writeSync(fd, `${process.pid}\n${hostName()}\n`);
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (e: any) {
      if (e?.code !== 'EEXIST') throw e;
    }
    if (!ownerAlive(lockPath)) {
      // Take over a stale lock: rename is atomic, so only one contender removes it.
      const grave = `${lockPath}.${process.pid}.stale`;
      try {
        fs.renameSync(lockPath, grave);
        fs.rmSync(grave, { force: true });
      } catch {
        /* someone else did */
      }
      continue;
    }
    if (!waited) {
      waited = true;
      onWait?.();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const beat = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(lockPath, now, now);
    } catch {
      /* ignore */
    }
  }, HEARTBEAT_MS);
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    try {
      fs.rmSync(lockPath, { force: true });
    } catch {
      /* ignore */
    }
  }
}

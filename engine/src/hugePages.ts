/**
 * Transparent huge pages for ONNX Runtime's working memory, on Linux.
 *
 * A new session's first run touches every page of its arena (hundreds of MB), and on a virtual
 * machine each 4 KiB page fault is expensive: on the bench's bert-base file the first runs cost
 * about a second more than later ones, for every session (`npm run bench`). glibc's malloc asks the
 * kernel for 2 MiB pages when GLIBC_TUNABLES holds `glibc.malloc.hugetlb=1` (glibc 2.35 and later;
 * older versions and other C libraries ignore it), and most kernels give them only on request
 * (/sys/kernel/mm/transparent_hugepage/enabled: `[madvise]`). A tunable is read once, when the
 * process starts, so `kn` and `kn-language-server` start themselves again with it: the first
 * process only waits, passes signals on, and exits as its child does. `KN_HUGE_PAGES=0` turns this off.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

const TUNABLE = 'glibc.malloc.hugetlb=1';
/** Set in the child: the fd of a pipe from the first process, which closes when that process dies. */
const PARENT_PIPE = 'KN_PARENT_PIPE';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The pid of the command as it was started: in a copy started with huge pages, the first
 * process's (the one a shell, Slurm or a test holds; scratch folders are named for it).
 */
export const commandPid: number = process.env[PARENT_PIPE] ? process.ppid : process.pid;

/** `env` with the huge-page tunable added (for processes this one starts, e.g. the VS Code client's server). */
export function withHugePages(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || env.KN_HUGE_PAGES === '0' || tunables.includes('glibc.malloc.hugetlb')) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}` : TUNABLE };
}

/** Whether starting again would change anything here. */
function relaunchHelps(): boolean {
  if (process.platform !== 'linux' || process.env.KN_HUGE_PAGES === '0') return false;
  if ((process.env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return false;
  // Started with an IPC channel (a forked language server): the channel cannot be handed on.
  if (process.send) return false;
  try {
    // [always]: malloc's memory gets huge pages already; [never]: there are none to have.
    return fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false;
  }
}

/**
 * Runs `main` in this process, or in a copy of it started with huge pages (see above). The copy
 * gets the same arguments, environment (plus the tunable) and standard streams, so its output,
 * stdin and exit status are the command's own. The first process passes SIGINT, SIGTERM and SIGHUP
 * on; if it is killed outright, the copy dies too (`exitWithParent`), as the command would have.
 */
export function startWithHugePages(main: () => void): void {
  if (!relaunchHelps()) {
    exitWithParent();
    main();
    return;
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...withHugePages(process.env), [PARENT_PIPE]: '3' },
  });
  let started = false;
  child.once('spawn', () => (started = true));
  // The copy could not be started (no memory for a second process, …): run here, without huge pages.
  child.once('error', () => {
    if (!started) main();
  });
  for (const signal of SIGNALS) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so that a shell or Slurm sees what the command died of.
      for (const s of SIGNALS) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

/** In a copy started by `startWithHugePages`: die at once when the first process is gone. */
function exitWithParent(): void {
  const fd = Number(process.env[PARENT_PIPE]);
  if (!fd) return;
  delete process.env[PARENT_PIPE]; // not for the processes this one starts
  const pipe = new net.Socket({ fd, readable: true, writable: false });
  pipe.on('error', () => undefined);
  // End of file: the first process died (killed outright: nothing else ends it while this one runs).
  pipe.on('end', () => process.kill(process.pid, 'SIGKILL'));
  pipe.resume();
  pipe.unref();
}

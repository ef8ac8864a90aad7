/**
 * A command's memory from /proc: `kn` and `kn-language-server` start a copy of themselves with huge
 * pages (engine/src/hugePages.ts), so the figure is the larger of the process and its children.
 */
import * as fs from 'node:fs';

/** A /proc/PID/status field in kB (VmRSS, VmHWM, …), the largest over the process and its children. */
export function commandStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
  const kb = (p: number | string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.max(kb(pid), ...children.map(kb));
}

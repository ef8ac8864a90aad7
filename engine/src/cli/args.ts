/** A small argument parser for `kn`: `--flag value`, `--flag=value`, boolean flags, positionals. */
import { KnError } from '../errors';

export class UsageError extends Error {}

export interface Parsed {
  command: string;
  flags: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: string[], booleans: Set<string>): Parsed {
  const [command = '', ...rest] = argv;
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (booleans.has(name)) flags.set(name, true);
      else {
        if (i + 1 >= rest.length) throw new UsageError(`--${name} needs a value`);
        flags.set(name, rest[++i]);
      }
    } else positionals.push(a);
  }
  return { command, flags, positionals };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function num(p: Parsed, name: string, fallback?: number): number | undefined {
  const v = str(p, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${v}')`);
  return n;
}

export function checkKnown(p: Parsed, known: string[]): void {
  for (const k of p.flags.keys()) if (!known.includes(k)) throw new UsageError(`unknown option --${k} for '${p.command}'`);
}

/** An integer option within [min, max] (max optional); a value outside is bad input (exit 2), naming the option and the range. */
export function intIn(p: Parsed, name: string, min: number, max?: number, fallback?: number): number | undefined {
  const v = num(p, name, fallback);
  if (v !== undefined && (!Number.isInteger(v) || v < min || (max !== undefined && v > max)))
    throw new KnError(`--${name} must be an integer ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`} (got ${str(p, name) ?? v})`);
  return v;
}

/** A number option within [min, max]. */
export function numIn(p: Parsed, name: string, min: number, max: number, fallback?: number): number | undefined {
  const v = num(p, name, fallback);
  if (v !== undefined && !(v >= min && v <= max)) throw new KnError(`--${name} must be a number from ${min} to ${max} (got ${str(p, name) ?? v})`);
  return v;
}

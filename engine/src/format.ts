/**
 * How numbers are written for people: one module for the CLI, the language server's hints,
 * hovers and messages, the extension's toasts and the compare panel (pure: no DOM, no Node).
 *
 * Probabilities keep their significant digits: two decimals from 0.01 up, scientific form below
 * (4.5e-5, never 0.00), and a change of probability is written with its relative change beside it.
 */

/** A probability: `0.90`, `1.00`, `4.5e-5`; `0.00` only for an exact 0; `–` when unknown. */
export function formatProbability(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '–';
  if (p === 0 || Math.abs(p) >= 0.01) return p.toFixed(2);
  return p.toExponential(1);
}

/** (after − before) / before; NaN when before is not positive or either is not finite. */
export function relativeChange(before: number, after: number): number {
  if (!Number.isFinite(before) || !Number.isFinite(after) || before <= 0) return NaN;
  return (after - before) / before;
}

/** A relative change as a signed percentage with fixed decimals, e.g. `+1.20%`, `-67.00%`; `—` when unknown; one that rounds to 0 is `0.00%` (no sign). */
export function formatPercent(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '—';
  const s = (v * 100).toFixed(digits);
  if (Number(s) === 0) return `${(0).toFixed(digits)}%`;
  return (v > 0 ? '+' : '') + s + '%';
}

/**
 * A relative change with two significant digits, so that small changes are not rounded to 0:
 * `−67%`, `+4.5%`, `−0.12%`, `+0.0031%`; `±0%` for none, `—` when unknown.
 */
export function formatChange(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v === 0) return '±0%';
  const pct = Math.abs(v * 100);
  const body = pct >= 10 ? pct.toFixed(0) : pct.toPrecision(2);
  return `${v > 0 ? '+' : '\u2212'}${body}%`;
}

/** `P before → after (relative change)`, e.g. `0.90 → 4.5e-5 (−100%)`, `4.5e-5 → 1.5e-5 (−67%)`. */
export function formatProbabilityChange(before: number, after: number): string {
  return `${formatProbability(before)} \u2192 ${formatProbability(after)} (${formatChange(relativeChange(before, after))})`;
}

/** A compact score for labels: 3 significant digits, exponent form below 1e-3 and from 1e5. */
export function formatScore(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return v.toPrecision(3);
}

/**
 * Suppress / enhance results where they can be read again, in any client: the fact's lens title
 * (the mean P(answer) before → after) and a section of its hover (each prompt).
 */
import type { InterventionSummary } from '../../protocol/lsp';
import { fmtP } from './render';

function mean(xs: number[]): number {
  return xs.reduce((a, x) => a + x, 0) / xs.length;
}

/** `Suppress` before any run; `Suppressed: P 0.90 → 0.10 (−89%)` after one. */
export function interventionTitle(action: 'Suppress' | 'Enhance', last: InterventionSummary | undefined): string {
  if (!last) return action;
  const done = action === 'Suppress' ? 'Suppressed' : 'Enhanced';
  if (!last.prompts.length) return `${done}: no refined neurons`;
  const before = mean(last.prompts.map((p) => p.result.before.p_target));
  const after = mean(last.prompts.map((p) => p.result.after.p_target));
  const change = before > 0 ? ` (${after >= before ? '+' : '−'}${Math.abs((100 * (after - before)) / before).toFixed(0)}%)` : '';
  return `${done}: P ${fmtP(before)} → ${fmtP(after)}${change}`;
}

/** The hover section: per prompt, P(answer) before → after, for the last suppress and enhance. */
export function interventionMarkdown(last: Partial<Record<'suppress' | 'enhance', InterventionSummary>> | undefined): string {
  const lines: string[] = [];
  for (const s of [last?.suppress, last?.enhance]) {
    if (!s || !s.prompts.length) continue;
    lines.push('', `**${s.mode === 'suppress' ? 'Suppressed' : 'Enhanced'}** ${s.neurons.length} neuron${s.neurons.length === 1 ? '' : 's'}: P(answer) before → after`, '', '| prompt | before | after |', '|:--|--:|--:|');
    for (const p of s.prompts) lines.push(`| ${(p.lang ? `[${p.lang}] ` : '') + p.text.replace(/[|\\`*_<>[\]]/g, (c) => '\\' + c)} | ${fmtP(p.result.before.p_target)} | ${fmtP(p.result.after.p_target)} |`);
  }
  return lines.join('\n');
}

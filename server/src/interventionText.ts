/**
 * Suppress / enhance results where they can be read again, in any client: the fact's lens title
 * (the mean P(answer) before → after) and a section of its hover (each prompt).
 */
import { formatProbability, formatProbabilityChange } from '../../engine/src/format';
import type { InterventionSummary } from '../../protocol/lsp';

function mean(xs: number[]): number {
  return xs.reduce((a, x) => a + x, 0) / xs.length;
}

/** `Suppress` before any run; `Suppressed: P 0.90 → 0.10 (−89%)` after one. */
export function interventionTitle(action: 'Suppress' | 'Enhance', last: InterventionSummary | undefined): string {
  if (!last) return action;
  const done = action === 'Suppress' ? 'Suppressed' : 'Enhanced';
  if (!last.prompts.length) return `${done}: no refined neurons`;
  return `${done}: P ${formatProbabilityChange(mean(last.prompts.map((p) => p.result.before.p_target)), mean(last.prompts.map((p) => p.result.after.p_target)))}`;
}

/** The hover section: per prompt, P(answer) before → after, for the last suppress and enhance. */
export function interventionMarkdown(last: Partial<Record<'suppress' | 'enhance', InterventionSummary>> | undefined): string {
  const lines: string[] = [];
  for (const s of [last?.suppress, last?.enhance]) {
    if (!s || !s.prompts.length) continue;
    lines.push(
      '',
      `**${s.mode === 'suppress' ? 'Suppressed' : 'Enhanced'}** ${s.neurons.length} neuron${s.neurons.length === 1 ? '' : 's'}: P(answer) before → after`,
      '',
      '| prompt | before | after |',
      '|:--|--:|--:|',
    );
    for (const p of s.prompts)
      lines.push(
        `| ${(p.lang ? `[${p.lang}] ` : '') + p.text.replace(/[|\\`*_<>[\]]/g, (c) => '\\' + c)} | ${formatProbability(p.result.before.p_target)} | ${formatProbabilityChange(p.result.before.p_target, p.result.after.p_target).split(' \u2192 ')[1]} |`,
      );
  }
  return lines.join('\n');
}

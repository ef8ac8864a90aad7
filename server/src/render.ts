/** Pure rendering of results: model diagnostics, inlay-hint labels, hover markdown. No LSP connection here. */
import { DIRECTIVES, type Directive, type DirectiveName, type Fact, type Prompt, type Range } from '../../engine/src/prompts';
import { neuronKey, neuronLabel } from '../../engine/src/neurons';
import type { Neuron, PredictionDetail } from '../../engine/src/types';
import { formatProbability as fmtP } from '../../engine/src/format';
import type { NeuronCard, ProjectedToken } from '../../engine/src/neuronCard';

export interface PromptEntry {
  prediction?: PredictionDetail;
  predictionError?: string;
  /** [layer][neuron] integrated-gradient scores. */
  scores?: number[][];
  scoresP?: number;
  scoresError?: string;
  coarse?: Neuron[];
  coarseRule?: string;
}

export interface FactNeurons {
  signature: string;
  groups: Record<string, { refined: Neuron[] }>;
  /** Per group: how many of its prompts have each refined neuron among their coarse neurons, and the group's size. */
  shares: Record<string, { n: number; counts: Record<string, number> }>;
  negatives: number;
  /** Prompts whose scores are still to come: the refined sets so far. */
  pending?: number;
}

export interface ModelDiagnostic {
  range: Range;
  severity: 1 | 2 | 3 | 4;
  code: string;
  message: string;
}

export function fmtScore(s: number): string {
  const a = Math.abs(s);
  if (a >= 0.01 || a === 0) return s.toFixed(2);
  return s.toExponential(1);
}

/** The k neurons with the highest scores, best first. */
export function topNeurons(scores: number[][], k: number): Array<{ neuron: Neuron; score: number }> {
  const best: Array<{ neuron: Neuron; score: number }> = [];
  for (let l = 0; l < scores.length; l++) {
    const row = scores[l];
    for (let i = 0; i < row.length; i++) {
      const s = row[i];
      if (best.length < k || s > best[best.length - 1].score) {
        best.push({ neuron: { layer: l, index: i }, score: s });
        best.sort((a, b) => b.score - a.score);
        if (best.length > k) best.pop();
      }
    }
  }
  return best;
}

function shift(range: Range, from: number, to: number): Range {
  const line = range.start.line;
  const lo = range.start.character;
  const hi = range.end.character;
  const clamp = (c: number) => Math.max(lo, Math.min(hi, c));
  return { start: { line, character: clamp(lo + from) }, end: { line, character: clamp(lo + to) } };
}

/** The model's diagnostics for one prompt. */
export function promptDiagnostics(prompt: Prompt, entry: PromptEntry | undefined, lowConfidence: number): ModelDiagnostic[] {
  if (!entry) return [];
  const out: ModelDiagnostic[] = [];
  if (entry.predictionError) {
    // the engine refuses prompts longer than the model's positions with a KnError
    const code = /longer than the model/.test(entry.predictionError) ? 'too-long' : 'model-error';
    out.push({ range: prompt.range, severity: 1, code, message: entry.predictionError });
    return out;
  }
  const pr = entry.prediction;
  if (entry.scoresError) {
    // an attribution that failed (out of memory, a crashed worker, …) is never silent
    out.push({
      range: prompt.range,
      severity: 1,
      code: pr ? 'attribution-failed' : 'model-error',
      message: pr ? `attribution failed: ${entry.scoresError}` : entry.scoresError,
    });
  }
  if (!pr) return out;
  const answer = prompt.answer ?? pr.target;
  const top = pr.top_k[0];
  if (!prompt.negative) {
    if (pr.p_target < lowConfidence) {
      out.push({
        range: prompt.maskRange,
        severity: 2,
        code: 'low-confidence',
        message: `low confidence: P(${answer}) = ${fmtP(pr.p_target)} (rank ${pr.rank})`,
      });
    }
    if (pr.rank > 1 && top) {
      out.push({
        range: prompt.maskRange,
        severity: 3,
        code: 'wrong-prediction',
        message: `model predicts ${top.token.trim() || JSON.stringify(top.token)} (${fmtP(top.p)})`,
      });
    }
  }
  if (pr.target_ids.length > 1) {
    out.push({
      range: prompt.maskRange,
      severity: 3,
      code: 'multi-token-answer',
      message: `'${answer}' is ${pr.target_ids.length} tokens for this model: P(${answer}) is its first token's; all tokens together ${fmtP(pr.p_joint)}`,
    });
  }
  for (const u of pr.unknown ?? []) {
    const text = prompt.text.slice(u.start, u.end);
    out.push({
      range: u.end > u.start ? shift(prompt.range, u.start, u.end) : prompt.range,
      severity: 2,
      code: 'unknown-token',
      message: text ? `'${text}' is not in the model's vocabulary: it becomes ${u.token}` : `the prompt has a token the model does not know (${u.token})`,
    });
  }
  if (pr.tokens && pr.max_positions && pr.tokens.length > pr.max_positions) {
    out.push({
      range: prompt.range,
      severity: 1,
      code: 'too-long',
      message: `the prompt is ${pr.tokens.length} tokens long, longer than the model's ${pr.max_positions} positions`,
    });
  }
  return out;
}

/** Inlay hint after a prompt: `P(Paris) 0.98 · L2·43 0.73 · L3·51 0.41`. */
export function inlayLabel(prompt: Prompt, entry: PromptEntry | undefined, k = 3): string | undefined {
  if (!entry) return undefined;
  if (entry.predictionError) return '⚠';
  const p = entry.prediction?.p_target ?? entry.scoresP;
  if (p === undefined) return undefined;
  const parts = [`P(${prompt.answer ?? ''}) ${fmtP(p)}`];
  if (entry.scores) {
    // scores relative to the prompt's top score (the adaptive rule's scale): raw IG scores of a
    // confident prompt are tiny (P saturates), the hover shows them
    const top = topNeurons(entry.scores, k);
    const max = top.length ? top[0].score : 0;
    for (const t of top) parts.push(`${neuronLabel(t.neuron)} ${max > 0 ? (t.score / max).toFixed(2) : fmtScore(t.score)}`);
  }
  return parts.join(' · ');
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `width` cells for a fraction 0…1, in eighths of a cell. */
export function bar(fraction: number, width = 12): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** Sum of positive scores per layer. */
export function perLayer(scores: number[][]): number[] {
  return scores.map((row) => row.reduce((a, s) => a + (s > 0 ? s : 0), 0));
}

function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (c) => '\\' + c);
}

/** A directive's hover: what it sets and the values it takes (undefined for an unknown name). */
export function directiveHover(d: Directive): string | undefined {
  const spec = Object.prototype.hasOwnProperty.call(DIRECTIVES, d.name) ? DIRECTIVES[d.name as DirectiveName] : undefined;
  if (!spec) return undefined;
  return `**@${d.name}**${d.ok ? ` ${mdEscape(d.raw)}` : ''}\n\n${spec.about}\n\nValue: ${mdEscape(spec.expect)}.`;
}

export function promptHover(prompt: Prompt, entry: PromptEntry | undefined, topK = 5): string {
  const lines: string[] = [];
  const answer = prompt.answer ?? '';
  if (!entry || (!entry.prediction && !entry.scores && !entry.predictionError)) {
    lines.push(`**${mdEscape(answer)}**${prompt.lang ? ` · \`${prompt.lang}\`` : ''}${prompt.negative ? ' · negative example' : ''}`);
    lines.push('', '_No results yet: save the file, or run **Find Knowledge Neurons**._');
    return lines.join('\n');
  }
  if (entry.predictionError) return `**Model error:** ${mdEscape(entry.predictionError)}`;
  const pr = entry.prediction;
  if (pr) {
    lines.push(
      `**P(${mdEscape(answer)}) = ${fmtP(pr.p_target)}** · rank ${pr.rank}${pr.target_ids.length > 1 ? ` · ${pr.target_ids.length} tokens, joint ${fmtP(pr.p_joint)}` : ''}${prompt.negative ? ' · negative example' : ''}`,
    );
    lines.push('', '| # | prediction | p |', '|--:|:--|--:|');
    pr.top_k.slice(0, topK).forEach((t, i) => lines.push(`| ${i + 1} | ${mdEscape(t.token)}${t.id === pr.target_ids[0] ? ' ✓' : ''} | ${fmtP(t.p)} |`));
  }
  if (entry.scores) {
    const top = topNeurons(entry.scores, 5);
    const max = top.length ? top[0].score : 0;
    lines.push('', '**Top neurons** (integrated gradients; × the top score)', '');
    lines.push(top.map((t) => `\`${neuronLabel(t.neuron)}\` ${max > 0 ? (t.score / max).toFixed(2) : '–'} (${fmtScore(t.score)})`).join(' · '));
    if (entry.coarse) lines.push('', `${entry.coarse.length} coarse neurons`);
    const layers = perLayer(entry.scores);
    const layerMax = Math.max(...layers, 0);
    lines.push('', '**Attribution per layer**', '', '```');
    layers.forEach((v, l) => lines.push(`L${String(l).padEnd(3)} ${bar(layerMax > 0 ? v / layerMax : 0).padEnd(13)} ${fmtScore(v)}`));
    lines.push('```');
  } else {
    lines.push('', '_Attribution not computed yet._');
  }
  return lines.join('\n');
}

/** A card's first tokens as code spans (backticks inside a token become quotes; in a table cell, pipes become ¦). */
export function cardTokens(list: ProjectedToken[], k: number, inTable = false): string {
  return list
    .slice(0, k)
    .map((t) => {
      const token = t.token.replace(/`/g, "'");
      return `\`${inTable ? token.replace(/\|/g, '¦') : token}\``;
    })
    .join(' ');
}

/** Tokens per compact card (a column of the fact hover's table). */
const COMPACT_TOKENS = 3;

/** A fact's refined neurons per group; with `cards`, what each neuron promotes and suppresses (compact cards). */
export function factHover(fact: Fact, neurons: FactNeurons | undefined, cards?: ReadonlyMap<string, NeuronCard>): string {
  const lines = [
    `**fact ${mdEscape(fact.name)}** → ${Object.entries(fact.answers)
      .map(([k, v]) => (k ? `${k}: ${mdEscape(v)}` : mdEscape(v)))
      .join(' · ')}`,
  ];
  const pos = fact.prompts.filter((p) => !p.negative).length;
  const neg = fact.prompts.length - pos;
  lines.push('', `${pos} prompt${pos === 1 ? '' : 's'}${neg ? `, ${neg} negative` : ''}`);
  if (!neurons) {
    lines.push('', '_Refined neurons not computed yet: run **Find knowledge neurons**._');
    return lines.join('\n');
  }
  if (neurons.pending) lines.push('', `_Refined so far: ${neurons.pending} prompt${neurons.pending === 1 ? '' : 's'} still to come._`);
  for (const [group, g] of Object.entries(neurons.groups)) {
    const share = neurons.shares[group];
    lines.push('', `**Refined neurons — ${group === 'all' ? 'all prompts' : `\`${group}\``}** (${g.refined.length})`);
    if (!g.refined.length) {
      lines.push('', '_none shared by enough prompts_');
      continue;
    }
    const withCards = g.refined.some((n) => cards?.has(neuronKey(n)));
    lines.push('', withCards ? '| neuron | shared by | promotes | suppresses |' : '| neuron | shared by |', withCards ? '|:--|:--|:--|:--|' : '|:--|:--|');
    const sorted = [...g.refined].sort(
      (a, b) => (share?.counts[neuronKey(b)] ?? 0) - (share?.counts[neuronKey(a)] ?? 0) || a.layer - b.layer || a.index - b.index,
    );
    for (const n of sorted) {
      const c = share?.counts[neuronKey(n)] ?? 0;
      const card = cards?.get(neuronKey(n));
      const what = withCards
        ? card
          ? ` ${cardTokens(card.promotes, COMPACT_TOKENS, true)} | ${cardTokens(card.suppresses, COMPACT_TOKENS, true)} |`
          : ' | |'
        : '';
      lines.push(`| \`${neuronLabel(n)}\` | ${c} of ${share?.n ?? '?'} prompts |${what}`);
    }
  }
  if (cards && !cards.size && Object.values(neurons.groups).some((g) => g.refined.length))
    lines.push('', '_What each neuron promotes and suppresses shows here once the model is loaded (save the file, or run Find)._');
  if (neurons.negatives) lines.push('', `_Neurons shared by the ${neurons.negatives} negative example${neurons.negatives === 1 ? '' : 's'} are removed._`);
  return lines.join('\n');
}

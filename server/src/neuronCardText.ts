/**
 * The neuron card as hover / tooltip Markdown: what the neuron writes (the tokens its value vector
 * promotes and suppresses, engine/src/neuronCard.ts), which facts of the open files have it among
 * their refined neurons, and its attribution on each prompt of the file.
 */
import type { NeuronCard } from '../../engine/src/neuronCard';
import { cardTokens, fmtScore } from './render';

export interface NeuronUse {
  /** Fact name, and the file it is in when that is another file. */
  fact: string;
  file?: string;
}

export interface NeuronAttribution {
  prompt: string;
  /** The neuron's integrated-gradient score on the prompt, and that prompt's top score. */
  score: number;
  max: number;
}

const TOKENS = 6;

export function neuronCardMarkdown(card: NeuronCard, uses: NeuronUse[], attributions: NeuronAttribution[]): string {
  const tokens = (list: NeuronCard['promotes']) => cardTokens(list, TOKENS);
  const lines = [
    `**Neuron ${card.label}** · value vector norm ${card.norm.toPrecision(3)}`,
    '',
    `promotes ${tokens(card.promotes)}`,
    '',
    `suppresses ${tokens(card.suppresses)}`,
  ];
  lines.push(
    '',
    uses.length
      ? `refined neuron of ${uses.map((u) => `**${u.fact}**${u.file ? ` (${u.file})` : ''}`).join(', ')}`
      : '_refined neuron of no fact in the open files_',
  );
  if (attributions.length) {
    lines.push('', '| prompt | attribution | × top |', '|:--|--:|--:|');
    for (const a of attributions)
      lines.push(`| ${a.prompt.replace(/[|\\`*_<>[\]]/g, (c) => '\\' + c)} | ${fmtScore(a.score)} | ${a.max > 0 ? (a.score / a.max).toFixed(2) : '–'} |`);
  }
  return lines.join('\n');
}

/** Serializer of the `.prompts` format: `parse(formatDataset(ds))` gives back the same dataset (up to ranges and comments). */
import { Dataset, Directive, Fact, Prompt } from './types';
import { DIRECTIVES, FORMAT_VERSION } from './parser';

const PROMPT_TAG_START = /^\[[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?\]/;

/** A prompt's text as written on its line: a leading `\` when the text would otherwise read as something else. */
export function escapePromptText(text: string): string {
  const t = text.replace(/[\r\n]+/g, ' ').trim();
  if (t.startsWith('#') || t.startsWith('@') || t.startsWith('\\') || t.startsWith('not:') || /^fact(\s|$)/.test(t) || PROMPT_TAG_START.test(t)) {
    return '\\' + t;
  }
  return t;
}

/** Quotes a value (answer or directive value) only when needed. */
export function quoteIfNeeded(value: string, inAnswerList = false): string {
  const needs =
    value === '' ||
    value !== value.trim() ||
    value.startsWith('"') ||
    value.startsWith('#') ||
    /\s#/.test(value) ||
    /[\r\n\t]/.test(value) ||
    value.includes('|') ||
    value.includes('->') ||
    (inAnswerList && /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?:(\s|$)/.test(value));
  return needs ? JSON.stringify(value) : value;
}

export function formatAnswers(answers: Record<string, string>): string {
  const keys = Object.keys(answers);
  const ordered = keys.includes('') ? ['', ...keys.filter((k) => k !== '')] : keys;
  return ordered.map((k) => (k === '' ? quoteIfNeeded(answers[k], true) : `${k}: ${quoteIfNeeded(answers[k], true)}`)).join(' | ');
}

export function formatDirective(d: Pick<Directive, 'name' | 'value' | 'raw'>): string {
  const v = d.value === null || d.value === undefined ? d.raw : String(d.value);
  return `@${d.name} ${quoteIfNeeded(v)}`;
}

export function formatPrompt(p: Pick<Prompt, 'text' | 'lang' | 'negative'>, indent = '  '): string {
  return `${indent}${p.negative ? 'not: ' : ''}${p.lang ? `[${p.lang}] ` : ''}${escapePromptText(p.text)}`;
}

export function formatFact(f: Pick<Fact, 'name' | 'answers'> & { prompts: Array<Pick<Prompt, 'text' | 'lang' | 'negative'>> }): string {
  const lines = [`fact ${f.name} -> ${formatAnswers(f.answers)}`];
  for (const p of f.prompts) lines.push(formatPrompt(p));
  return lines.join('\n');
}

/** Canonical text of a dataset: `@version` first, the valid directives, then one block per fact. */
export function formatDataset(ds: Pick<Dataset, 'version' | 'directives' | 'facts'>): string {
  const head = [`@version ${ds.version ?? FORMAT_VERSION}`];
  for (const d of ds.directives) {
    if (d.name === 'version' || !Object.prototype.hasOwnProperty.call(DIRECTIVES, d.name)) continue;
    if (d.ok === false) continue;
    head.push(formatDirective(d));
  }
  const blocks = [head.join('\n')];
  for (const f of ds.facts) blocks.push(formatFact(f));
  return blocks.join('\n\n') + '\n';
}

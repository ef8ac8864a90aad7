/**
 * Import of the reference's datasets into `.prompts` text, and export of results as JSON and CSV.
 *  - PARAREL (EleutherAI/knowledge-neurons `pararel_expanded.json`):
 *    `{uuid: {"sentences": [...], "relation_name": "P101", "obj_label": "..."}}`, masks written `[MASK]`.
 *  - Bags (Dai et al.'s released data): a JSON list of facts, each a list of `[prompt, obj_label, relation]`.
 *  - Multilingual triples and templates (mLAMA, mPARAREL; read from their folders by
 *    engine/src/dataset/importFolders.ts): one fact per relation and subject, its prompts tagged with
 *    their language and its answer given per language.
 */
import type { CompareData, FactResult, Neuron, PromptResult } from '../types';
import { csvCell } from '../csv';
import { escapePromptText, formatAnswers, quoteIfNeeded } from './format';
import { FORMAT_VERSION } from './parser';

export interface ImportOptions {
  /** Written as `@model …`. */
  model?: string;
  /** Language tag given to every prompt (e.g. `en`); none by default. */
  lang?: string;
  /** At most this many facts (the first ones). */
  limit?: number;
}

export type ImportFormat = 'pararel' | 'bags';

export class ImportError extends Error {}

function toMask(sentence: string): string {
  return String(sentence)
    .replace(/\[MASK\]/g, '<mask>')
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

/** A fact name from a relation and an answer: `P36-paris`, unique within `used`. */
export function factName(relation: string, label: string, used: Set<string>): string {
  const slug = (s: string) =>
    String(s)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '');
  const base = [slug(relation), slug(label)].filter(Boolean).join('-') || 'fact';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

interface ImportedFact {
  name: string;
  answer: string;
  comment?: string;
  prompts: string[];
}

function render(facts: ImportedFact[], opts: ImportOptions, source: string): string {
  const lines = [`@version ${FORMAT_VERSION}`, `# imported from ${source}`];
  if (opts.model) lines.push(`@model ${quoteIfNeeded(opts.model)}`);
  const tag = opts.lang ? `[${opts.lang}] ` : '';
  for (const f of facts) {
    lines.push('');
    if (f.comment) lines.push(`# ${f.comment.replace(/[\r\n]+/g, ' ')}`);
    lines.push(`fact ${f.name} -> ${formatAnswers({ [opts.lang ?? '']: f.answer.replace(/[\r\n]+/g, ' ').trim() })}`);
    const seen = new Set<string>();
    for (const p of f.prompts) {
      if (seen.has(p)) continue;
      seen.add(p);
      lines.push(`  ${tag}${escapePromptText(p)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function asJson(input: string | unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new ImportError(`not valid JSON: ${(e as Error).message}`);
  }
}

export function detectImportFormat(input: string | unknown): ImportFormat | undefined {
  const data = asJson(input);
  if (Array.isArray(data)) return 'bags';
  if (data && typeof data === 'object') return 'pararel';
  return undefined;
}

export function importPararel(input: string | unknown, opts: ImportOptions = {}): string {
  const data = asJson(input);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ImportError('PARAREL data must be an object {uuid: {sentences, relation_name, obj_label}}');
  }
  const used = new Set<string>();
  const facts: ImportedFact[] = [];
  for (const [uuid, entry] of Object.entries(data as Record<string, unknown>)) {
    if (opts.limit !== undefined && facts.length >= opts.limit) break;
    const e = entry as { sentences?: unknown; relation_name?: unknown; obj_label?: unknown };
    if (!e || !Array.isArray(e.sentences) || typeof e.obj_label !== 'string') {
      throw new ImportError(`entry ${uuid}: expected {sentences: [...], relation_name, obj_label}`);
    }
    const relation = typeof e.relation_name === 'string' ? e.relation_name : '';
    facts.push({
      name: factName(relation, e.obj_label, used),
      answer: e.obj_label,
      comment: `uuid ${uuid}${relation ? `, relation ${relation}` : ''}`,
      prompts: e.sentences.map((s) => toMask(String(s))),
    });
  }
  return render(facts, opts, 'PARAREL');
}

export function importBags(input: string | unknown, opts: ImportOptions = {}): string {
  const data = asJson(input);
  if (!Array.isArray(data)) throw new ImportError('bag data must be a list of facts, each a list of [prompt, obj_label, relation]');
  const used = new Set<string>();
  const facts: ImportedFact[] = [];
  data.forEach((bag, i) => {
    if (opts.limit !== undefined && facts.length >= opts.limit) return;
    if (!Array.isArray(bag)) throw new ImportError(`fact ${i}: expected a list of [prompt, obj_label, relation]`);
    // A bag normally shares one answer; split it if it does not.
    const byAnswer = new Map<string, { relation: string; prompts: string[] }>();
    for (const item of bag) {
      if (!Array.isArray(item) || item.length < 2) throw new ImportError(`fact ${i}: expected [prompt, obj_label, relation], got ${JSON.stringify(item)}`);
      const [prompt, label, relation] = item as [unknown, unknown, unknown];
      const key = String(label);
      let group = byAnswer.get(key);
      if (!group) byAnswer.set(key, (group = { relation: relation === undefined ? '' : String(relation), prompts: [] }));
      group.prompts.push(toMask(String(prompt)));
    }
    for (const [answer, g] of byAnswer) {
      facts.push({ name: factName(g.relation, answer, used), answer, comment: `bag ${i}${g.relation ? `, relation ${g.relation}` : ''}`, prompts: g.prompts });
    }
  });
  return render(facts, opts, 'bags');
}

/** One relation in one language: its templates (`[X]` the subject, `[Y]` the answer) and its triples. */
export interface LanguageRelation {
  templates: string[];
  triples: { sub_label: string; obj_label: string; sub_uri?: string; obj_uri?: string; lineid?: number | string }[];
}

/**
 * Multilingual data (`data[lang][relation]`) as `.prompts`: a fact per relation and subject (matched
 * across languages by the subject's and object's URIs, else by `lineid`), named from its English (else
 * first) subject, with one `[lang]` prompt per template and the object's label as that language's answer.
 */
export function importMultilingual(data: Record<string, Record<string, LanguageRelation>>, source: string, opts: ImportOptions = {}): string {
  const facts = new Map<
    string,
    { relation: string; id: string; subjects: Record<string, string>; answers: Record<string, string>; prompts: { lang: string; text: string }[] }
  >();
  const langs = Object.keys(data).sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
  for (const lang of langs) {
    for (const [relation, { templates, triples }] of Object.entries(data[lang]).sort(([a], [b]) => a.localeCompare(b))) {
      for (const t of triples) {
        const id = t.sub_uri ? `${t.sub_uri} ${t.obj_uri ?? ''}` : String(t.lineid ?? t.sub_label);
        const key = `${relation} ${id}`;
        let f = facts.get(key);
        if (!f) {
          if (opts.limit !== undefined && facts.size >= opts.limit) continue;
          facts.set(key, (f = { relation, id, subjects: {}, answers: {}, prompts: [] }));
        }
        f.subjects[lang] = t.sub_label;
        f.answers[lang] = String(t.obj_label)
          .replace(/[\r\n]+/g, ' ')
          .trim();
        for (const tpl of templates) {
          if (!tpl.includes('[X]') || !tpl.includes('[Y]')) throw new ImportError(`${lang}/${relation}: template '${tpl}' lacks [X] or [Y]`);
          f.prompts.push({
            lang,
            text: tpl
              .replace(/\[X\]/g, t.sub_label)
              .replace(/\[Y\]/g, '<mask>')
              .replace(/[\r\n]+/g, ' ')
              .trim(),
          });
        }
      }
    }
  }
  const used = new Set<string>();
  const lines = [`@version ${FORMAT_VERSION}`, `# imported from ${source}`];
  if (opts.model) lines.push(`@model ${quoteIfNeeded(opts.model)}`);
  for (const f of facts.values()) {
    lines.push('', `# relation ${f.relation}, ${f.id}`.replace(/[\r\n]+/g, ' '));
    lines.push(`fact ${factName(f.relation, Object.values(f.subjects)[0], used)} -> ${formatAnswers(f.answers)}`);
    const seen = new Set<string>();
    for (const p of f.prompts) {
      if (seen.has(`${p.lang} ${p.text}`)) continue;
      seen.add(`${p.lang} ${p.text}`);
      lines.push(`  [${p.lang}] ${escapePromptText(p.text)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Imports either format, detected from the JSON's shape. */
export function importDataset(input: string | unknown, opts: ImportOptions = {}): string {
  const data = asJson(input);
  const fmt = detectImportFormat(data);
  if (fmt === 'bags') return importBags(data, opts);
  if (fmt === 'pararel') return importPararel(data, opts);
  throw new ImportError('unknown format: expected a PARAREL object or a list of bags');
}

// ---------------------------------------------------------------- export

function factsOf(results: FactResult[] | CompareData): FactResult[] {
  return Array.isArray(results) ? results : results.facts;
}

/** Results as pretty JSON (without the large score matrices unless asked). */
export function exportJson(results: FactResult[] | CompareData, opts: { scores?: boolean } = {}): string {
  const stripPrompt = (p: PromptResult): PromptResult => {
    const { scores, ...rest } = p;
    return opts.scores && scores ? { ...rest, scores } : rest;
  };
  const strip = (f: FactResult): FactResult => ({
    ...f,
    prompts: f.prompts.map(stripPrompt),
    ...(f.negatives ? { negatives: f.negatives.map(stripPrompt) } : {}),
  });
  const data = Array.isArray(results) ? results.map(strip) : { ...results, facts: results.facts.map(strip) };
  return JSON.stringify(data, null, 2) + '\n';
}

/** A neuron in a CSV cell: `L2.43` (the display label's `·` is not ASCII). */
export function csvNeuron(n: Neuron): string {
  return `L${n.layer}.${n.index}`;
}

export const CSV_COLUMNS = ['fact', 'answer', 'lang', 'prompt', 'p_target', 'coarse', 'refined_group', 'refined', 'before', 'suppressed', 'enhanced'] as const;

/** One row per prompt: its probability, coarse neurons, its group's refined neurons and intervention effects. */
export function exportCsv(results: FactResult[] | CompareData): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const f of factsOf(results)) {
    const effects = new Map<string, { before: number; suppressed: number; enhanced: number }>();
    for (const e of f.effects?.own ?? []) effects.set(e.text, e);
    for (const p of f.prompts) {
      const group = p.lang && f.groups[p.lang] ? p.lang : f.groups.all ? 'all' : '';
      const refined = group ? f.groups[group].refined : [];
      const e = effects.get(p.text);
      rows.push(
        [
          f.name,
          f.answer,
          p.lang,
          p.text,
          p.p_target,
          (p.coarse ?? []).map(csvNeuron).join(' '),
          group,
          refined.map(csvNeuron).join(' '),
          e?.before,
          e?.suppressed,
          e?.enhanced,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return rows.join('\r\n') + '\r\n';
}

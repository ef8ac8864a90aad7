/**
 * The multilingual datasets' folders, read into `importMultilingual`'s input:
 *  - mLAMA (`data/mlama1.1`): `<lang>/templates.jsonl` ({relation, template}, one template per
 *    relation) and `<lang>/<relation>.jsonl` (TREx-style triples: sub_label, obj_label, sub_uri,
 *    obj_uri, lineid);
 *  - mPARAREL (`data/mpararel`): `patterns/<lang>/<relation>.jsonl` ({pattern}, PARAREL's
 *    paraphrases translated) and `tuples/<lang>/<relation>.jsonl` (the triples).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnError } from '../errors';
import { importMultilingual, ImportOptions, LanguageRelation } from '../prompts';

export type FolderFormat = 'mlama' | 'mpararel';

export interface FolderImportOptions extends ImportOptions {
  langs?: string[];
  relations?: string[];
}

function jsonl(file: string): Record<string, unknown>[] {
  const text = fs.readFileSync(file, 'utf8');
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line)];
    } catch (e) {
      throw new KnError(`${file}:${i + 1}: not a JSON line (${(e as Error).message})`, { file, line: i });
    }
  });
}

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const relationFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && f !== 'templates.jsonl')
    .sort();

export function detectFolderFormat(dir: string): FolderFormat | undefined {
  if (isDir(path.join(dir, 'patterns')) && isDir(path.join(dir, 'tuples'))) return 'mpararel';
  if (fs.readdirSync(dir).some((l) => fs.existsSync(path.join(dir, l, 'templates.jsonl')))) return 'mlama';
  return undefined;
}

export function importFolder(dir: string, opts: FolderImportOptions = {}, format = detectFolderFormat(dir)): string {
  if (!format) throw new KnError(`${dir}: neither mLAMA (<lang>/templates.jsonl) nor mPARAREL (patterns/ and tuples/)`, { file: dir });
  const data: Record<string, Record<string, LanguageRelation>> = {};
  const want = (lang: string, relation?: string) =>
    (!opts.langs || opts.langs.includes(lang)) && (!relation || !opts.relations || opts.relations.includes(relation));
  const triples = (file: string) =>
    jsonl(file).map((t, i) => {
      if (typeof t.sub_label !== 'string' || (typeof t.obj_label !== 'string' && typeof t.obj_label !== 'number'))
        throw new KnError(`${file}:${i + 1}: a triple needs sub_label and obj_label`, { file, line: i });
      return {
        sub_label: t.sub_label,
        obj_label: String(t.obj_label),
        sub_uri: t.sub_uri as string | undefined,
        obj_uri: t.obj_uri as string | undefined,
        lineid: t.lineid as number | undefined,
      };
    });
  if (format === 'mlama') {
    for (const lang of fs.readdirSync(dir).sort()) {
      const templatesFile = path.join(dir, lang, 'templates.jsonl');
      if (!fs.existsSync(templatesFile) || !want(lang)) continue;
      const templates = new Map<string, string[]>();
      jsonl(templatesFile).forEach((t, i) => {
        if (typeof t.relation !== 'string' || typeof t.template !== 'string')
          throw new KnError(`${templatesFile}:${i + 1}: a template needs relation and template`, { file: templatesFile, line: i });
        templates.set(t.relation, [...(templates.get(t.relation) ?? []), t.template]);
      });
      for (const f of relationFiles(path.join(dir, lang))) {
        const relation = f.replace(/\.jsonl$/, '');
        if (!want(lang, relation) || !templates.has(relation)) continue;
        (data[lang] ??= {})[relation] = { templates: templates.get(relation)!, triples: triples(path.join(dir, lang, f)) };
      }
    }
  } else {
    for (const lang of fs.readdirSync(path.join(dir, 'patterns')).sort()) {
      if (!want(lang) || !isDir(path.join(dir, 'tuples', lang))) continue;
      for (const f of relationFiles(path.join(dir, 'patterns', lang))) {
        const relation = f.replace(/\.jsonl$/, '');
        const tuplesFile = path.join(dir, 'tuples', lang, f);
        if (!want(lang, relation) || !fs.existsSync(tuplesFile)) continue;
        const patternsFile = path.join(dir, 'patterns', lang, f);
        const templates = jsonl(patternsFile).map((p, i) => {
          if (typeof p.pattern !== 'string') throw new KnError(`${patternsFile}:${i + 1}: a pattern line needs "pattern"`, { file: patternsFile, line: i });
          return p.pattern;
        });
        (data[lang] ??= {})[relation] = { templates, triples: triples(tuplesFile) };
      }
    }
  }
  return importMultilingual(data, format === 'mlama' ? 'mLAMA' : 'mPARAREL', opts);
}

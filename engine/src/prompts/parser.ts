/**
 * Parser of the `.prompts` format (grammar: docs/prompts-format.md). Line based, never throws,
 * every range lies inside the document. No VS Code dependency.
 */
import { Dataset, DatasetSettings, Diagnostic, Directive, DirectiveName, Fact, Fix, ParseOptions, Prompt, Range, Severity } from './types';
import { DEVICES, WEIGHT_STORAGES } from '../types';
import { MAX_STEPS, MIN_STEPS } from '../quadrature';
import { NOT_TAGS, checkTag, nearest } from './languages';

export const FORMAT_VERSION = 1;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const MASK = '<mask>';

type Kind = 'int' | 'number' | 'string' | 'enum';
interface DirectiveSpec {
  kind: Kind;
  /** Expected-value phrase for messages. */
  expect: string;
  /** What it sets (hover, completion; docs/prompts-format.md says the same). */
  about: string;
  check?: (n: number) => boolean;
  values?: readonly string[];
}

export const DIRECTIVES: Readonly<Record<DirectiveName, DirectiveSpec>> = {
  version: { kind: 'int', expect: 'a format version (1)', check: (n) => n >= 1, about: 'The format version; the first line of the file.' },
  model: {
    kind: 'string',
    expect: 'a model folder or a Hugging Face hub id',
    about: 'The model: a folder (relative to this file) or a hub id. Wins over the `knowledgeNeurons.model` setting.',
  },
  steps: {
    kind: 'int',
    expect: `a whole number from ${MIN_STEPS} to ${MAX_STEPS}`,
    check: (n) => n >= MIN_STEPS && n <= MAX_STEPS,
    about: 'Integrated-gradient steps (default 20).',
  },
  threshold: {
    kind: 'number',
    expect: 'a fraction of the top score, 0 < t ≤ 1',
    check: (n) => n > 0 && n <= 1,
    about: "Adaptive coarse rule: neurons scoring above t × the prompt's top score (default 0.3).",
  },
  percentile: {
    kind: 'number',
    expect: 'a percentile, 0 < p < 100',
    check: (n) => n > 0 && n < 100,
    about: "Coarse rule: neurons above this percentile of the prompt's scores.",
  },
  'abs-threshold': { kind: 'number', expect: 'a score ≥ 0', check: (n) => n >= 0, about: 'Coarse rule: neurons scoring above this value.' },
  p: {
    kind: 'number',
    expect: 'a sharing fraction, 0 ≤ p < 1',
    check: (n) => n >= 0 && n < 1,
    about: "Refinement: neurons coarse in more than p × a group's prompts (default 0.5).",
  },
  'batch-size': {
    kind: 'int',
    expect: 'a whole number ≥ 1',
    check: (n) => n >= 1 && n <= 100000,
    about: 'Rows per integrated-gradients run (default: as many as memory allows).',
  },
  method: { kind: 'enum', expect: "'ig' or 'activation'", values: ['ig', 'activation'], about: 'Attribution method.' },
  device: {
    kind: 'enum',
    expect: "'auto', 'cuda', 'cpu' or 'webgpu'",
    values: DEVICES,
    about: 'Where the model runs (`webgpu` only on request). Wins over the `knowledgeNeurons.device` setting.',
  },
  quadrature: {
    kind: 'enum',
    expect: "'reference', 'midpoint' or 'gauss-legendre'",
    values: ['reference', 'midpoint', 'gauss-legendre'],
    about: 'Integration rule of integrated gradients.',
  },
  weights: {
    kind: 'enum',
    expect: "'float32', 'int16' or 'int8'",
    values: WEIGHT_STORAGES,
    about:
      'How the weight matrices are kept (`kn --weights`): `float32` (default); `int16` in half the memory (P within 5e-4 relative, ' +
      'scores within 2e-3 × max); `int8` in a quarter (P within 5e-2, scores within 0.15 × max, at least 18 of the 20 top neurons). ' +
      'Wins over the `knowledgeNeurons.weights` setting.',
  },
};
export const DIRECTIVE_NAMES = Object.keys(DIRECTIVES) as DirectiveName[];
const RULE_DIRECTIVES = new Set(['threshold', 'percentile', 'abs-threshold']);

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** `<mask>` written another way: `[MASK]`, `<MASK>`, `< mask >`, `{mask}`, and one letter off: `<mak>`, `<maks>`. */
const MASK_LIKE = /\[\s*([A-Za-z]{3,5})\s*\]|<\s*([A-Za-z]{3,5})\s*>|\{\s*([A-Za-z]{3,5})\s*\}/g;
function maskLike(word: string): boolean {
  return word.toLowerCase() === 'mask' || nearest(word, ['mask'], 1) !== undefined;
}
const PROMPT_TAG = /^\[([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\]/;
const ANSWER_TAG = /^([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?):(?=\s|$)/;

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff';
}

function rng(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** UTF-8 byte length without allocating. */
export function utf8Length(text: string, stopAbove = Infinity): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
    if (n > stopAbove) return n;
  }
  return n;
}

/** Position (line, UTF-16 character) of a string offset, counting LSP line breaks (\r\n, \r, \n). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 >= offset) break;
        i++;
      }
      line++;
      lineStart = i + 1;
    } else if (c === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.max(0, Math.min(offset, text.length) - lineStart) };
}

/** Reads a JSON-style double-quoted string starting at `s` (which holds `"`). */
function readQuoted(line: string, s: number): { value: string; end: number } | undefined {
  let i = s + 1;
  let out = '';
  while (i < line.length) {
    const c = line[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\' && i + 1 < line.length) {
      const e = line[i + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/' };
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      out += map[e] ?? e;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return undefined;
}

/** End of the content of a directive or header line: before a ` #` comment that is outside quotes. */
function contentEnd(line: string, from: number): number {
  let inQuote = false;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '#' && (i === from || isBlank(line[i - 1]))) return trimEnd(line, from, i);
  }
  return trimEnd(line, from, line.length);
}

function trimEnd(line: string, from: number, end: number): number {
  while (end > from && isBlank(line[end - 1])) end--;
  return end;
}

function skipBlanks(line: string, i: number, end = line.length): number {
  while (i < end && isBlank(line[i])) i++;
  return i;
}

class Parser {
  readonly ds: Dataset = { version: FORMAT_VERSION, directives: [], facts: [], diagnostics: [] };
  private fact: Fact | undefined;
  private factLines = new Map<string, number>();
  private directiveSeen = new Map<string, number>();
  private ruleSeen: string | undefined;
  private sawContent = false;

  constructor(private readonly options: ParseOptions) {}

  diag(range: Range, severity: Severity, code: string, message: string, fix?: Fix): void {
    const d: Diagnostic = { range, severity, code, message };
    if (fix) d.fix = fix;
    this.ds.diagnostics.push(d);
  }

  parseLines(lines: string[]): void {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const s = skipBlanks(line, 0);
      if (s >= line.length) continue;
      const c = line[s];
      if (c === '#') continue;
      if (c === '@') this.directive(i, line, s);
      else if (line.startsWith('fact', s) && (s + 4 === line.length || isBlank(line[s + 4]))) this.header(i, line, s);
      else this.prompt(i, line, s);
      this.sawContent = true;
    }
    this.closeFact();
  }

  private directive(ln: number, line: string, s: number): void {
    const end = contentEnd(line, s);
    let i = s + 1;
    while (i < end && /[A-Za-z0-9_-]/.test(line[i])) i++;
    const written = line.slice(s + 1, i);
    const nameRange = rng(ln, s, i);
    const vs = skipBlanks(line, i, end);
    const valueRange = rng(ln, vs, Math.max(vs, end));
    let raw = line.slice(vs, Math.max(vs, end));
    const range = rng(ln, s, Math.max(i, end));
    const d: Directive = { name: written, value: null, raw, range, nameRange, valueRange, ok: false };
    this.ds.directives.push(d);

    if (i < end && !isBlank(line[i]) && vs === i) {
      // e.g. "@steps=20": a character that cannot be part of a name right after it
      this.diag(rng(ln, i, i + 1), Severity.Error, 'bad-directive', `expected a space after '@${written}'`, {
        title: `Insert a space after '@${written}'`,
        edits: [{ range: rng(ln, i, line[i] === '=' || line[i] === ':' ? i + 1 : i), newText: ' ' }],
      });
      return;
    }
    if (written === '') {
      this.diag(range, Severity.Error, 'unknown-directive', `expected a directive name after '@' (${DIRECTIVE_NAMES.map((n) => '@' + n).join(', ')})`);
      return;
    }
    const name = written as DirectiveName;
    const spec = Object.prototype.hasOwnProperty.call(DIRECTIVES, written) ? DIRECTIVES[name] : undefined;
    if (!spec) {
      const near = nearest(written, DIRECTIVE_NAMES);
      if (near) {
        this.diag(nameRange, Severity.Error, 'unknown-directive', `unknown directive '@${written}'; did you mean '@${near}'?`, {
          title: `Change to '@${near}'`,
          edits: [{ range: nameRange, newText: '@' + near }],
        });
      } else {
        this.diag(nameRange, Severity.Error, 'unknown-directive', `unknown directive '@${written}' (known: ${DIRECTIVE_NAMES.map((n) => '@' + n).join(', ')})`);
      }
      return;
    }
    if (raw.startsWith('"')) {
      const q = readQuoted(line, vs);
      if (!q || q.end !== end) {
        this.diag(
          valueRange,
          Severity.Error,
          'bad-directive-value',
          q ? `unexpected text after the quoted value of '@${name}'` : `unterminated quoted value for '@${name}'`,
        );
        return;
      }
      raw = q.value;
      d.raw = raw;
    }
    if (raw === '') {
      this.diag(range, Severity.Error, 'missing-directive-value', `'@${name}' needs a value: ${spec.expect}`);
      return;
    }
    let value: string | number;
    if (spec.kind === 'int' || spec.kind === 'number') {
      const n = NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)) || (spec.check && !spec.check(n))) {
        this.diag(valueRange, Severity.Error, 'bad-directive-value', `bad value '${raw}' for '@${name}': expected ${spec.expect}`);
        return;
      }
      value = n;
    } else if (spec.kind === 'enum') {
      const values = spec.values ?? [];
      if (!values.includes(raw)) {
        const near = nearest(raw, values, Math.max(2, Math.floor(raw.length / 2)));
        this.diag(
          valueRange,
          Severity.Error,
          'bad-directive-value',
          `bad value '${raw}' for '@${name}': expected ${spec.expect}`,
          near ? { title: `Change to '${near}'`, edits: [{ range: valueRange, newText: near }] } : undefined,
        );
        return;
      }
      value = raw;
    } else {
      value = raw;
    }
    if (name === 'version') {
      if (value !== FORMAT_VERSION) {
        this.diag(
          valueRange,
          Severity.Error,
          'unsupported-version',
          `unsupported format version ${value}: this version of the extension reads version ${FORMAT_VERSION}`,
        );
        return;
      }
      if (this.sawContent) {
        this.diag(range, Severity.Warning, 'version-not-first', `'@version' should be the first line of the file`);
      }
      this.ds.version = value as number;
    }
    d.value = value;
    d.ok = true;
    if (this.fact) {
      this.diag(range, Severity.Warning, 'directive-after-fact', `directives apply to the whole file; move '@${name}' above the first fact`);
    }
    const prev = this.directiveSeen.get(name);
    if (prev !== undefined) {
      this.diag(nameRange, Severity.Warning, 'duplicate-directive', `'@${name}' is already set on line ${prev + 1}; the last one wins`);
    }
    this.directiveSeen.set(name, ln);
    if (RULE_DIRECTIVES.has(name)) {
      if (this.ruleSeen && this.ruleSeen !== name) {
        this.diag(nameRange, Severity.Warning, 'conflicting-rule', `'@${name}' replaces '@${this.ruleSeen}': only one coarse rule applies (the last one)`);
      }
      this.ruleSeen = name;
    }
  }

  private closeFact(): void {
    const f = this.fact;
    if (f && f.prompts.length === 0 && f.name !== '') {
      this.diag(f.nameRange, Severity.Warning, 'empty-fact', `fact '${f.name}' has no prompts`);
    }
    this.fact = undefined;
  }

  private header(ln: number, line: string, s: number): void {
    this.closeFact();
    const end = contentEnd(line, s);
    const headerRange = rng(ln, s, Math.max(end, s + 4));
    const ns = skipBlanks(line, s + 4, end);
    let arrow = -1;
    // find "->" outside quotes
    for (let i = ns, inQuote = false; i + 1 < end; i++) {
      const c = line[i];
      if (inQuote) {
        if (c === '\\') i++;
        else if (c === '"') inQuote = false;
      } else if (c === '"') inQuote = true;
      else if (c === '-' && line[i + 1] === '>') {
        arrow = i;
        break;
      }
    }
    const nameEnd = arrow >= 0 ? trimEnd(line, ns, arrow) : end;
    const name = line.slice(ns, nameEnd);
    const nameRange = rng(ln, ns, Math.max(ns, nameEnd));
    const fact: Fact = {
      name,
      nameRange,
      answers: {},
      answerRange: rng(ln, end, end),
      answerRanges: {},
      headerRange,
      prompts: [],
      ok: true,
    };
    this.fact = fact;
    this.ds.facts.push(fact);

    if (name === '') {
      fact.ok = false;
      this.diag(headerRange, Severity.Error, 'missing-fact-name', `a fact needs a name: 'fact capital-of-france -> Paris'`);
    } else if (/\s/.test(name)) {
      fact.ok = false;
      if (arrow < 0) {
        // "fact capital of france" — probably a missing arrow
      }
      const fixed = name.split(/\s+/).join('-');
      this.diag(nameRange, Severity.Error, 'bad-fact-name', `a fact name cannot contain spaces: write '${fixed}'`, {
        title: `Change to '${fixed}'`,
        edits: [{ range: nameRange, newText: fixed }],
      });
    } else {
      const first = this.factLines.get(name);
      if (first !== undefined) {
        fact.ok = false;
        this.diag(nameRange, Severity.Error, 'duplicate-fact', `duplicate fact name '${name}' (first defined on line ${first + 1})`);
      } else this.factLines.set(name, ln);
    }

    if (arrow < 0) {
      fact.ok = false;
      fact.answerRange = rng(ln, end, end);
      this.diag(headerRange, Severity.Error, 'missing-answer', `fact '${name}' has no answer: write 'fact ${name || 'name'} -> answer'`);
      return;
    }
    const as = skipBlanks(line, arrow + 2, end);
    fact.answerRange = rng(ln, as, Math.max(as, end));
    if (as >= end) {
      fact.ok = false;
      this.diag(rng(ln, arrow, arrow + 2), Severity.Error, 'missing-answer', `fact '${name}' has no answer after '->'`);
      return;
    }
    if (!this.answers(ln, line, as, end, fact)) fact.ok = false;
  }

  /** Parses `Paris` or `en: French | fr: français` (optionally one untagged default and quoted texts). */
  private answers(ln: number, line: string, as: number, end: number, fact: Fact): boolean {
    const segments: Array<[number, number]> = [];
    let segStart = as;
    for (let i = as, inQuote = false; i < end; i++) {
      const c = line[i];
      if (inQuote) {
        if (c === '\\') i++;
        else if (c === '"') inQuote = false;
      } else if (c === '"') inQuote = true;
      else if (c === '|') {
        segments.push([segStart, i]);
        segStart = i + 1;
      }
    }
    segments.push([segStart, end]);
    let ok = true;
    let untagged = 0;
    for (const [a, b] of segments) {
      let s = skipBlanks(line, a, b);
      const e = trimEnd(line, s, b);
      const seg = line.slice(s, e);
      let lang = '';
      const m = ANSWER_TAG.exec(seg);
      if (m) {
        const check = checkTag(m[1]);
        const tagRange = rng(ln, s, s + m[1].length);
        lang = check.tag;
        if (!check.ok) this.tagDiag(check, m[1], tagRange);
        s = skipBlanks(line, s + m[0].length, e);
      } else {
        untagged++;
      }
      const textRange = rng(ln, s, Math.max(s, e));
      let text = line.slice(s, e);
      if (text.startsWith('"')) {
        const q = readQuoted(line, s);
        if (!q || q.end !== e) {
          ok = false;
          this.diag(textRange, Severity.Error, 'bad-answer', q ? 'unexpected text after a quoted answer' : 'unterminated quoted answer');
          continue;
        }
        text = q.value;
      }
      if (text.trim() === '') {
        ok = false;
        this.diag(
          segments.length > 1 ? rng(ln, Math.min(a, b), b) : fact.answerRange,
          Severity.Error,
          'missing-answer',
          lang ? `empty answer for '${lang}'` : `empty answer in fact '${fact.name}'`,
        );
        continue;
      }
      const mm = /<mask>|\[mask\]/i.exec(text);
      if (mm) {
        ok = false;
        this.diag(textRange, Severity.Error, 'mask-in-answer', `an answer cannot contain '${mm[0]}': the mask goes in the prompts`);
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(fact.answers, lang)) {
        ok = false;
        this.diag(
          textRange,
          Severity.Error,
          'duplicate-answer',
          lang ? `two answers for '${lang}'` : `several answers without a language tag: write 'en: French | fr: français'`,
        );
        continue;
      }
      fact.answers[lang] = text;
      fact.answerRanges[lang] = textRange;
    }
    if (untagged > 1) ok = false;
    return ok;
  }

  private tagDiag(check: Exclude<ReturnType<typeof checkTag>, { ok: true }>, written: string, range: Range): void {
    if (check.reason === 'case') {
      this.diag(range, Severity.Warning, 'language-case', `language tags are lowercase: write '${check.tag}'`, {
        title: `Change to '${check.tag}'`,
        edits: [{ range, newText: check.tag }],
      });
    } else if (check.suggestion) {
      this.diag(range, Severity.Warning, 'unknown-language', `unknown language tag '${written}'; did you mean '${check.suggestion}'?`, {
        title: `Change to '${check.suggestion}'`,
        edits: [{ range, newText: check.suggestion }],
      });
    } else {
      this.diag(range, Severity.Warning, 'unknown-language', `unknown language tag '${written}'`);
    }
  }

  private prompt(ln: number, line: string, s: number): void {
    const end = trimEnd(line, s, line.length);
    const lineRange = rng(ln, s, end);
    let p = s;
    let negative = false;
    let lang = '';
    let tagRange: Range | undefined;
    let tagProblem = false;
    if (line[p] === '\\') p++;
    else {
      for (let k = 0; k < 2; k++) {
        if (!negative && line.startsWith('not:', p)) {
          negative = true;
          p = skipBlanks(line, p + 4, end);
          continue;
        }
        if (!tagRange && line[p] === '[') {
          const m = PROMPT_TAG.exec(line.slice(p, Math.min(end, p + 16)));
          if (m && !NOT_TAGS.has(m[1].toLowerCase())) {
            tagRange = rng(ln, p + 1, p + 1 + m[1].length);
            const check = checkTag(m[1]);
            lang = check.tag;
            if (!check.ok) {
              this.tagDiag(check, m[1], tagRange);
              tagProblem = check.reason === 'unknown';
            }
            p = skipBlanks(line, p + m[0].length, end);
            continue;
          }
        }
        break;
      }
      if (line[p] === '\\') p++;
    }
    const text = line.slice(p, Math.max(p, end));
    const range = rng(ln, p, Math.max(p, end));
    const prompt: Prompt = {
      text,
      lang,
      range,
      lineRange,
      maskRange: rng(ln, Math.max(p, end), Math.max(p, end)),
      hasMask: false,
      negative,
      ok: !tagProblem,
    };
    if (tagRange) prompt.tagRange = tagRange;

    if (text === '') {
      this.diag(lineRange, Severity.Error, 'empty-prompt', 'empty prompt');
      return;
    }
    // "Fact x -> y", "fcat x -> y": a misspelt header rather than a prompt
    const kw = !negative && !tagRange && !/<\s*mask\s*>|\[\s*mask\s*\]/i.test(text) ? /^(\S+)\s+\S+\s*->/.exec(text) : null;
    if (kw && nearest(kw[1], ['fact'], 1)) {
      const r = rng(ln, p, p + kw[1].length);
      this.diag(r, Severity.Error, 'unknown-keyword', `unknown keyword '${kw[1]}'; did you mean 'fact'?`, {
        title: "Change to 'fact'",
        edits: [{ range: r, newText: 'fact' }],
      });
      return;
    }
    const fact = this.fact;
    if (!fact) {
      this.diag(lineRange, Severity.Error, 'prompt-outside-fact', `prompt outside any fact: start a fact above it with 'fact name -> answer'`);
      return;
    }
    fact.prompts.push(prompt);

    // masks
    let masks = 0;
    let first: Range | undefined;
    let idx = text.indexOf(MASK);
    while (idx >= 0) {
      masks++;
      const r = rng(ln, p + idx, p + idx + MASK.length);
      if (!first) first = r;
      if (masks === 2) {
        this.diag(r, Severity.Error, 'multiple-masks', `a prompt has exactly one <mask>; this one has ${countOf(text, MASK)}`);
        prompt.ok = false;
      }
      idx = text.indexOf(MASK, idx + MASK.length);
    }
    MASK_LIKE.lastIndex = 0;
    let lookalikes = 0;
    for (let m = MASK_LIKE.exec(text); m; m = MASK_LIKE.exec(text)) {
      if (m[0] === MASK || !maskLike(m[1] ?? m[2] ?? m[3])) continue;
      lookalikes++;
      const r = rng(ln, p + m.index, p + m.index + m[0].length);
      if (!first) first = r;
      prompt.ok = false;
      this.diag(r, Severity.Error, 'mask-spelling', `write the mask as '<mask>', not '${m[0]}'`, {
        title: `Replace '${m[0]}' with '<mask>'`,
        edits: [{ range: r, newText: MASK }],
      });
    }
    if (first) {
      prompt.maskRange = first;
      prompt.hasMask = masks > 0;
    }
    if (masks < 2 && masks + lookalikes > 1) {
      this.diag(lineRange, Severity.Error, 'multiple-masks', `a prompt has exactly one <mask>; this one has ${masks + lookalikes}`);
    }
    if (masks === 0 && lookalikes === 0 && !this.options.causal && !this.options.kindUnknown) {
      prompt.ok = false;
      // the answer written where the mask belongs ("Spain's capital city is Madrid.")
      const answer = answerFor(fact, lang);
      const at = answer ? wordAt(text, answer) : -1;
      const fix =
        at >= 0
          ? {
              title: `Replace '${text.slice(at, at + answer!.length)}' with <mask>`,
              edits: [{ range: rng(ln, p + at, p + at + answer!.length), newText: MASK }],
            }
          : undefined;
      this.diag(range, Severity.Error, 'no-mask', 'prompt has no <mask>: mark where the answer goes', fix);
    }
    if (this.options.causal && masks === 1 && first && text.slice(first.end.character - p).trim() !== '') {
      prompt.ok = false;
      this.diag(first, Severity.Error, 'mask-not-at-end', 'the model is causal: the prompt must end at <mask> (it predicts the answer after the prompt)');
    }

    // answer
    const keys = Object.keys(fact.answers);
    if (keys.length > 0) {
      const answer = answerFor(fact, lang);
      if (answer === undefined) {
        prompt.ok = false;
        const listed = keys.filter((k) => k !== '').join(', ');
        if (lang === '') {
          this.diag(
            lineRange,
            Severity.Error,
            'untagged-prompt',
            `fact '${fact.name}' has an answer per language (${listed}): tag this prompt, e.g. '[${keys[0]}] …'`,
          );
        } else if (!tagProblem) {
          this.diag(tagRange ?? lineRange, Severity.Error, 'no-answer-for-language', `fact '${fact.name}' has no answer for '${lang}' (answers: ${listed})`);
        }
      } else prompt.answer = answer;
    }
    if (!fact.ok) prompt.ok = false;
    if (prompt.answer === undefined) prompt.ok = false;
  }
}

/** A prompt's answer: its language's, its base language's (`pt` for `pt-br`), or the untagged one. */
function answerFor(fact: Fact, lang: string): string | undefined {
  return fact.answers[lang] ?? (lang.includes('-') ? fact.answers[lang.split('-')[0]] : undefined) ?? fact.answers[''];
}

/** Index of `word` in `text` as a whole word (exact case first, then any case), or -1. */
function wordAt(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const flags of ['u', 'iu']) {
    const m = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, flags).exec(text);
    if (m) return m.index;
  }
  return -1;
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Parses `.prompts` text. Never throws. */
export function parse(text: string, options: ParseOptions = {}): Dataset {
  const parser = new Parser(options);
  const ds = parser.ds;
  try {
    if (typeof text !== 'string') text = String(text ?? '');
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text, maxBytes) > maxBytes)) {
      const mb = (maxBytes / (1024 * 1024)).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1);
      parser.diag(rng(0, 0, 0), Severity.Error, 'too-large', `file is larger than ${mb} MB: not parsed`);
      return ds;
    }
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      const pos = positionAt(text, nul);
      parser.diag(
        rng(pos.line, pos.character, pos.character + 1),
        Severity.Error,
        'binary-content',
        'binary content (NUL byte): this is not a .prompts text file',
      );
      return ds;
    }
    parser.parseLines(text.split(/\r\n|\r|\n/));
  } catch (e) {
    ds.diagnostics.push({
      range: rng(0, 0, 0),
      severity: Severity.Error,
      code: 'internal-error',
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return ds;
}

/** File-level settings from the dataset's valid directives (last one wins). */
export function datasetSettings(ds: Dataset): DatasetSettings {
  const out: DatasetSettings = {};
  for (const d of ds.directives) {
    if (!d.ok || d.value === null) continue;
    switch (d.name) {
      case 'version':
        out.version = d.value as number;
        break;
      case 'model':
        out.model = d.value as string;
        break;
      case 'steps':
        out.steps = d.value as number;
        break;
      case 'threshold':
        out.threshold = d.value as number;
        out.rule = { kind: 'adaptive', value: d.value as number };
        break;
      case 'percentile':
        out.percentile = d.value as number;
        out.rule = { kind: 'percentile', value: d.value as number };
        break;
      case 'abs-threshold':
        out.absThreshold = d.value as number;
        out.rule = { kind: 'threshold', value: d.value as number };
        break;
      case 'p':
        out.p = d.value as number;
        break;
      case 'batch-size':
        out.batchSize = d.value as number;
        break;
      case 'method':
        out.method = d.value as DatasetSettings['method'];
        break;
      case 'device':
        out.device = d.value as DatasetSettings['device'];
        break;
      case 'quadrature':
        out.quadrature = d.value as DatasetSettings['quadrature'];
        break;
      case 'weights':
        out.weights = d.value as DatasetSettings['weights'];
        break;
    }
  }
  return out;
}

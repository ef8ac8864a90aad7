/**
 * Text ↔ token ids through @huggingface/tokenizers, plus what it does not give: character offsets
 * (aligned here, once, for every tokenizer family) and answers tokenized in context.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { KnError } from '../errors';
import type { TokenSpan } from '../types';

export const MASK = '<mask>';

export interface EncodedPrompt {
  ids: number[];
  tokens: TokenSpan[];
  /** Masked LMs: index of each mask (one per answer token); causal LMs: the last prompt token. */
  positions: number[];
  /** The answer's token ids, tokenized in context. */
  answerIds: number[];
}

export class PromptTokenizer {
  readonly maskId?: number;
  readonly maskToken?: string;
  readonly unkId?: number;
  private readonly tok: Tokenizer;

  constructor(dir: string, readonly kind: 'masked' | 'causal') {
    const file = path.join(dir, 'tokenizer.json');
    if (!fs.existsSync(file)) throw new KnError(`${dir}: tokenizer.json is missing (only fast tokenizers are supported)`, { file });
    const cfgFile = path.join(dir, 'tokenizer_config.json');
    const readJson = (f: string) => {
      try {
        const v = JSON.parse(fs.readFileSync(f, 'utf8'));
        if (v && typeof v === 'object' && !Array.isArray(v)) return v;
      } catch (e) {
        throw new KnError(`${f}: not valid JSON (${(e as Error).message})`, { file: f });
      }
      throw new KnError(`${f}: must be a JSON object`, { file: f });
    };
    const json = readJson(file);
    const cfg = fs.existsSync(cfgFile) ? readJson(cfgFile) : {};
    try {
      this.tok = new Tokenizer(withSupportedNormalizers(json), cfg);
      this.tok.encode('a');
    } catch (e) {
      throw new KnError(`${file}: not a usable tokenizer (${(e as Error).message})`, { file });
    }
    const special = (key: string): string | undefined => {
      const v = cfg[key];
      return typeof v === 'string' ? v : v && typeof v.content === 'string' ? v.content : undefined;
    };
    this.maskToken = special('mask_token');
    this.maskId = this.maskToken !== undefined ? this.tok.token_to_id(this.maskToken) : undefined;
    const unk = special('unk_token') ?? json.model?.unk_token;
    this.unkId = unk !== undefined ? this.tok.token_to_id(unk) : undefined;
    if (kind === 'masked' && this.maskId === undefined)
      throw new KnError(`${cfgFile}: the tokenizer has no mask token, which a masked language model needs`, { file: cfgFile });
  }

  idToToken(id: number): string {
    return this.tok.id_to_token(id) ?? `<${id}>`;
  }

  decode(ids: number[]): string {
    return this.tok.decode(ids, { skip_special_tokens: false });
  }

  encode(text: string): number[] {
    return this.tok.encode(text).ids;
  }

  /**
   * Tokenizes a prompt written with `<mask>` and the answer in its place. Masked LMs get one mask
   * per answer token; causal LMs stop where the answer begins (a trailing `<mask>` is optional).
   */
  encodePrompt(prompt: string, answer: string): EncodedPrompt {
    if (!answer.trim()) throw new KnError('the answer is empty');
    const count = prompt.split(MASK).length - 1;
    let withAnswer: string;
    let before: string;
    let after = '';
    if (this.kind === 'masked') {
      if (count !== 1) throw new KnError(count === 0 ? `the prompt has no ${MASK}` : `the prompt has ${count} ${MASK} tokens; write exactly one`);
      [before, after] = prompt.split(MASK);
      withAnswer = before + answer + after;
    } else {
      if (count > 1 || (count === 1 && prompt.slice(prompt.indexOf(MASK) + MASK.length).trim()))
        throw new KnError(`a causal model predicts what follows the prompt: ${MASK} may only stand at its end`);
      before = count ? prompt.slice(0, prompt.indexOf(MASK)) : prompt;
      withAnswer = count || /\s$/.test(before) ? before + answer : `${before} ${answer}`;
      before = before.replace(/\s+$/, '');
    }
    const full = this.encode(withAnswer);
    // The answer's ids are what the full encoding has between the tokens of the text around it.
    const context = this.kind === 'masked' ? this.encode(before + this.maskToken + after) : this.encode(before);
    const m = this.kind === 'masked' ? context.indexOf(this.maskId!) : context.length;
    const p = commonPrefix(context.slice(0, m), full);
    const answerIds = full.slice(p, full.length - Math.min(commonSuffix(context.slice(m + 1), full), full.length - p - 1));
    if (!answerIds.length) throw new KnError(`the answer '${answer}' vanished when tokenized in context`);
    if (this.unkId !== undefined && answerIds.includes(this.unkId)) throw new KnError(`the answer '${answer}' is unknown to the model's vocabulary`);
    if (this.kind === 'masked') {
      const ids = [...context.slice(0, m), ...Array(answerIds.length).fill(this.maskId), ...context.slice(m + 1)];
      const positions = answerIds.map((_, j) => m + j);
      if (ids.filter((id) => id === this.maskId).length !== answerIds.length)
        throw new KnError(`the prompt contains the model's own mask token ${this.maskToken}; write the mask once, as ${MASK}`);
      return { ids, tokens: this.align(before + MASK + after, ids, positions), positions, answerIds };
    }
    return { ids: context, tokens: this.align(before, context, []), positions: [context.length - 1], answerIds };
  }

  private isSpecial(id: number): boolean {
    return this.tok.get_added_tokens_decoder().get(id)?.special ?? false;
  }

  /** Character spans of tokens in `text` (`<mask>` covers each mask token). Unmatched tokens get an empty span at the cursor. */
  align(text: string, ids: number[], maskPositions: number[]): TokenSpan[] {
    const maskAt = text.indexOf(MASK);
    const spans: TokenSpan[] = [];
    let cursor = 0;
    const folded = fold(text);
    for (let i = 0; i < ids.length; i++) {
      const token = this.idToToken(ids[i]);
      if (maskPositions.includes(i) && maskAt >= 0) {
        spans.push({ id: ids[i], token, start: maskAt, end: maskAt + MASK.length });
        cursor = maskAt + MASK.length;
        continue;
      }
      if (this.isSpecial(ids[i])) {
        spans.push({ id: ids[i], token, start: cursor, end: cursor });
        continue;
      }
      const surface = fold(surfaceOf(token));
      const at = surface ? folded.indexOf(surface, cursor) : -1;
      if (at >= 0 && folded.slice(cursor, at).trim() === '') {
        spans.push({ id: ids[i], token, start: at, end: at + surface.length });
        cursor = at + surface.length;
      } else {
        spans.push({ id: ids[i], token, start: cursor, end: cursor });
      }
    }
    return spans;
  }
}

/**
 * @huggingface/tokenizers (JS) lacks SentencePiece's `Nmt` normalizer (XLM-R); it is rewritten as
 * the two regex replacements it amounts to: drop control characters, map odd spaces to ' '.
 */
function withSupportedNormalizers(json: any): any {
  const rewrite = (n: any): any => {
    if (!n || typeof n !== 'object') return n;
    if (n.type === 'Nmt')
      return {
        type: 'Sequence',
        normalizers: [
          { type: 'Replace', pattern: { Regex: '[\\u0001-\\u0008\\u000B\\u000E-\\u001F\\u007F\\u008F\\u009F]' }, content: '' },
          { type: 'Replace', pattern: { Regex: '[\\u0009\\u000A\\u000C\\u000D\\u1680\\u200B-\\u200F\\u2028\\u2029\\u2581\\uFEFF\\uFFFD]' }, content: ' ' },
        ],
      };
    if (n.type === 'Sequence') return { ...n, normalizers: n.normalizers.map(rewrite) };
    return n;
  };
  return { ...json, normalizer: rewrite(json.normalizer) };
}

/** The text a vocabulary piece stands for: WordPiece `##`, SentencePiece `▁`, byte-level `Ġ` undone. */
function surfaceOf(token: string): string {
  if (token.startsWith('##')) return token.slice(2);
  if (/^<0x[0-9A-F]{2}>$/.test(token)) return '';
  const bytes = byteLevelDecode(token);
  return (bytes ?? token).replace(/\u2581/g, ' ').trim();
}

let byteDecoder: Map<string, number> | undefined;
function byteLevelDecode(token: string): string | undefined {
  if (!byteDecoder) {
    byteDecoder = new Map();
    const bs: number[] = [];
    for (let b = 33; b <= 126; b++) bs.push(b);
    for (let b = 161; b <= 172; b++) bs.push(b);
    for (let b = 174; b <= 255; b++) bs.push(b);
    let n = 0;
    for (let b = 0; b < 256; b++) {
      if (bs.includes(b)) byteDecoder.set(String.fromCharCode(b), b);
      else byteDecoder.set(String.fromCharCode(256 + n++), b);
    }
  }
  if (![...token].some((c) => c.charCodeAt(0) >= 256)) return undefined;
  const bytes: number[] = [];
  for (const c of token) {
    const b = byteDecoder.get(c);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Case and accent folding, one UTF-16 unit for one, so uncased tokenizers still align to the original offsets. */
function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s[i].normalize('NFD').charAt(0).toLowerCase().charAt(0) || s[i];
  return out;
}

function commonPrefix(a: number[], b: number[]): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  return p;
}

function commonSuffix(a: number[], b: number[]): number {
  let s = 0;
  while (s < a.length && s < b.length && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return s;
}

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
  /** Byte-level BPE (GPT-2): every vocabulary piece spells bytes. */
  private readonly byteLevel: boolean;
  private readonly wordPiece: boolean;

  constructor(
    dir: string,
    readonly kind: 'masked' | 'causal',
  ) {
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
    const cfg = fs.existsSync(cfgFile) ? readJson(cfgFile) : {};
    let json: any;
    try {
      json = withSupportedNormalizers(readJson(file));
      this.tok = new Tokenizer(json, cfg);
      this.tok.encode('a');
    } catch (e) {
      if (e instanceof KnError) throw e;
      throw new KnError(`${file}: not a usable tokenizer (${(e as Error).message})`, { file });
    }
    this.byteLevel = hasStep(json.pre_tokenizer, 'ByteLevel') || hasStep(json.decoder, 'ByteLevel');
    this.wordPiece = json.model?.type === 'WordPiece';
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

  /**
   * Character spans of tokens in `text` (`<mask>` covers each mask token). Tokens are matched in
   * order against the text (case- and accent-folded); byte pieces of one character (byte-level BPE,
   * `<0xNN>` byte fallback) share that character's span. A token that matches nothing, such as the
   * unknown token, gets the text between its matched neighbours, shared out word by word (or
   * character by character) when several fall in one gap. Special and blank tokens are empty spans.
   */
  align(text: string, ids: number[], maskPositions: number[]): TokenSpan[] {
    const maskAt = text.indexOf(MASK);
    const folded = fold(text);
    const spans: TokenSpan[] = ids.map((id) => ({ id, token: this.idToToken(id), start: 0, end: 0 }));
    /** Tokens after the last matched one: unmatched (they share the gap) or empty (they keep their place). */
    let pending: { span: TokenSpan; empty: boolean }[] = [];
    let cursor = 0;
    const settle = (gapEnd: number) => {
      shareGap(text, cursor, gapEnd, pending);
      pending = [];
    };
    for (let i = 0; i < ids.length; i++) {
      let surface: string | undefined;
      let count = 1;
      let at = -1;
      if (maskPositions.includes(i) && maskAt >= 0) {
        surface = MASK;
        at = maskAt;
      } else if (ids[i] === this.unkId) surface = undefined;
      else if (this.isSpecial(ids[i])) surface = '';
      else {
        const piece = this.surface(ids, i);
        count = piece.tokens;
        surface = piece.text === undefined ? undefined : fold(piece.text.replace(/\u2581/g, ' ').trim());
        if (surface)
          at = findFrom(
            folded,
            surface,
            cursor,
            pending.some((t) => !t.empty),
            this.beginsWord(spans[i].token),
          );
      }
      const group = spans.slice(i, i + count);
      i += count - 1;
      if (at < 0) {
        for (const span of group) pending.push({ span, empty: surface === '' });
        continue;
      }
      settle(at);
      for (const span of group) Object.assign(span, { start: at, end: at + surface!.length });
      cursor = at + surface!.length;
    }
    settle(text.length);
    return spans;
  }

  /**
   * The text that token i stands for (undefined when its bytes are no whole character). Byte pieces
   * that end inside a UTF-8 character are read with the pieces after them up to the character's end.
   */
  private surface(ids: number[], i: number): { text: string | undefined; tokens: number } {
    const token = this.idToToken(ids[i]);
    if (!this.byteLevel && !BYTE_FALLBACK.test(token)) return { text: token.startsWith('##') ? token.slice(2) : token, tokens: 1 };
    const bytes: number[] = [];
    for (let j = i; j < ids.length && j < i + 4 && !this.isSpecial(ids[j]); j++) {
      const b = this.tokenBytes(this.idToToken(ids[j]));
      if (!b) break;
      bytes.push(...b);
      if (utf8Complete(bytes)) return { text: Buffer.from(bytes).toString('utf8'), tokens: j - i + 1 };
    }
    return bytes.length ? { text: undefined, tokens: 1 } : { text: token, tokens: 1 };
  }

  /** Whether a piece starts a word: WordPiece pieces but `##…`, SentencePiece `▁…`, byte-level `Ġ…`. */
  private beginsWord(token: string): boolean {
    return this.wordPiece ? !token.startsWith('##') : /^[\u2581\u0120]/.test(token);
  }

  /** The bytes of a byte-fallback piece (`<0xE2>`) or of a byte-level BPE piece (`Ġcapital`, `â`); undefined for others. */
  private tokenBytes(token: string): number[] | undefined {
    const fallback = BYTE_FALLBACK.exec(token);
    if (fallback) return [parseInt(fallback[1], 16)];
    return this.byteLevel ? byteLevelBytes(token) : undefined;
  }
}

const BYTE_FALLBACK = /^<0x([0-9A-F]{2})>$/;

/** Whether a tokenizer.json component (normalizer, pre-tokenizer, decoder), or a step of its Sequence, has this type. */
function hasStep(component: any, type: string): boolean {
  if (!component || typeof component !== 'object') return false;
  if (component.type === type) return true;
  const steps = component.pretokenizers ?? component.decoders ?? component.normalizers;
  return Array.isArray(steps) && steps.some((c: unknown) => hasStep(c, type));
}

/**
 * Where `surface` occurs from `cursor` on: after blanks only, or, when unmatched tokens wait for the
 * text before it, after some text (at a word start, if the token begins a word).
 */
function findFrom(folded: string, surface: string, cursor: number, afterGap: boolean, initial: boolean): number {
  const first = folded.indexOf(surface, cursor);
  if (first < 0 || !afterGap) return first >= 0 && folded.slice(cursor, first).trim() === '' ? first : -1;
  for (let at = first; at >= 0; at = folded.indexOf(surface, at + 1))
    if (folded.slice(cursor, at).trim() !== '' && (!initial || wordBoundary(folded, at))) return at;
  return first;
}

function wordBoundary(s: string, at: number): boolean {
  return at === 0 || /[\s\p{P}\p{S}]/u.test(s[at - 1]) || /[\p{P}\p{S}]/u.test(s[at]);
}

/**
 * Gives the text of [from, to), blanks trimmed, to the tokens that matched nothing: as many pieces
 * as tokens, cut at blanks, else also at punctuation (as WordPiece's pre-tokenizer cuts), else into
 * characters; with more pieces than tokens the last token takes the rest, with fewer they share
 * pieces in order. Empty tokens sit where the token before them ends.
 */
function shareGap(text: string, from: number, to: number, pending: { span: TokenSpan; empty: boolean }[]): void {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  const unmatched = pending.filter((t) => !t.empty).length;
  const cut = (re: RegExp) => [...text.slice(from, to).matchAll(re)].map((m) => [from + m.index!, from + m.index! + m[0].length]);
  const levels = [cut(/\S+/g), cut(/[\p{P}\p{S}]|[^\s\p{P}\p{S}]+/gu), cut(/\S/gu)];
  const parts = levels.find((l) => l.length === unmatched) ?? levels.find((l) => l.length > unmatched) ?? levels[2];
  let j = 0;
  let end = from;
  for (const { span, empty } of pending) {
    if (empty || !parts.length) {
      Object.assign(span, { start: end, end });
      continue;
    }
    const [start, stop] =
      parts.length >= unmatched
        ? [parts[j][0], j === unmatched - 1 ? parts[parts.length - 1][1] : parts[j][1]]
        : parts[Math.floor((j * parts.length) / unmatched)];
    Object.assign(span, { start, end: stop });
    end = stop;
    j++;
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

let byteDecoder: Map<string, number> | undefined;
function byteLevelBytes(token: string): number[] | undefined {
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
  const bytes: number[] = [];
  for (const c of token) {
    const b = byteDecoder.get(c);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return bytes;
}

/** Whether a byte sequence ends on a UTF-8 character boundary (and is valid). */
function utf8Complete(bytes: number[]): boolean {
  let need = 0;
  for (const b of bytes) {
    if (need) {
      if ((b & 0xc0) !== 0x80) return false;
      need--;
    } else if (b >= 0xf0 && b < 0xf8) need = 3;
    else if (b >= 0xe0) need = b < 0xf0 ? 2 : -1;
    else if (b >= 0xc2) need = 1;
    else if (b >= 0x80) return false;
    if (need < 0) return false;
  }
  return need === 0;
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

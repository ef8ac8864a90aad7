/** Language tags the `.prompts` format knows: ISO 639-1 codes plus a few common ISO 639-3 ones. */
export const KNOWN_LANGUAGES: ReadonlySet<string> = new Set(
  (
    'af am ar as az be bg bn bo br bs ca cs cy da de dv el en eo es et eu fa fi fo fr fy ga gd gl gu ' +
    'ha he hi hr ht hu hy id ig is it ja jv ka kk km kn ko ku ky la lb lo lt lv mg mi mk ml mn mr ms mt ' +
    'my nb ne nl nn no oc or pa pl ps pt qu rm ro ru rw sa sd si sk sl sm sn so sq sr st su sv sw ta te tg ' +
    'th ti tk tl tn to tr tt ug uk ur uz vi wo xh yi yo zh zu ' +
    'ast ceb fil haw hmn yue wuu nan arz ckb kab lij lmo nap nds scn vec war'
  ).split(/\s+/),
);

/** Three-letter codes people write for languages that have a two-letter code. */
const THREE_LETTER: Record<string, string> = {
  eng: 'en',
  fra: 'fr',
  fre: 'fr',
  deu: 'de',
  ger: 'de',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  dut: 'nl',
  rus: 'ru',
  zho: 'zh',
  chi: 'zh',
  jpn: 'ja',
  kor: 'ko',
  ara: 'ar',
  swe: 'sv',
  nor: 'no',
  dan: 'da',
  fin: 'fi',
  pol: 'pl',
  ces: 'cs',
  cze: 'cs',
  tur: 'tr',
  ukr: 'uk',
  ell: 'el',
  gre: 'el',
  heb: 'he',
  hin: 'hi',
  vie: 'vi',
};

/** Tag shape: 2–3 letters, optionally one `-`/`_` subtag of 2–8 letters or digits (`pt-br`, `zh-hans`). */
export const TAG_SHAPE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/;

/** Bracketed words that look like tags but are model special tokens. */
export const NOT_TAGS: ReadonlySet<string> = new Set(['cls', 'sep', 'unk', 'pad', 'eos', 'bos', 's']);

export type TagCheck = { ok: true; tag: string } | { ok: false; tag: string; reason: 'case' | 'unknown'; suggestion?: string };

/** Checks a tag written in a document: lowercase, base language known. */
export function checkTag(written: string): TagCheck {
  const lower = written.toLowerCase().replace('_', '-');
  const base = lower.split('-')[0];
  if (!KNOWN_LANGUAGES.has(base)) {
    const two = THREE_LETTER[base];
    const suggestion = two ? lower.replace(base, two) : undefined;
    return { ok: false, tag: lower, reason: 'unknown', suggestion };
  }
  if (written !== lower) return { ok: false, tag: lower, reason: 'case', suggestion: lower };
  return { ok: true, tag: lower };
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // transposition (Damerau, adjacent swap) keeps "stpes" → "steps" at distance 1
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

function swapDistance(a: string, b: string): number {
  if (a.length === b.length && a.length >= 2) {
    for (let i = 0; i + 1 < a.length; i++) {
      if (a[i] !== b[i]) {
        if (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) return 1;
        break;
      }
    }
  }
  return editDistance(a, b);
}

/** Nearest candidate within `maxDistance` edits (ties: first in list), or undefined. */
export function nearest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  if (word.length > 64) return undefined;
  const limit = maxDistance ?? (word.length <= 3 ? 1 : 2);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = swapDistance(word.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}

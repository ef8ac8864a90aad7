// Character offsets, which @huggingface/tokenizers does not give, aligned by the engine for every
// fixture tokenizer family: WordPiece (BERT), Unigram/Metaspace (XLM-R), byte-level BPE (GPT-2) and
// SentencePiece-style BPE with byte fallback (Llama). Answers are tokenized in context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromptTokenizer } from '../../engine/src/model/tokenizer';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';

const cases: [string, 'masked' | 'causal', string[]][] = [
  ['bert-tiny-facts', 'masked', ['The capital of France is <mask>.', "La capitale de l'Allemagne est <mask>.", '<mask> is the capital city of Japan.']],
  ['xlmr-tiny-facts', 'masked', ['The capital of France is <mask>.', 'Les habitants de la France parlent <mask>.', '<mask> est la capitale de la France.']],
  ['gpt2-tiny-facts', 'causal', ['The capital of France is', "La capitale de l'Allemagne est", 'People in Spain speak']],
  ['llama-stories260k', 'causal', ['Once upon a time, there was a little girl named', 'Lily went to the park with her', 'They played together all']],
];

for (const [name, kind, prompts] of cases) {
  test(`${name}: token spans cover the prompt's words in order`, () => {
    const tok = new PromptTokenizer(fixture(name), kind);
    for (const prompt of prompts) {
      const enc = tok.encodePrompt(prompt, kind === 'masked' ? 'Paris' : 'Paris');
      let last = 0;
      const covered = new Array(prompt.length).fill(false);
      for (const t of enc.tokens) {
        assert.ok(t.start >= last && t.end >= t.start && t.end <= prompt.length, `${prompt}: span [${t.start}, ${t.end}) of ${t.token} out of order`);
        last = t.start;
        for (let i = t.start; i < t.end; i++) covered[i] = true;
        if (t.end > t.start && !prompt.slice(t.start, t.end).includes('<mask>'))
          assert.equal(prompt.slice(t.start, t.end).toLowerCase(), t.token.replace(/^##|^\u2581|^\u0120/, '').toLowerCase(), `${prompt}: ${t.token}`);
      }
      // Every non-blank character belongs to some token.
      [...prompt].forEach((c, i) => assert.ok(covered[i] || /\s/.test(c), `${prompt}: character ${i} ('${c}') has no token`));
      if (kind === 'masked') {
        const mask = enc.tokens[enc.positions[0]];
        assert.equal(prompt.slice(mask.start, mask.end), '<mask>');
      } else assert.equal(enc.positions[0], enc.ids.length - 1);
    }
  });
}

test('answers are tokenized in context: ĠParis after a space (byte-level BPE), ▁Paris (SentencePiece)', () => {
  const gpt2 = new PromptTokenizer(fixture('gpt2-tiny-facts'), 'causal');
  const a = gpt2.encodePrompt('The capital of France is', 'Paris');
  assert.deepEqual(
    a.answerIds.map((id) => gpt2.idToToken(id)),
    ['ĠParis'],
  );
  // A trailing <mask> is optional for causal models and gives the same answer tokens.
  assert.deepEqual(gpt2.encodePrompt('The capital of France is <mask>', 'Paris').answerIds, a.answerIds);
  const xlmr = new PromptTokenizer(fixture('xlmr-tiny-facts'), 'masked');
  assert.deepEqual(
    xlmr.encodePrompt('The capital of France is <mask>.', 'Paris').answerIds.map((id) => xlmr.idToToken(id)),
    ['▁Paris'],
  );
  const bert = new PromptTokenizer(fixture('bert-tiny-facts'), 'masked');
  const multi = bert.encodePrompt('The capital of France is <mask>.', 'Parisville');
  assert.ok(multi.answerIds.length > 1, 'an answer of several word pieces');
  assert.equal(multi.positions.length, multi.answerIds.length, 'one mask per answer token');
  assert.deepEqual(
    multi.positions,
    multi.positions.map((_, j) => multi.positions[0] + j),
  );
});

// Unknown tokens and byte pieces get the exact text they stand for, on every tokenizer shipped or
// used as a fixture. What a span should hold is asked of the tokenizer itself: the text of an
// unknown token's span tokenizes to unknown tokens alone, and byte pieces decode to their span.
const everyTokenizer: [string, 'masked' | 'causal'][] = [
  [fixture('bert-tiny-facts'), 'masked'],
  [fixture('xlmr-tiny-facts'), 'masked'],
  [fixture('gpt2-tiny-facts'), 'causal'],
  [fixture('llama-stories260k'), 'causal'],
  [path.join(repoRoot(), 'models/bert-tiny-facts'), 'masked'],
  [path.join(repoRoot(), 'models/llama-stories260k'), 'causal'],
];
const oddPrompts = ['The capital of Zzyzx is', 'The capital of Fr€nce ☃ is', 'Ωmega ÿ de Zürich: est', 'Le 🙂 de Zzyzx, x🙂🙂y est'];

for (const [dir, kind] of everyTokenizer) {
  test(`${path.relative(repoRoot(), dir)}: unknown tokens and byte pieces span exactly the text they replace`, () => {
    const tok = new PromptTokenizer(dir, kind);
    let unknowns = 0;
    let bytePieces = 0;
    for (const base of oddPrompts) {
      const prompt = kind === 'masked' ? `${base} <mask>.` : base;
      const enc = tok.encodePrompt(prompt, 'Paris');
      const covered = new Array(prompt.length).fill(false);
      let last = 0;
      enc.tokens.forEach((t, i) => {
        assert.ok(t.start >= last && t.end >= t.start && t.end <= prompt.length, `${prompt}: span [${t.start}, ${t.end}) of ${t.token} out of order`);
        last = t.start;
        for (let c = t.start; c < t.end; c++) covered[c] = true;
        const text = prompt.slice(t.start, t.end);
        if (t.id === tok.unkId) {
          unknowns++;
          assert.ok(text.trim(), `${prompt}: unknown token ${i} has no text`);
          // on its own, less what the tokenizer adds to any text (<s> … </s>) and a lone word-start piece
          const added = new Set(tok.encode(''));
          const alone = tok.encode(text).filter((id) => !added.has(id) && tok.idToToken(id) !== '\u2581');
          assert.ok(
            alone.length && alone.every((id) => id === tok.unkId),
            `${prompt}: '${text}' (token ${i}) is not unknown on its own: ${alone.map((id) => tok.idToToken(id))}`,
          );
        } else if (t.end > t.start && !text.includes('<mask>')) {
          // The tokens that share this span, decoded by the tokenizer's own decoder, spell it.
          const group = enc.tokens.filter((u) => u.start === t.start && u.end === t.end);
          if (group.length > 1) bytePieces++;
          const decoded = tok
            .decode(group.map((u) => u.id))
            .replace(/^##/, '')
            .trim();
          assert.equal(decoded.toLowerCase(), text.toLowerCase(), `${prompt}: ${group.map((u) => u.token)}`);
        }
      });
      for (let i = 0; i < prompt.length; i++) assert.ok(covered[i] || /\s/.test(prompt[i]), `${prompt}: UTF-16 unit ${i} ('${prompt[i]}') has no token`);
    }
    // Every tokenizer meets some text it cannot spell piece by piece: unknown tokens or byte pieces.
    assert.ok(unknowns + bytePieces > 0, 'the prompts exercise unknown tokens or byte pieces');
  });
}

test('[UNK] in "The capital of Zzyzx is <mask>." spans Zzyzx (WordPiece), <unk> spans the x XLM-R cannot spell', () => {
  const prompt = 'The capital of Zzyzx is <mask>.';
  const bert = new PromptTokenizer(fixture('bert-tiny-facts'), 'masked');
  const unk = bert.encodePrompt(prompt, 'Paris').tokens.filter((t) => t.id === bert.unkId);
  assert.deepEqual(
    unk.map((t) => [t.start, t.end]),
    [[prompt.indexOf('Zzyzx'), prompt.indexOf('Zzyzx') + 'Zzyzx'.length]],
  );
  const xlmr = new PromptTokenizer(fixture('xlmr-tiny-facts'), 'masked');
  const spans = xlmr.encodePrompt(prompt, 'Paris').tokens.filter((t) => t.id === xlmr.unkId);
  assert.ok(spans.length > 0);
  for (const t of spans) assert.ok(xlmr.encode(prompt.slice(t.start, t.end)).includes(xlmr.unkId!));
});

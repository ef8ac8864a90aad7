// Character offsets, which @huggingface/tokenizers does not give, aligned by the engine for every
// fixture tokenizer family: WordPiece (BERT), Unigram/Metaspace (XLM-R), byte-level BPE (GPT-2) and
// SentencePiece-style BPE with byte fallback (Llama). Answers are tokenized in context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromptTokenizer } from '../../engine/src/model/tokenizer';
import { fixture } from '../helpers';

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
  assert.deepEqual(a.answerIds.map((id) => gpt2.idToToken(id)), ['ĠParis']);
  // A trailing <mask> is optional for causal models and gives the same answer tokens.
  assert.deepEqual(gpt2.encodePrompt('The capital of France is <mask>', 'Paris').answerIds, a.answerIds);
  const xlmr = new PromptTokenizer(fixture('xlmr-tiny-facts'), 'masked');
  assert.deepEqual(xlmr.encodePrompt('The capital of France is <mask>.', 'Paris').answerIds.map((id) => xlmr.idToToken(id)), ['▁Paris']);
  const bert = new PromptTokenizer(fixture('bert-tiny-facts'), 'masked');
  const multi = bert.encodePrompt('The capital of France is <mask>.', 'Parisville');
  assert.ok(multi.answerIds.length > 1, 'an answer of several word pieces');
  assert.equal(multi.positions.length, multi.answerIds.length, 'one mask per answer token');
  assert.deepEqual(multi.positions, multi.positions.map((_, j) => multi.positions[0] + j));
});

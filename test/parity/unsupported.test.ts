// Configurations the builders do not implement are refused, naming the architecture and the feature
// (never built with the feature silently dropped). Each starts from a parity model's real config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnError } from '../../engine/src/index';
import { parseConfig } from '../../engine/src/model/config';
import { repoRoot } from '../helpers';

const config = (arch: string) => JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'parity', arch, 'config.json'), 'utf8'));

const CASES: [string, (c: any) => void, RegExp][] = [
  [
    'llama',
    (c) => (c.rope_parameters = { rope_type: 'yarn', rope_theta: 10000, factor: 4 }),
    /LlamaForCausalLM with rope type "yarn" \(supported: default, linear, llama3\) is not supported/,
  ],
  ['phi3', (c) => (c.rope_parameters = { rope_type: 'longrope', rope_theta: 10000 }), /Phi3ForCausalLM with rope type "longrope"/],
  ['opt', (c) => (c.do_layer_norm_before = false), /OPTForCausalLM with do_layer_norm_before false/],
  ['opt', (c) => (c.word_embed_proj_dim = 16), /OPTForCausalLM with word_embed_proj_dim 16/],
  ['distilbert', (c) => (c.sinusoidal_pos_embds = true), /DistilBertForMaskedLM with sinusoidal_pos_embds/],
  ['bert', (c) => (c.position_embedding_type = 'relative_key'), /BertForMaskedLM with position_embedding_type "relative_key"/],
  ['modernbert', (c) => (c.norm_bias = true), /ModernBertForMaskedLM with norm_bias/],
  ['gpt2', (c) => (c.activation_function = 'quick_gelu'), /GPT2LMHeadModel with activation "quick_gelu"/],
  ['mistral', (c) => (c.layer_types = ['full_attention']), /layer_types has 1 entries but the model has 3 layers/],
  ['qwen2', (c) => (c.architectures = ['Qwen2MoeForCausalLM']), /architecture "Qwen2MoeForCausalLM" is not supported; supported: .*Qwen3ForCausalLM/],
];

for (const [arch, change, message] of CASES) {
  test(`${arch}: ${message.source.replace(/\\/g, '')}`, () => {
    const c = config(arch);
    assert.doesNotThrow(() => parseConfig(c));
    change(c);
    assert.throws(
      () => parseConfig(c, 'config.json'),
      (e: unknown) => e instanceof KnError && message.test((e as Error).message),
    );
  });
}

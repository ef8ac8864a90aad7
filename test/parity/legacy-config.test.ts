// Configs written before transformers 5 (rope_theta + rope_scaling, no layer_types, rotary_pct, …)
// parse to the same model as the transformers-5 configs of the parity models, which transformers
// itself wrote and ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../engine/src/model/config';
import { repoRoot } from '../helpers';

const config = (arch: string) => JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'parity', arch, 'config.json'), 'utf8'));

/** The transformers-4 spelling of a transformers-5 config. */
const LEGACY: Record<string, (c: any) => void> = {
  llama: (c) => {
    const { rope_theta, ...scaling } = c.rope_parameters;
    Object.assign(c, { rope_theta, rope_scaling: scaling });
    delete c.rope_parameters;
  },
  qwen2: (c) => {
    const { rope_theta, rope_type, factor } = c.rope_parameters;
    Object.assign(c, { rope_theta, rope_scaling: { type: rope_type, factor } });
    delete c.rope_parameters;
    delete c.layer_types;
  },
  mistral: (c) => {
    c.rope_theta = c.rope_parameters.rope_theta;
    delete c.rope_parameters;
    delete c.layer_types;
  },
  gemma2: (c) => {
    c.rope_theta = c.rope_parameters.rope_theta;
    delete c.rope_parameters;
    delete c.layer_types;
  },
  gemma3: (c) => {
    const { full_attention: full, sliding_attention: local } = c.rope_parameters;
    Object.assign(c, {
      rope_theta: full.rope_theta,
      rope_scaling: { rope_type: full.rope_type, factor: full.factor },
      rope_local_base_freq: local.rope_theta,
      sliding_window_pattern: 2,
    });
    delete c.rope_parameters;
    // Layers 0 and 2 local, 1 global: (l + 1) % 2 = 0 for l = 1.
    delete c.layer_types;
  },
  phi3: (c) => {
    Object.assign(c, { rope_theta: c.rope_parameters.rope_theta, partial_rotary_factor: c.rope_parameters.partial_rotary_factor, rope_scaling: null });
    delete c.rope_parameters;
  },
  'gpt-neox': (c) => {
    Object.assign(c, { rotary_emb_base: c.rope_parameters.rope_theta, rotary_pct: c.rope_parameters.partial_rotary_factor });
    delete c.rope_parameters;
  },
  modernbert: (c) => {
    Object.assign(c, {
      global_rope_theta: c.rope_parameters.full_attention.rope_theta,
      local_rope_theta: c.rope_parameters.sliding_attention.rope_theta,
      global_attn_every_n_layers: 2,
    });
    delete c.rope_parameters;
    delete c.layer_types;
  },
};

for (const [arch, toLegacy] of Object.entries(LEGACY)) {
  test(`${arch}: the transformers-4 spelling parses to the same model`, () => {
    const now = config(arch);
    const before = structuredClone(now);
    toLegacy(before);
    assert.notDeepEqual(before, now);
    assert.deepEqual(parseConfig(before), parseConfig(now));
  });
}

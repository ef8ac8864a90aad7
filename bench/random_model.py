"""Random weights for a config.json: `python3 bench/random_model.py DIR` reads DIR/config.json, builds
the model transformers defines for it (its own initialisation, seed 0) and saves the weights beside
it with save_pretrained (safetensors; in the config's torch_dtype, e.g. bfloat16 for Llama 3.2).
Used by the bench (bench/shapes.ts) for models with the real shapes of released checkpoints: nothing
is downloaded, and nothing of this size is committed.
"""
import json
import os
import sys

import torch
import transformers

folder = sys.argv[1]
raw = json.load(open(os.path.join(folder, 'config.json')))
torch.manual_seed(0)
config = transformers.AutoConfig.for_model(**raw)
dtype = getattr(torch, raw.get('torch_dtype') or raw.get('dtype') or 'float32')
model = getattr(transformers, raw['architectures'][0])._from_config(config, torch_dtype=dtype)
config_text = open(os.path.join(folder, 'config.json')).read()
model.save_pretrained(folder, safe_serialization=True)
# save_pretrained rewrites config.json in transformers' own spelling; the bench keeps the one it wrote.
open(os.path.join(folder, 'config.json'), 'w').write(config_text)
print(json.dumps({'parameters': sum(p.numel() for p in model.parameters())}))

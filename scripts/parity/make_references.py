"""Parity references: for each architecture, a small random model built by Hugging Face transformers
(every structural feature of the family switched on), saved with save_pretrained (safetensors) beside
a small tokenizer, and what transformers computes on it: input ids, P(answer), the top-k, the
gradient of P(answer) with respect to each layer's FFN neurons at the answer position, and
integrated-gradient scores for two prompts. test/parity/parity.test.ts compares the engine with
every number. CI has no Python: the outputs are committed.

    python3 scripts/parity/make_references.py            # every architecture
    python3 scripts/parity/make_references.py gpt-j opt  # some

"The neuron" is the input of the FFN's output projection: the activation after the nonlinearity
(BERT-like, GPT-2-like), act(gate)·up for gated FFNs. It is patched with a forward pre-hook on that
projection, so no family's MLP code is rewritten here.

References are computed in float64 from the saved float32 weights (the exact values the engine
loads), so they are the truth the engine's float32 is measured against.
"""
import json
import os
import shutil
import sys

import torch
import transformers as T

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'test', 'parity')
FIXTURES = os.path.abspath(os.path.join(ROOT, '..', 'shared', 'fixtures'))
STEPS = 20  # integrated-gradient steps, the engine's default, 'reference' quadrature
TOP_K = 5

# Prompts per tokenizer (a fixture's tokenizer, reused): (prompt in the engine's syntax, answer).
PROMPTS = {
    'bert-tiny-facts': [('The capital of France is <mask>.', 'Paris'), ('People in Germany speak <mask>.', 'German'),
                        ('<mask> is the capital of Italy.', 'Rome'), ('La capitale de la France est <mask>.', 'Paris'),
                        ('The official language of Spain is <mask>, the capital city of Spain is Madrid.', 'Spanish')],
    'xlmr-tiny-facts': [('The capital of France is <mask>.', 'Paris'), ('People in Germany speak <mask>.', 'German'),
                        ('<mask> is the capital of Italy.', 'Rome'), ('La capitale de la France est <mask>.', 'Paris'),
                        ('The official language of Spain is <mask>, the capital city of Spain is Madrid.', 'Spanish')],
    'gpt2-tiny-facts': [('The capital of France is', 'Paris'), ('People in Germany speak', 'German'),
                        ('In Italy, the capital is', 'Rome'), ('La capitale de la France est', 'Paris'),
                        ('The capital city of Spain is Madrid. The official language of Spain is', 'Spanish')],
    'llama-stories260k': [('Once upon a', 'time'), ('The dog was very', 'happy'),
                          ('Lily and her', 'mom'), ('Once upon a time, there was a', 'little'),
                          ('One day, a little boy named Tim went to the park with his mom. He was very', 'happy')],
}


def llama_like(**kw):
    base = dict(hidden_size=32, num_attention_heads=4, num_key_value_heads=2, num_hidden_layers=3, intermediate_size=48,
                vocab_size=512, max_position_embeddings=128, bos_token_id=1, eos_token_id=2, pad_token_id=0)
    base.update(kw)
    return base


# name: (model class, config class, config, tokenizer fixture, what the neuron is: the module whose input it is)
ARCHS = {
    'bert': ('BertForMaskedLM', 'BertConfig', dict(vocab_size=807, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
              intermediate_size=48, max_position_embeddings=64, pad_token_id=0), 'bert-tiny-facts', 'bert.encoder.layer.{l}.output.dense'),
    'xlm-roberta': ('XLMRobertaForMaskedLM', 'XLMRobertaConfig', dict(vocab_size=538, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                     intermediate_size=48, max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                     tie_word_embeddings=False), 'xlmr-tiny-facts', 'roberta.encoder.layer.{l}.output.dense'),
    'gpt2': ('GPT2LMHeadModel', 'GPT2Config', dict(vocab_size=1185, n_embd=32, n_layer=3, n_head=4, n_positions=64, bos_token_id=0,
              eos_token_id=0, scale_attn_by_inverse_layer_idx=True), 'gpt2-tiny-facts', 'transformer.h.{l}.mlp.c_proj'),
    'gpt-neo': ('GPTNeoForCausalLM', 'GPTNeoConfig', dict(vocab_size=1185, hidden_size=32, num_layers=4, num_heads=4, max_position_embeddings=64,
                 attention_types=[[['global', 'local'], 2]], window_size=4, bos_token_id=0, eos_token_id=0), 'gpt2-tiny-facts',
                'transformer.h.{l}.mlp.c_proj'),
    # Llama 3 style: GQA, llama3 rope scaling, attention and MLP biases, untied head.
    'llama': ('LlamaForCausalLM', 'LlamaConfig', llama_like(attention_bias=True, mlp_bias=True, tie_word_embeddings=False,
               rope_parameters=dict(rope_type='llama3', rope_theta=500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                    original_max_position_embeddings=64)), 'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    'mistral': ('MistralForCausalLM', 'MistralConfig', llama_like(num_key_value_heads=1, head_dim=16, sliding_window=4, tie_word_embeddings=False),
                'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    # Sliding window on the layers from max_window_layers up only; q/k/v biases, tied head.
    'qwen2': ('Qwen2ForCausalLM', 'Qwen2Config', llama_like(use_sliding_window=True, sliding_window=4, max_window_layers=1, tie_word_embeddings=True,
               rope_parameters=dict(rope_type='linear', rope_theta=1000000.0, factor=2.0)), 'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    'qwen3': ('Qwen3ForCausalLM', 'Qwen3Config', llama_like(head_dim=16, tie_word_embeddings=True), 'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    # Sandwich norms, (1 + w) RMSNorm, scaled embeddings, soft-capped scores and logits, alternating sliding windows.
    'gemma2': ('Gemma2ForCausalLM', 'Gemma2Config', llama_like(head_dim=8, sliding_window=4, query_pre_attn_scalar=12, attn_logit_softcapping=2.0,
                final_logit_softcapping=3.0), 'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    # Per-head q/k norms, local and global rotary bases (linear scaling on the global one).
    'gemma3': ('Gemma3ForCausalLM', 'Gemma3TextConfig', llama_like(head_dim=8, sliding_window=4, query_pre_attn_scalar=12,
                layer_types=['sliding_attention', 'full_attention', 'sliding_attention'],
                rope_parameters={'sliding_attention': dict(rope_type='default', rope_theta=10000.0),
                                 'full_attention': dict(rope_type='linear', factor=8.0, rope_theta=1000000.0)}), 'llama-stories260k',
               'model.layers.{l}.mlp.down_proj'),
    # Fused qkv and gate_up projections, partial rotary, sliding window.
    'phi3': ('Phi3ForCausalLM', 'Phi3Config', llama_like(sliding_window=4, tie_word_embeddings=False,
              rope_parameters=dict(rope_type='default', rope_theta=10000.0, partial_rotary_factor=0.5)), 'llama-stories260k',
             'model.layers.{l}.mlp.down_proj'),
    # Norms after attention and MLP only; q/k norms over all heads.
    'olmo2': ('Olmo2ForCausalLM', 'Olmo2Config', llama_like(tie_word_embeddings=False), 'llama-stories260k', 'model.layers.{l}.mlp.down_proj'),
    # Parallel attention and MLP on one norm, interleaved partial rotary, untied head with a bias.
    'gpt-j': ('GPTJForCausalLM', 'GPTJConfig', dict(vocab_size=1185, n_embd=32, n_layer=3, n_head=4, rotary_dim=4, n_positions=64,
               tie_word_embeddings=False, bos_token_id=0, eos_token_id=0), 'gpt2-tiny-facts', 'transformer.h.{l}.mlp.fc_out'),
    # Pythia: parallel residual with two norms, fused per-head qkv, partial rotary.
    'gpt-neox': ('GPTNeoXForCausalLM', 'GPTNeoXConfig', dict(vocab_size=1185, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                  intermediate_size=48, max_position_embeddings=64, use_parallel_residual=True, tie_word_embeddings=False,
                  rope_parameters=dict(rope_type='default', rope_theta=10000.0, partial_rotary_factor=0.5), bos_token_id=0, eos_token_id=0),
                 'gpt2-tiny-facts', 'gpt_neox.layers.{l}.mlp.dense_4h_to_h'),
    # Learned positions offset by 2, ReLU.
    'opt': ('OPTForCausalLM', 'OPTConfig', dict(vocab_size=1185, hidden_size=32, num_hidden_layers=3, num_attention_heads=4, ffn_dim=48,
             max_position_embeddings=64, word_embed_proj_dim=32, bos_token_id=0, eos_token_id=0, pad_token_id=1), 'gpt2-tiny-facts',
            'model.decoder.layers.{l}.fc2'),
    'roberta': ('RobertaForMaskedLM', 'RobertaConfig', dict(vocab_size=538, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                 intermediate_size=48, max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2),
                'xlmr-tiny-facts', 'roberta.encoder.layer.{l}.output.dense'),
    'distilbert': ('DistilBertForMaskedLM', 'DistilBertConfig', dict(vocab_size=807, dim=32, n_layers=3, n_heads=4, hidden_dim=48,
                    max_position_embeddings=64, pad_token_id=0), 'bert-tiny-facts', 'distilbert.transformer.layer.{l}.ffn.lin2'),
    # Pre-norm XLM-R (XL, XXL).
    'xlm-roberta-xl': ('XLMRobertaXLForMaskedLM', 'XLMRobertaXLConfig', dict(vocab_size=538, hidden_size=32, num_hidden_layers=3,
                        num_attention_heads=4, intermediate_size=48, max_position_embeddings=66, type_vocab_size=1, pad_token_id=1,
                        bos_token_id=0, eos_token_id=2), 'xlmr-tiny-facts', 'roberta.encoder.layer.{l}.output.dense'),
    # Gated MLP, rotary with local and global bases, local (banded) attention, bias-free norms.
    'modernbert': ('ModernBertForMaskedLM', 'ModernBertConfig', dict(vocab_size=807, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                    intermediate_size=48, max_position_embeddings=64, local_attention=4, pad_token_id=0, bos_token_id=2, eos_token_id=3,
                    cls_token_id=2, sep_token_id=3, layer_types=['full_attention', 'sliding_attention', 'full_attention']),
                   'bert-tiny-facts', 'model.layers.{l}.mlp.Wo'),
}


def randomize(model, seed):
    """Weights of a size that gives peaked, position-dependent predictions (the default 0.02 init gives uniform ones)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1:
                p.copy_((1.0 if 'norm' in name.lower() or 'ln' in name.lower() else 0.0) + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * (0.8 / p.shape[-1] ** 0.5 if 'emb' not in name and 'wte' not in name and 'wpe' not in name else 0.3))


def module(model, dotted):
    m = model
    for part in dotted.split('.'):
        m = m[int(part)] if part.isdigit() else getattr(m, part)
    return m


def encode(tok, kind, prompt, answer):
    """Input ids, answer position and answer id, as the engine forms them (checked against its tokenizer by the test)."""
    if kind == 'masked':
        before, after = prompt.split('<mask>')
        ctx = tok(before + tok.mask_token + after)['input_ids']
        full = tok(before + answer + after)['input_ids']
        m = ctx.index(tok.mask_token_id)
        p = next(i for i in range(len(full) + 1) if i == m or i == len(full) or ctx[i] != full[i])
        s = next(i for i in range(len(full) + 1) if i == len(ctx) - m - 1 or i == len(full) or ctx[-1 - i] != full[-1 - i])
        assert len(full) - s - p == 1, f'{answer!r} is not one token in {prompt!r}'
        return ctx, m, full[p]
    ids = tok(prompt)['input_ids']
    full = tok(prompt + ' ' + answer)['input_ids']
    assert len(full) == len(ids) + 1 and full[:len(ids)] == ids, f'{answer!r} is not one token after {prompt!r}'
    return ids, len(ids) - 1, full[-1]


def patched_forward(model, projections, ids, pos, values, add=False):
    """Logits at `pos` with each projection's input at `pos` replaced by values[l] (rows broadcast), or
    with values[l] added to it; None = unchanged."""
    hooks = []
    for proj, v in zip(projections, values):
        if v is None:
            continue

        def pre(mod, args, v=v):
            # OPT runs its MLP on [batch·T, F]: viewed as [batch, T, F] here.
            x = args[0].clone().view(ids.shape[0], ids.shape[1], -1)
            x[:, pos] = x[:, pos] + v if add else v
            return (x.view(args[0].shape),) + args[1:]
        hooks.append(proj.register_forward_pre_hook(pre))
    try:
        return model(input_ids=ids).logits[:, pos]
    finally:
        for h in hooks:
            h.remove()


def neuron_values(model, projections, ids, pos):
    seen = []
    hooks = [p.register_forward_pre_hook(lambda m, a: seen.append(a[0].view(ids.shape[1], -1)[pos].detach().clone())) for p in projections]
    with torch.no_grad():
        model(input_ids=ids)
    for h in hooks:
        h.remove()
    return seen


def reference(name):
    cls_name, cfg_name, cfg_kw, tok_name, neuron = ARCHS[name]
    torch.manual_seed(0)
    cfg = getattr(T, cfg_name)(**cfg_kw)
    model = getattr(T, cls_name)._from_config(cfg, attn_implementation='eager')
    randomize(model, seed=sum(map(ord, name)))
    model.tie_weights()
    model.eval()
    out = os.path.join(OUT, name)
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out)
    for f in ('tokenizer.json', 'tokenizer_config.json'):
        shutil.copy(os.path.join(FIXTURES, tok_name, f), os.path.join(out, f))
    tok = T.AutoTokenizer.from_pretrained(os.path.join(FIXTURES, tok_name))  # as the fixture defines it, whatever model_type says
    # The truth: the saved float32 weights, evaluated in float64.
    model = getattr(T, cls_name).from_pretrained(out, attn_implementation='eager', dtype=torch.float64).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    kind = 'masked' if cls_name.endswith('MaskedLM') else 'causal'
    layers = cfg.num_hidden_layers
    projections = [module(model, neuron.format(l=l)) for l in range(layers)]
    prompts = []
    for i, (text, answer) in enumerate(PROMPTS[tok_name]):
        ids, pos, target = encode(tok, kind, text, answer)
        t = torch.tensor([ids])
        base = neuron_values(model, projections, t, pos)
        # A zero offset on every layer's neurons: each layer's gradient includes its effect through the layers above.
        deltas = [torch.zeros_like(b).requires_grad_(True) for b in base]
        probs = patched_forward(model, projections, t, pos, deltas, add=True)[0].softmax(-1)
        grads = torch.autograd.grad(probs[target], deltas)
        top = probs.detach().topk(TOP_K)
        entry = {
            'prompt': text, 'answer': answer, 'input_ids': ids, 'position': pos, 'target_id': target,
            'p_target': probs[target].item(),
            'top_k': [[int(j), tok.convert_ids_to_tokens(int(j)), p.item()] for p, j in zip(top.values, top.indices)],
            'gradients': [g.tolist() for g in grads],
        }
        if i < 2:
            entry['ig_scores'] = integrated_gradients(model, projections, t, pos, target, base)
        prompts.append(entry)
    ref = {
        'architecture': cls_name, 'transformers': T.__version__, 'torch': torch.__version__, 'dtype': 'float64 from float32 weights',
        'neuron': f'input of {neuron}', 'layers': layers, 'neurons': len(prompts[0]['gradients'][0]),
        'ig': {'steps': STEPS, 'quadrature': 'reference'}, 'prompts': prompts,
    }
    with open(os.path.join(out, 'reference.json'), 'w') as f:
        json.dump(ref, f)
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f'{name}: {cls_name}, {layers} layers, {size / 1024:.0f} KiB, P = ' + ', '.join(f"{p['p_target']:.3g}" for p in prompts))


def integrated_gradients(model, projections, ids, pos, target, base):
    """Dai et al.: per layer, α_k = k/(m−1) times the activation at pos, score = a/m · Σ_k ∂P/∂a(α_k a)."""
    scores = []
    alphas = torch.linspace(0, 1, STEPS, dtype=torch.float64)[:, None]
    for l in range(len(projections)):
        scaled = (alphas * base[l]).requires_grad_(True)
        values = [None] * len(projections)
        values[l] = scaled
        probs = patched_forward(model, projections, ids.expand(STEPS, -1), pos, values).softmax(-1)[:, target]
        (grad,) = torch.autograd.grad(probs.sum(), scaled)
        scores.append((grad.sum(0) * base[l] / STEPS).tolist())
    return scores


if __name__ == '__main__':
    for name in sys.argv[1:] or ARCHS:
        reference(name)

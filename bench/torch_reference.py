"""PyTorch baseline: `npm run bench` runs it on the CPU where PyTorch and transformers are installed;
by hand (after a bench run, which builds the model and writes ig-cpu.json) for a GPU.

Times, on the GPU if there is one, integrated gradients the way the reference library computes them (for each layer:
one baseline forward, then the steps as one batch through the whole model, forward + backward), one
batched forward + backward over layers × steps sequences, and float32 MatMul ceilings; and compares
the reference's scores with ours on the same random bert-base-sized model and prompt
(.cache/bench/bert-base-random/ig-cpu.json). Prints one JSON object.
"""
import json
import os
import statistics
import sys
import time

import torch
from transformers import BertForMaskedLM

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
REPEATS = int(os.environ.get('REPEATS', '10'))
# `--prompts FILE --model DIR`: the realistic workload (bench/realistic.ts): the reference algorithm
# on each prompt of FILE ([{ids, position, target}]) once, with its time and this process's peak memory.
PROMPTS = sys.argv[sys.argv.index('--prompts') + 1] if '--prompts' in sys.argv else None
root = sys.argv[sys.argv.index('--model') + 1] if '--model' in sys.argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.cache', 'bench', 'bert-base-random')
spec = json.load(open(PROMPTS)) if PROMPTS else json.load(open(os.path.join(root, 'ig-cpu.json')))
model = BertForMaskedLM.from_pretrained(root, attn_implementation='eager').to(dev).eval()
for p in model.parameters():
    p.requires_grad_(False)
layers = model.config.num_hidden_layers
steps = 20 if PROMPTS else spec['steps']
if not PROMPTS:
    ids = torch.tensor([spec['ids']], device=dev)
    pos, target = spec['position'], spec['target']


def sync():
    if dev.type == 'cuda':
        torch.cuda.synchronize()


def timed(fn, repeats=REPEATS):
    for _ in range(2):
        fn()
    sync()
    ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        ms.append((time.perf_counter() - t0) * 1e3)
    return {'median_ms': statistics.median(ms), 'min_ms': min(ms), 'max_ms': max(ms), 'runs': repeats}


def ig_reference():
    """Per layer: baseline activation at the target position, then α·activation for α =
    linspace(0, 1, steps) patched in as one batch, gradient of P(target), sum × activation/steps
    (the reference library's rule, our 'reference' quadrature)."""
    rows = []
    for layer in range(layers):
        ffn = model.bert.encoder.layer[layer].intermediate
        seen = {}
        hook = ffn.register_forward_hook(lambda m, i, o: seen.setdefault('a', o[:, pos].detach()))
        with torch.no_grad():
            model(input_ids=ids)
        hook.remove()
        base = seen['a']
        alphas = torch.linspace(0, 1, steps, device=dev, dtype=base.dtype)[:, None]
        scaled = (alphas * base).requires_grad_(True)

        def patch(m, i, o):
            o = o.clone()
            o[:, pos] = scaled
            return o

        hook = ffn.register_forward_hook(patch)
        logits = model(input_ids=ids.expand(steps, -1)).logits[:, pos]
        prob = logits.softmax(-1)[:, target]
        (grad,) = torch.autograd.grad(prob.sum(), scaled)
        hook.remove()
        rows.append(grad.sum(0) * base[0] / steps)
    return torch.stack(rows)


def batched_pass():
    """One forward + backward over layers × steps sequences (no patching): the straightforward work in one batch."""
    emb = model.bert.embeddings.word_embeddings(ids.expand(layers * steps, -1)).detach().requires_grad_(True)
    logits = model(inputs_embeds=emb).logits[:, pos]
    (g,) = torch.autograd.grad(logits.softmax(-1)[:, target].sum(), emb)
    return g


def matmul(m, k, n):
    a, b = torch.randn(m, k, device=dev), torch.randn(k, n, device=dev)
    t = timed(lambda: a @ b, 2 * REPEATS)
    return {'shape': f'{m}x{k}x{n}', 'tflops_per_s': 2 * m * k * n / t['min_ms'] / 1e9}


def relative(a, b):
    return float((a - b).abs().max() / b.abs().max())


if PROMPTS:
    import resource
    ms = []
    for p in spec:
        ids = torch.tensor([p['ids']], device=dev)
        pos, target = p['position'], p['target']
        t0 = time.perf_counter()
        ig_reference()
        ms.append((time.perf_counter() - t0) * 1e3)
    json.dump({'threads': torch.get_num_threads(), 'torch': torch.__version__, 'get_scores_ms': ms, 'get_scores_total_ms': sum(ms), 'get_scores_median_ms': statistics.median(ms),
               'peak_resident_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, sys.stdout)
    print()
    sys.exit(0)

scores = ig_reference().double().cpu()
ours = torch.tensor(spec['scores'], dtype=torch.float64).view_as(scores)
model.double()  # the float64 truth, to tell float32 rounding from disagreement
exact = ig_reference().cpu()
model.float()
out = {
    'device': torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu',
    'threads': torch.get_num_threads(),
    'torch': torch.__version__,
    'tokens': ids.shape[1],
    'reference_ig_ms': timed(ig_reference),
    'batched_forward_backward_ms': timed(batched_pass),
    'max_relative_error_vs_float64': {'reference_float32': relative(scores, exact), 'ours_cpu_float32': relative(ours, exact)},
    'matmul_fp32': [matmul(2048, 768, 3072)] + ([matmul(8192, 8192, 8192)] if dev.type == 'cuda' else []),
}
json.dump(out, sys.stdout, indent=1)
print()

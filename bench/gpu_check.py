"""GPU checks of the learner path (run on a CUDA machine; prints measured ratios).

1. DGPO statistics for a 151,936-token vocabulary in bf16: peak GPU memory of the chunked
   path vs building full [N, V] logits for policy and reference.
2. LearnerWorker (DeepSpeed, NCCL backend, bf16, ZeRO-2) on a random-init model shaped like
   Qwen2.5-0.5B: time of one PPO update vs one DGPO update (DGPO's overhead).
3. Weight sync learner -> HF rollout engine on the GPU, with the log-prob parity probe.

    python bench/gpu_check.py [--layers 24] [--samples 32] [--length 512]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import torch


def make_model(path: str, layers: int) -> None:
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from himac.tiny_model import make_tiny_model

    tiny = make_tiny_model(os.path.join(path, "tiny"))
    cfg = Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=layers,
                      num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=4096,
                      tie_word_embeddings=True, bos_token_id=0, eos_token_id=0, pad_token_id=0)
    torch.manual_seed(0)
    Qwen2ForCausalLM(cfg).to(torch.bfloat16).save_pretrained(path)
    AutoTokenizer.from_pretrained(tiny).save_pretrained(path)


def dgpo_memory(n: int = 4096, vocab: int = 151936, hidden: int = 896, chunk: int = 512) -> None:
    from himac.algorithms.losses import token_stats

    dev = "cuda"
    h, rh = (torch.randn(n, hidden, device=dev, dtype=torch.bfloat16) for _ in range(2))
    w, rw = (torch.randn(vocab, hidden, device=dev, dtype=torch.bfloat16) * 0.02 for _ in range(2))
    ids = torch.randint(0, vocab, (n,), device=dev)
    base = torch.cuda.memory_allocated()

    def peak(fn) -> float:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        out = fn()
        torch.cuda.synchronize()
        return (torch.cuda.max_memory_allocated() - base) / 2**30, time.perf_counter() - t0, out

    with torch.no_grad():
        def stats(size: int) -> dict[str, torch.Tensor]:  # the learner's path, `size` tokens of logits at a time
            return token_stats(lambda s: h[s] @ w.T, lambda s: rh[s] @ rw.T, ids, dgpo=True, chunk_size=size)

        full_mem, full_t, full = peak(lambda: stats(n))
        ch_mem, ch_t, chunked = peak(lambda: stats(chunk))
    diff = max(float((full[k] - chunked[k]).abs().max()) for k in full)
    print(f"[dgpo-stats] N={n} V={vocab}: full logits peak {full_mem:.2f} GiB ({full_t * 1e3:.1f} ms), "
          f"chunked({chunk}) peak {ch_mem:.2f} GiB ({ch_t * 1e3:.1f} ms); memory ratio {full_mem / ch_mem:.1f}x; "
          f"max |diff| {diff:.2e}")


def learner_and_sync(path: str, samples: int, length: int) -> None:
    from actors.engines import HFEngine
    from actors.learner import LearnerWorker
    from himac.config import load_config
    from himac.samples import TrainSample, to_batch

    results = {}
    for loss in ("ppo", "dgpo"):
        cfg = load_config("configs/sokoban.yaml", [f"algorithm.executor_loss={loss}", "learner.zero_stage=2",
                                                    "learner.micro_batch_size=8", "algorithm.kl_coef=0.01"])
        lw = LearnerWorker(path, cfg, master_port=29600 + len(results))
        g = torch.Generator().manual_seed(0)
        data = [TrainSample(torch.randint(1, 1000, (length - 64,), generator=g).tolist(),
                            torch.randint(1, 1000, (64,), generator=g).tolist(), float(i % 2) * 2 - 1, "executor")
                for i in range(samples)]
        batch = to_batch(data, 0)
        lw.update(batch)  # warm-up
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        m = lw.update(batch)
        torch.cuda.synchronize()
        results[loss] = (time.perf_counter() - t0, torch.cuda.max_memory_allocated() / 2**30, m)
        print(f"[learner] {loss}: update {results[loss][0]:.2f} s for {samples}x{length} tokens, "
              f"peak {results[loss][1]:.1f} GiB, logprob {m['timing/logprob']:.2f} s, grad_norm {m['actor/grad_norm']:.3f}")
        if loss == "dgpo":
            engine = HFEngine(path, dtype="bfloat16", seed=0)
            before = engine.score(data[0].prompt_ids[:64], data[0].response_ids[:16])
            t0 = time.perf_counter()
            n = engine.load_weights(list(lw.export_weights().items()))
            sync_t = time.perf_counter() - t0
            a = engine.score(data[0].prompt_ids[:64], data[0].response_ids[:16])
            b = lw.score(data[0].prompt_ids[:64], data[0].response_ids[:16])
            print(f"[sync] {n} tensors in {sync_t:.2f} s; parity max|diff| {max(abs(x - y) for x, y in zip(a, b)):.2e} "
                  f"nats (before sync it was {max(abs(x - y) for x, y in zip(before, b)):.2e})")
        del lw
        torch.cuda.empty_cache()
    print(f"[learner] DGPO / PPO update time ratio: {results['dgpo'][0] / results['ppo'][0]:.3f}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--samples", type=int, default=32)
    p.add_argument("--length", type=int, default=512)
    a = p.parse_args()
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    dgpo_memory()
    with tempfile.TemporaryDirectory() as d:
        make_model(d, a.layers)
        learner_and_sync(d, a.samples, a.length)


if __name__ == "__main__":
    main()

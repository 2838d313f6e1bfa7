"""Rollout throughput with the real pretrained model (SmolLM2-135M-Instruct, float32, CPU):
generated tokens/s of the vLLM and the transformers (HF) RolloutWorker on batches of 1, 8
and 32 ALFWorld-like verbose executor prompts (chat template), `--max-tokens` new tokens at
temperature 1, seeded, no stop strings (a response may still end at the end of its turn).
Each batch size gets prompts of its own, so vLLM's prefix cache shares only the common
system/instruction text, as in a rollout. HF generates one request at a time, so its
tokens/s does not depend on the batch: `--hf-cap N` times only the first N requests of a
batch (0: all). Prints a table with the vLLM/HF ratio; asserts nothing.

    python bench/real_model.py [--model DIR] [--batches 1 8 32] [--max-tokens 64] [--hf-cap 8]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

OBJECTS = ("mug", "apple", "knife", "plate", "potato", "egg", "cup", "bowl", "tomato", "spoon", "pan", "lettuce")
PLACES = ("countertop", "cabinet", "drawer", "fridge", "microwave", "sinkbasin", "shelf", "diningtable",
          "stoveburner", "garbagecan", "coffeemachine", "toaster")
TASKS = ("put a clean {o} in {p}.", "heat some {o} and put it in {p}.", "cool some {o} and put it in {p}.",
         "put some {o} on {p}.", "find two {o} and put them in {p}.")


def executor_prompts(n: int, seed: int):
    """`n` verbose executor prompts for ALFWorld-like kitchens (task, blueprint, history, admissible list)."""
    from himac.agent.prompts import executor_prompt

    rng = random.Random(seed)
    prompts = []
    for _ in range(n):
        o, p = rng.choice(OBJECTS), rng.choice(PLACES)
        seen = rng.sample(PLACES, 6)
        room = ", ".join(f"a {s} {rng.randint(1, 4)}" for s in seen)
        here = f"{seen[0]} {rng.randint(1, 4)}"
        plan = [f"go to the {seen[0]}", f"take the {o}", f"put the {o} in the {p}"]
        history = [(f"You arrive at {s} 1. On the {s} 1, you see a {rng.choice(OBJECTS)} 1.", f"go to {s} 1")
                   for s in seen[1:3]]
        observation = (f"You are in the middle of a room. Looking quickly around you, you see {room}.\n"
                       f"You arrive at {here}. On the {here}, you see a {o} 1 and a {rng.choice(OBJECTS)} 2.")
        admissible = [f"go to {s} 1" for s in seen] + [f"take {o} 1 from {here}", "inventory", "look"]
        prompts.append(executor_prompt(rng.choice(TASKS).format(o=o, p=p), plan, rng.randrange(2), history,
                                       observation, admissible))
    return prompts


def tokens_per_second(worker, requests) -> tuple[float, int, float]:
    """(tokens/s, tokens generated, seconds) of one generate call."""
    start = time.perf_counter()
    results = worker.generate(requests)
    seconds = time.perf_counter() - start
    tokens = sum(len(r.token_ids) for r in results)
    return tokens / seconds, tokens, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="HF model dir (default: fetch smollm2-135m into the cache)")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--hf-cap", type=int, default=8, help="time at most this many HF requests per batch (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from actors.engines import RolloutWorker
    from himac.agent.prompts import render_prompt
    from himac.fetch_model import CACHE_DIR, fetch_model
    from himac.protocol import GenRequest

    model = args.model or str(fetch_model("smollm2-135m", CACHE_DIR / "models" / "smollm2-135m"))
    workers = {b: RolloutWorker(model, b, dtype="float32", max_model_len=2048, seed=args.seed) for b in ("vllm", "hf")}
    tok = workers["hf"].engine.tokenizer

    def requests(n: int, seed: int) -> list[GenRequest]:
        ids = [tok.encode(render_prompt(p, tok), add_special_tokens=False) for p in executor_prompts(n, seed)]
        return [GenRequest(x, args.max_tokens, temperature=1.0, seed=seed * 1000 + i) for i, x in enumerate(ids)]

    warm = requests(2, seed=10_000)
    for w in workers.values():
        w.generate(warm)
    print(f"model {model}; {args.max_tokens} new tokens at T=1, prompts of "
          f"{sum(len(r.prompt_ids) for r in warm) // len(warm)} tokens (mean of the warm-up pair)")
    print(f"{'batch':>5} | {'vLLM tok/s':>10} | {'HF tok/s':>8} | {'vLLM/HF':>7} | vLLM tokens, s | HF requests, tokens, s")
    for batch in args.batches:
        reqs = requests(batch, seed=batch)
        v_rate, v_tokens, v_s = tokens_per_second(workers["vllm"], reqs)
        hf_reqs = reqs[:args.hf_cap] if args.hf_cap else reqs
        h_rate, h_tokens, h_s = tokens_per_second(workers["hf"], hf_reqs)
        print(f"{batch:>5} | {v_rate:>10.1f} | {h_rate:>8.1f} | {v_rate / h_rate:>6.1f}x | {v_tokens:>6}, {v_s:5.1f} | "
              f"{len(hf_reqs)}/{batch}, {h_tokens}, {h_s:.1f}", flush=True)


if __name__ == "__main__":
    main()

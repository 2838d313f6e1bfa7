"""Rollout scheduling: asynchronous per-env stepping vs lockstep, when env step times have a
heavy tail. Real Ray, real EnvWorker, a real rollout engine on a tiny random-init model;
envs are Sokoban rooms whose every step takes `--delay` seconds longer with probability
`--p` (himac/Faulty-v0, fault=jitter, repeatable per room). Lockstep is the same code with
an infinite linger: an env call's results travel only together, so every turn waits for
its slowest env. Prints wall times and their ratio; asserts nothing.

    python bench/rollout.py [--episodes 64] [--max-steps 10] [--delay 0.1] [--p 0.1] [--backend hf]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("VLLM_ALLOW_INSECURE_SERIALIZATION", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=64)
    parser.add_argument("--max-steps", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.1, help="extra seconds of a slow step")
    parser.add_argument("--p", type=float, default=0.1, help="probability that a step is slow")
    parser.add_argument("--backend", choices=("hf", "vllm"), default="hf")
    args = parser.parse_args()

    import ray
    from transformers import AutoTokenizer

    from actors.engines import RolloutWorker
    from actors.env_worker import EnvWorker, max_concurrency
    from himac.config import load_config
    from himac.episodes import EpisodeRunner, EpisodeSpec, Sampling
    from himac.tasks import Task
    from himac.tiny_model import make_tiny_model

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"VLLM_ALLOW_INSECURE_SERIALIZATION": "1", "TOKENIZERS_PARALLELISM": "false"}})
    model = str(make_tiny_model(Path(tempfile.mkdtemp()) / "model"))
    tok = AutoTokenizer.from_pretrained(model)
    rollout = ray.remote(RolloutWorker).options(num_cpus=0.5).remote(
        model, args.backend, dtype="float32", gpu_memory_utilization=0.05, max_model_len=512)
    ray.get(rollout.ready.remote(), timeout=600)
    env_kwargs = {"fault": "jitter", "delay_s": args.delay, "jitter_p": args.p, "max_steps": args.max_steps,
                  "dim_room": [6, 6], "num_boxes": 1, "min_pulls": 3, "max_pulls": 3}
    specs = [EpisodeSpec(Task(f"t{i}", i), [], Sampling(1.0), seed=i) for i in range(args.episodes)]
    print(f"{args.episodes} episodes of up to {args.max_steps} steps; a step takes +{args.delay:.2f} s with "
          f"p={args.p}; rollout backend {args.backend}")
    walls = {}
    for mode, linger in (("lockstep", 1e9), ("async", 0.01)):
        cfg = load_config("configs/debug/sokoban.yaml", [
            "rollout.restrict_to_admissible=true", f"env.result_linger_s={linger}", f"env.max_steps={args.max_steps}",
            f"env.envs_per_worker={args.episodes}"])
        env = ray.remote(EnvWorker).options(num_cpus=0.25, max_concurrency=max_concurrency(args.episodes)).remote(
            "himac/Faulty-v0", args.episodes, env_kwargs, linger_s=linger)
        runner = EpisodeRunner(cfg, tok, {"executor": [rollout]}, {"planner": "executor", "executor": "executor"}, [env])
        runner.run(specs[:2])  # warm-up
        start = time.perf_counter()
        result = runner.run(specs)
        walls[mode] = time.perf_counter() - start
        steps = sum(r.steps for r in result.records)
        print(f"{mode:<9} {walls[mode]:6.2f} s  ({steps} steps, {steps / walls[mode]:6.1f} steps/s; waiting on "
              f"generation {result.timing['generate']:.2f} s, on envs alone {result.timing['env']:.2f} s)")
        ray.kill(env)
    print(f"async / lockstep speed-up: {walls['lockstep'] / walls['async']:.2f}x")
    ray.shutdown()


if __name__ == "__main__":
    main()

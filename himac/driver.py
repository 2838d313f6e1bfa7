"""The HiMAC co-evolution driver: one iteration = tasks -> episodes -> samples -> update -> sync.

Reads like the paper's algorithm box (HiMAC, arXiv 2603.00977):

    for iteration in 1..N:
        phase = phase_of(iteration)       # A: planner exploration | B: executor adaptation
        tasks = sampler.train(iteration)
        specs = episode_specs(phase, tasks)
                   A: G sampled blueprints per task, each scored by the frozen (greedy) executor
                   B: the task's best blueprint from phase A fixed, G sampled executions
        records = rollout.run(specs)      # himac.rollout.run_episode, one coroutine per episode
        samples = planner_samples | executor_samples   # group-relative advantages per level
        policy.update(samples); policy.sync()          # PPO-clip or DGPO; weight sync + parity probe
        evaluate every `eval_every` iterations on held-out tasks

Each level's model is a `Policy` (learner group, rollout engines, weight sync); in shared
mode the planner and the executor are the same Policy. A flat agent
(`coevolution.hierarchical=false`) runs the same loop without a planner; `coevolve=false`
trains both levels every iteration. With `himac.rollout` this is the one core module that
orchestrates Ray actors; it owns no model.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import ray
import torch

from actors.env_worker import EnvWorker, max_concurrency
from actors.learner import LearnerWorker
from actors.placement import actor_options, create_placement_groups, free_port, role_specs
from actors.rollout import RolloutWorker
from actors.weight_sync import NcclSync, ObjectStoreSync, parity_probe
from envs import ENV_IDS
from himac.agent import format_blueprint
from himac.agent.constraints import ActionTrie, response_pieces, turn_constraint
from himac.agent.episode import ExecutorEpisode
from himac.agent.prompts import planner_prompt, response_prefix
from himac.config import HiMACConfig, to_yaml
from himac.logging import MetricsLogger
from himac.protocol import Batch, reduce_metric
from himac.rollout import EpisodeSpec, Rollout, Sampling, encode, uses_sub_done
from himac.samples import (
    EpisodeRecord,
    TrainSample,
    executor_samples,
    merge_duplicates,
    planner_samples,
    shard,
    to_batch,
)

EVAL_SEED_OFFSET = 10_000_000  # Sokoban: held-out rooms come from seeds no training task uses


# -- tasks -------------------------------------------------------------------------------
@dataclass
class TaskSampler:
    """Deterministic task draws: task k of iteration i depends only on (seed, i, k)."""

    env_name: str
    seed: int
    train_split: str
    eval_split: str

    def _split_kwargs(self, split: str) -> dict[str, Any]:
        if self.env_name == "sokoban":
            return {}
        return {"split": split}

    def train(self, iteration: int, n: int) -> list[dict[str, Any]]:
        rng = random.Random(f"{self.seed}/{iteration}")
        seeds = [rng.randrange(EVAL_SEED_OFFSET) for _ in range(n)]
        kw = self._split_kwargs(self.train_split)
        return [{"task_id": f"train:{s}", "seed": s, "options": None, "split_kwargs": kw} for s in seeds]

    def warm_start(self, wave: int, n: int, first: int) -> list[dict[str, Any]]:
        """Expert episodes of the warm start: random training tasks, or (first > 0) the first
        `first` tasks of the training split in turn (Sokoban, without task indices: the rooms of
        seeds 0..first-1)."""
        if first <= 0:
            return self.train(-1 - wave, n)
        kw = self._split_kwargs(self.train_split)
        ks = [(wave * n + i) % first for i in range(n)]
        return [{"task_id": f"warm:{k}", "seed": k, "options": {"task_index": k}, "split_kwargs": kw} for k in ks]

    def held_out(self, n: int) -> list[dict[str, Any]]:
        """The first n tasks of the eval split in its fixed order (distinct while the split has
        that many; Sokoban: rooms from seeds no training task uses)."""
        kw = self._split_kwargs(self.eval_split)
        return [{"task_id": f"eval:{i}", "seed": EVAL_SEED_OFFSET + i, "options": {"task_index": i}, "split_kwargs": kw}
                for i in range(n)]


class Phase(str, Enum):
    """What an iteration trains (HiMAC's co-evolution phases, and the two baselines' modes)."""

    A = "A"  # planner exploration: sampled blueprints, a frozen greedy executor scores them
    B = "B"  # executor adaptation: the best blueprint per task fixed, sampled executions
    JOINT = "AB"  # no co-evolution: both levels sample and learn every iteration
    FLAT = "flat"  # no planner: a flat agent (the task is the one subgoal)

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels that learn in this phase."""
        return {"A": ("planner",), "B": ("executor",), "AB": ("planner", "executor")}.get(self.value, ("executor",))


def phase_of(cfg: HiMACConfig, iteration: int) -> Phase:
    co = cfg.coevolution
    if not co.hierarchical:
        return Phase.FLAT
    if co.random_blueprint:
        return Phase.B
    if not co.coevolve:
        return Phase.JOINT
    cycle = co.phase_a_iters + co.phase_b_iters
    return Phase.A if iteration % cycle < co.phase_a_iters else Phase.B


@dataclass
class DriverState:
    """Everything besides the learners that a resumed run needs to continue exactly."""

    iteration: int = 0
    best_blueprints: dict[str, tuple[list[str], float]] = field(default_factory=dict)
    last_phase_a_tasks: list[dict[str, Any]] = field(default_factory=list)
    warm_started: bool = False


# -- one policy per level ------------------------------------------------------------------
class Policy:
    """One model: its learner group (DeepSpeed ranks), its rollout engines and the weight sync
    between them, proven by a parity probe. In shared-model mode both levels are one Policy."""

    def __init__(self, name: str, learners: list, rollouts: list, *, probe: tuple[list[int], list[int]],
                 parity_threshold: float) -> None:
        self.name, self.learners, self.rollouts = name, learners, rollouts
        self.probe, self.parity_threshold = probe, parity_threshold
        self.weight_sync: NcclSync | ObjectStoreSync | None = None
        self.engine_restarts = 0  # engines found dead (and restarted by Ray) during a sync
        self.weights_version = 0  # bumped by every verified sync; the engines report it with each generation

    def wait_ready(self, timeout_s: float = 900.0) -> None:
        """Until every rollout engine answers (a restarting actor is unavailable for a while)."""
        deadline = time.monotonic() + timeout_s
        for w in self.rollouts:
            while True:
                try:
                    ray.get(w.ready.remote(), timeout=max(1.0, deadline - time.monotonic()))
                    break
                except ray.exceptions.ActorUnavailableError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1.0)

    def connect(self, nccl: bool, tp_size: int) -> None:
        """Set up the learner -> rollout weight path (NCCL on separate GPUs, else the object store)."""
        if nccl:
            self.weight_sync = NcclSync(f"himac-sync-{self.name}", self.learners[0], self.rollouts, tp_size)
        else:
            self.weight_sync = ObjectStoreSync(self.learners[0], self.rollouts)

    def update(self, batch: Batch) -> dict[str, float]:
        """One RL update, the batch sharded over the data-parallel ranks; metrics averaged over
        ranks (*_max keys: their max)."""
        results = ray.get([lw.update.remote(b) for lw, b in zip(self.learners, shard(batch, len(self.learners)))],
                          timeout=3600)
        return {k: reduce_metric(k, [r[k] for r in results]) for k in results[0]}

    def sft(self, batch: Batch, steps: int, lr: float | None) -> float:
        """Behaviour cloning; returns the mean final NLL over ranks."""
        nll = ray.get([lw.sft.remote(b, steps, lr=lr) for lw, b in zip(self.learners, shard(batch, len(self.learners)))],
                      timeout=3600)
        return float(np.mean(nll))

    def sync(self) -> float:
        """Send the learner's weights to every engine, then prove it: max |log-prob difference|.
        An engine that died meanwhile is waited for (Ray restarts it) and synced again."""
        def send_and_probe() -> float:
            self.weight_sync.sync()
            return parity_probe(self.learners[0], self.rollouts[0], *self.probe)

        try:
            diff = send_and_probe()
        except ray.exceptions.RayActorError:
            self.engine_restarts += 1
            self.wait_ready()
            diff = send_and_probe()
        if not diff <= self.parity_threshold:  # NaN fails too
            raise RuntimeError(
                f"weight sync parity probe failed for the {self.name}: rollout and learner log-probs differ by "
                f"{diff:.3g} nats (threshold {self.parity_threshold}); refusing to serve stale or corrupted weights")
        self.weights_version += 1
        ray.get([w.set_weights_version.remote(self.weights_version) for w in self.rollouts], timeout=300)
        return diff

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
        return [*self.learners, *self.rollouts]


# -- the trainer -------------------------------------------------------------------------
class Trainer:
    def __init__(self, cfg: HiMACConfig) -> None:
        self.cfg = cfg
        self.out = Path(cfg.trainer.output_dir)
        self.state = DriverState()
        self.sampler = TaskSampler(cfg.env.name, cfg.trainer.seed, cfg.env.train_split, cfg.env.eval_split)
        self.logger: MetricsLogger | None = None
        self.engine_restarts = 0

    # .. setup ..............................................................................
    def setup(self, with_learners: bool = True) -> None:
        """Start Ray (or attach), then the actors: a Policy per level, the env workers, the rollout."""
        from transformers import AutoTokenizer

        cfg = self.cfg
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.yaml").write_text(to_yaml(cfg))
        self.tok = AutoTokenizer.from_pretrained(cfg.model.path)
        self.pad_id = self.tok.pad_token_id if self.tok.pad_token_id is not None else self.tok.eos_token_id
        _init_ray(cfg)
        self.pgs = create_placement_groups(cfg)
        self.roles = role_specs(cfg)
        gpu = cfg.resources.gpus_per_node > 0
        self.threads = None if gpu else max(1, os.cpu_count() or 1)

        executor = self._start_policy("executor", cfg.model.path, "learner", "rollout", cfg.trainer.seed, with_learners)
        if "planner_learner" in self.roles:  # separate-models mode
            planner = self._start_policy("planner", cfg.model.planner_path or cfg.model.path, "planner_learner",
                                         "planner_rollout", cfg.trainer.seed + 1000, with_learners)
        else:
            planner = executor
        self.policies = {"planner": planner, "executor": executor}
        env_kwargs = dict(cfg.env.kwargs)
        if env_kwargs.get("data_dir"):  # actors may not share the driver's working directory
            env_kwargs["data_dir"] = str(Path(env_kwargs["data_dir"]).resolve())
        self.env_workers = [
            ray.remote(EnvWorker).options(**self._options("env", i), max_restarts=3, max_task_retries=0,
                                          max_concurrency=max_concurrency(cfg.env.envs_per_worker)).remote(
                ENV_IDS[cfg.env.name], cfg.env.envs_per_worker, {"max_steps": cfg.env.max_steps, **env_kwargs},
                step_timeout_s=cfg.env.step_timeout_s, reset_timeout_s=cfg.env.reset_timeout_s,
                linger_s=cfg.env.result_linger_s, threads=cfg.env.threads_per_worker)
            for i in range(self.roles["env"].count)
        ]
        ray.get([w.ready.remote() for p in self.distinct_policies() for w in p.rollouts], timeout=900)
        if with_learners:
            for p in self.distinct_policies():
                p.connect(nccl=gpu and "colocated" not in self.pgs, tp_size=cfg.rollout.tensor_parallel_size)
        self.rollout = Rollout(cfg, self.tok, {lvl: p.rollouts for lvl, p in self.policies.items()},
                               self.env_workers, envs_per_worker=cfg.env.envs_per_worker)

    def _options(self, role: str, i: int) -> dict[str, Any]:
        """Ray options of actor `i` of a role: its placement bundle, CPUs/GPUs and env vars."""
        colocated = "colocated" in self.pgs and role in ("rollout", "learner")
        spec = self.roles[role]
        env_vars = {"VLLM_ALLOW_INSECURE_SERIALIZATION": "1", "TOKENIZERS_PARALLELISM": "false",
                    "VLLM_LOGGING_LEVEL": os.environ.get("VLLM_LOGGING_LEVEL", "WARNING")}
        return actor_options(self.pgs["colocated" if colocated else role], i, spec.cpus, 0.5 if colocated else spec.gpus,
                             runtime_env={"env_vars": env_vars})

    def _start_policy(self, name: str, path: str, learner_role: str, rollout_role: str, seed: int,
                      with_learners: bool) -> Policy:
        cfg, r = self.cfg, self.cfg.rollout
        n, port = self.roles[learner_role].count, free_port()
        learners = [
            ray.remote(LearnerWorker).options(**self._options(learner_role, i)).remote(
                path, cfg, rank=i, world_size=n, master_addr=_node_ip(), master_port=port, num_threads=self.threads)
            for i in range(n)
        ] if with_learners else []
        rollouts = [  # Ray restarts a dead engine; `_rollout` then re-syncs its weights
            ray.remote(RolloutWorker).options(**self._options(rollout_role, i), max_restarts=2, max_task_retries=0).remote(
                path, r.backend, dtype=cfg.model.dtype, seed=seed + i, max_model_len=r.max_model_len,
                gpu_memory_utilization=r.gpu_memory_utilization, tensor_parallel_size=r.tensor_parallel_size,
                enforce_eager=r.enforce_eager, sleep_mode=r.sleep_when_idle, num_threads=self.threads)
            for i in range(self.roles[rollout_role].count)
        ]
        probe = (self.tok.encode("task: push every box onto a target\n<action>", add_special_tokens=False),
                 self.tok.encode("up</action>", add_special_tokens=False))
        return Policy(name, learners, rollouts, probe=probe, parity_threshold=r.sync_parity_threshold)

    def distinct_policies(self) -> list[Policy]:
        """Each model once (one in shared mode, planner and executor in separate-models mode)."""
        return list({id(p): p for p in self.policies.values()}.values())

    # .. one iteration .......................................................................
    def iteration(self, it: int) -> dict[str, Any]:
        """Tasks -> episode specs for the phase -> episodes -> samples -> update -> sync."""
        cfg, t = self.cfg, {}
        phase = phase_of(cfg, it)

        # 1. tasks (phase B re-uses phase A's tasks, whose best blueprints it knows) and specs
        t0 = time.perf_counter()
        if phase is Phase.B and self.state.last_phase_a_tasks and not cfg.coevolution.random_blueprint:
            tasks = self.state.last_phase_a_tasks
        else:
            tasks = self.sampler.train(it, cfg.trainer.batch_tasks)
        specs = self.episode_specs(phase, tasks, it)

        # 2. episodes: planner blueprints, executor turns, env steps
        records = self._rollout(specs)
        t["timing/generate_env"] = time.perf_counter() - t0
        t.update({f"timing/{k}": v for k, v in self.rollout.timing.items()})  # waits, by cause (inside generate_env)
        check_aborted(records, cfg.trainer.max_aborted_fraction, f"iteration {it}")  # never train on nothing
        write_episodes(records[: cfg.trainer.log_train_episodes],
                       self.out / "episodes" / "train" / f"iter_{it:06d}_{phase.value}.jsonl")
        if phase is Phase.A:
            self._remember_best(records)
            self.state.last_phase_a_tasks = tasks

        # 3. group-relative advantages per level -> training samples
        t0 = time.perf_counter()
        a = cfg.algorithm
        by_level: dict[str, list[TrainSample]] = {}
        if "planner" in phase.levels:
            by_level["planner"] = planner_samples(records, a.adv_estimator)
        if "executor" in phase.levels:
            by_level["executor"] = executor_samples(records, a.adv_estimator, gamma=a.gamma, omega=a.gigpo_omega,
                                                    normalize_by_turns=a.normalize_by_turns)
        t["timing/advantage"] = time.perf_counter() - t0

        # 4. update each policy on its levels' samples, then 5. sync its engines (parity probe)
        metrics = self._learn(by_level)
        metrics.update(self._sync(self._policies_of(phase.levels)))
        metrics.update(t)
        metrics.update(episode_metrics(records, "train"))
        for level, samples in by_level.items():
            if samples:
                advs = torch.tensor([s.advantage for s in samples])
                metrics[f"{level}/adv_mean"], metrics[f"{level}/adv_abs_mean"] = float(advs.mean()), float(advs.abs().mean())
                metrics[f"{level}/samples"] = len(samples)
        metrics["phase"] = phase.value
        metrics["rollout/engine_restarts"] = self.engine_restarts + sum(p.engine_restarts for p in self.distinct_policies())
        return metrics

    def episode_specs(self, phase: Phase, tasks: list[dict[str, Any]], it: int) -> list[EpisodeSpec]:
        """`group_size` episodes per task, sampled as the phase asks (one seed per episode)."""
        cfg, G = self.cfg, self.cfg.algorithm.group_size
        train, greedy = Sampling(cfg.rollout.temperature, cfg.rollout.top_p), Sampling(0.0)
        specs = []
        for k, task in enumerate(tasks):
            best = self.state.best_blueprints.get(task["task_id"])
            for g in range(G):
                seed = cfg.trainer.seed * 7_919 + it * 100_003 + k * G + g
                if phase is Phase.FLAT:
                    specs.append(EpisodeSpec(task, [], train, seed=seed))
                elif phase is Phase.A:  # sampled blueprints; the frozen executor scores them
                    scoring = greedy if cfg.coevolution.planner_scoring == "greedy" else train
                    specs.append(EpisodeSpec(task, None, scoring, train, seed=seed))
                elif phase is Phase.JOINT:
                    specs.append(EpisodeSpec(task, None, train, train, seed=seed))
                elif cfg.coevolution.random_blueprint:  # ablation: blueprints sampled at temperature 1
                    specs.append(EpisodeSpec(task, None, train, Sampling(1.0), seed=seed))
                else:  # B: phase A's best blueprint, or the planner's greedy one
                    specs.append(EpisodeSpec(task, best[0] if best else None, train, greedy, seed=seed))
        return specs

    def _rollout(self, specs: list[EpisodeSpec]) -> list[EpisodeRecord]:
        """Run the episodes; if a rollout worker died meanwhile, wait for Ray to restart it, give it
        the current weights (sync + parity probe) and run them again (once)."""
        self.rollout.weights_versions = {lvl: p.weights_version for lvl, p in self.policies.items()}
        records = self.rollout.run(specs)
        if not self.rollout.engine_failures:
            return records
        print(f"[himac] a rollout worker died ({self.rollout.engine_failures} engine calls lost): restarting it, "
              "re-syncing its weights and running the rollout again", flush=True)
        self.engine_restarts += 1
        for p in self.distinct_policies():
            p.wait_ready()
        for p in self.distinct_policies():
            if p.weight_sync is not None:
                p.sync()
        self.rollout.weights_versions = {lvl: p.weights_version for lvl, p in self.policies.items()}
        records = self.rollout.run(specs)
        if self.rollout.engine_failures:
            raise RuntimeError("a rollout worker died again right after its restart; stopping (resume with "
                               "trainer.resume=auto from the last checkpoint)")
        return records

    def _remember_best(self, records: list[EpisodeRecord]) -> None:
        for r in records:
            if r.aborted:
                continue
            best = self.state.best_blueprints.get(r.task_id)
            if best is None or r.episode_return > best[1]:
                self.state.best_blueprints[r.task_id] = (r.blueprint, r.episode_return)

    def _policies_of(self, levels: tuple[str, ...] | set[str]) -> list[Policy]:
        return list({id(self.policies[lvl]): self.policies[lvl] for lvl in levels}.values())

    def _learn(self, by_level: dict[str, list[TrainSample]]) -> dict[str, float]:
        a = self.cfg.algorithm
        dgpo_levels = {lvl for lvl, loss in (("planner", a.planner_loss), ("executor", a.executor_loss)) if loss == "dgpo"}
        metrics: dict[str, float] = {}
        t0 = time.perf_counter()
        tokens = rows = 0
        for policy in self._policies_of(set(by_level)):
            samples = [s for lvl, ss in by_level.items() if self.policies[lvl] is policy for s in ss]
            if not samples:
                continue
            merged = merge_duplicates(samples)  # exact: identical turns become one weighted row
            tokens += sum(len(s.prompt_ids) + len(s.response_ids) for s in samples)
            rows += len(merged)
            metrics.update(policy.update(to_batch(merged, self.pad_id, dgpo_roles=dgpo_levels)))
        metrics["timing/learn"] = time.perf_counter() - t0
        metrics["learn/tokens"], metrics["learn/rows"] = tokens, rows
        return metrics

    def _sync(self, policies: list[Policy]) -> dict[str, float]:
        t0 = time.perf_counter()
        worst = max((p.sync() for p in policies), default=0.0)
        return {"sync/logprob_max_abs_diff": worst, "timing/sync": time.perf_counter() - t0}

    # .. evaluation ............................................................................
    def evaluate(self, tag: str = "eval") -> dict[str, float]:
        """Held-out tasks, one episode each, at the evaluation temperature (0: greedy); the first
        `trainer.log_episodes` episodes are written to `<output_dir>/episodes/<tag>.jsonl`."""
        cfg = self.cfg
        t0 = time.perf_counter()
        s = Sampling(cfg.rollout.eval_temperature)
        tasks = self.sampler.held_out(cfg.trainer.eval_tasks)
        blueprint = None if cfg.coevolution.hierarchical else []
        specs = [EpisodeSpec(t, blueprint, s, s, seed=EVAL_SEED_OFFSET + i) for i, t in enumerate(tasks)]
        records = self._rollout(specs)
        check_aborted(records, cfg.trainer.max_aborted_fraction, "evaluation")
        m = episode_metrics(records, "eval")
        write_episodes(records[: cfg.trainer.log_episodes], self.out / "episodes" / f"{tag}.jsonl")
        m["timing/eval"] = time.perf_counter() - t0
        tokens = sum(len(t.response_ids) for r in records for t in ([r.planner_turn] if r.planner_turn else []) + r.turns)
        m["eval/tokens_per_s"] = tokens / max(m["timing/eval"], 1e-9)
        return m

    # .. behaviour-cloning warm start ...........................................................
    def warm_start(self) -> dict[str, float]:
        """Behaviour cloning on expert blueprints and actions (reported apart from the RL gain)."""
        cfg = self.cfg
        t0 = time.perf_counter()
        samples = collect_expert_samples(self, cfg.trainer.warm_start_episodes)
        nll = []
        for policy in self.distinct_policies():
            own = [s for s in samples if self.policies[s.role] is policy]
            if own:
                nll.append(policy.sft(to_batch(own, self.pad_id),
                                      cfg.trainer.warm_start_steps, cfg.trainer.warm_start_lr or None))
        m = self._sync(self.distinct_policies())
        for policy in self.distinct_policies():  # reusable: model.path=<out>/warm_start/hf_<name> warm_start_steps=0
            policy.export(self.out / "warm_start" / f"hf_{policy.name}", self.tok)
        self.state.warm_started = True
        return {"warm_start/nll": float(np.mean(nll)), "warm_start/samples": len(samples),
                "timing/warm_start": time.perf_counter() - t0, **m}

    # .. checkpoints ............................................................................
    def save(self, it: int) -> Path:
        """Write iter_<it>/ (a MANIFEST of sizes and hashes, then COMPLETE last); prune old ones."""
        from himac.checkpoint import complete_checkpoints, latest_checkpoint, write_manifest

        ckpt = self.out / "checkpoints" / f"iter_{it:06d}"
        try:
            ckpt.mkdir(parents=True, exist_ok=True)
            for policy in self.distinct_policies():
                policy.save(ckpt, self.tok)
            state = {"iteration": it, "best_blueprints": self.state.best_blueprints,
                     "last_phase_a_tasks": self.state.last_phase_a_tasks, "warm_started": self.state.warm_started,
                     "rng": {"python": random.getstate(), "numpy": np.random.get_state(),
                             "torch": torch.get_rng_state()}}
            torch.save(state, ckpt / "driver_state.pt")
            (ckpt / "config.yaml").write_text(to_yaml(self.cfg))
            write_manifest(ckpt)
            (ckpt / "COMPLETE").write_text(str(it))
        except Exception as e:
            if not _out_of_space(e, ckpt):
                raise
            shutil.rmtree(ckpt, ignore_errors=True)  # never COMPLETE: free what it took
            raise RuntimeError(
                f"no space left on device while writing checkpoint {ckpt} ({shutil.disk_usage(ckpt.parent).free} "
                f"bytes free there); the previous checkpoint {latest_checkpoint(self.out)} is intact: free "
                "space and resume with trainer.resume=auto") from e
        keep = self.cfg.trainer.keep_checkpoints
        for old in complete_checkpoints(self.out)[:-keep] if keep > 0 else []:
            shutil.rmtree(old)
        return ckpt

    def load(self, ckpt: Path) -> int:
        """Restore learners, driver state and RNGs from a checkpoint that passed check_checkpoint; sync the engines."""
        from himac.checkpoint import CheckpointDamaged

        for policy in self.distinct_policies():
            try:
                policy.load(ckpt)
            except ray.exceptions.RayTaskError as e:
                raise CheckpointDamaged(f"checkpoint {ckpt}: learner_{policy.name}/ could not be loaded "
                                        f"({str(e).strip().splitlines()[-1]})") from e
        try:
            st = torch.load(ckpt / "driver_state.pt", weights_only=False)
        except Exception as e:
            raise CheckpointDamaged(f"checkpoint {ckpt}: {ckpt / 'driver_state.pt'} could not be read ({e})") from e
        self.state = DriverState(st["iteration"], st["best_blueprints"], st["last_phase_a_tasks"], st["warm_started"])
        random.setstate(st["rng"]["python"])
        np.random.set_state(st["rng"]["numpy"])
        torch.set_rng_state(st["rng"]["torch"])
        self._sync(self.distinct_policies())
        return st["iteration"]

    def shutdown(self) -> None:
        """Kill this trainer's actors and free its placement groups (the Ray session stays)."""
        from ray.util.placement_group import remove_placement_group

        for a in [x for p in self.distinct_policies() for x in p.actors()] + self.env_workers:
            ray.kill(a)
        for pg in self.pgs.values():
            remove_placement_group(pg)

    # .. the loop ...............................................................................
    def train(self) -> dict[str, Any]:
        from himac.checkpoint import check_checkpoint, resolve_resume

        cfg = self.cfg
        ckpt = resolve_resume(cfg.trainer.resume, self.out)
        if ckpt is not None:  # before any Ray work: a damaged or foreign checkpoint is named at once
            check_checkpoint(ckpt, cfg)
        self.setup()
        try:
            start = 0
            if ckpt is not None:
                start = self.load(ckpt) + 1
            self.logger = MetricsLogger(self.out, cfg, resume_after=start - 1 if ckpt is not None else None)
            if ckpt is not None:
                self.logger.info(f"resumed from {ckpt} at iteration {start}")
            if cfg.trainer.warm_start_steps > 0 and not self.state.warm_started:
                if cfg.trainer.eval_at_start:
                    self.logger.log(-1, {**self.evaluate("init"), "phase": "init"})
                self.logger.log(-1, {**self.warm_start(), "phase": "warm_start"})
            if start == 0 and cfg.trainer.eval_at_start:
                self.logger.log(0, {**self.evaluate("iter_000000_start"), "phase": "eval"}, step_offset=False)
            deadline = time.time() + cfg.trainer.time_limit_min * 60 if cfg.trainer.time_limit_min > 0 else None
            last, last_save, skipped_in_a_row = start - 1, time.time(), 0
            with _StopOnSigterm() as sigterm:
                for it in self.logger.progress(range(start, cfg.trainer.iterations)):
                    t0 = time.perf_counter()
                    try:
                        m = self.iteration(it)
                    except ray.exceptions.RayActorError as e:  # a learner (or an engine, twice) died
                        from himac.checkpoint import latest_checkpoint

                        raise RuntimeError(
                            f"iteration {it}: an actor died ({type(e).__name__}: {str(e).splitlines()[0]}); the run stops "
                            f"here. Resume with trainer.resume=auto (last checkpoint: {latest_checkpoint(self.out)})") from e
                    last = it
                    final = (it == cfg.trainer.iterations - 1 or (deadline is not None and time.time() > deadline)
                             or sigterm.received)
                    if (cfg.trainer.eval_every > 0 and (it + 1) % cfg.trainer.eval_every == 0) or final:
                        m.update(self.evaluate(f"iter_{it:06d}"))
                    m["timing/iteration"] = time.perf_counter() - t0
                    nested = ("timing/iteration", "timing/eval", "timing/generate", "timing/env",  # inside generate_env
                              "timing/logprob", "timing/update")  # inside learn
                    stages = sum(v for k, v in m.items() if k.startswith("timing/") and k not in nested)
                    m["timing/overhead"] = max(0.0, m["timing/iteration"] - stages - m.get("timing/eval", 0.0))
                    m["perf/tokens_per_s"] = m.get("learn/tokens", 0) / max(m["timing/iteration"], 1e-9)
                    self.state.iteration = it
                    self.logger.log(it, m)
                    skipped_in_a_row = skipped_in_a_row + 1 if m.get("actor/skipped_steps", 0) > 0 else 0
                    if skipped_in_a_row >= cfg.trainer.max_skipped_steps:
                        raise RuntimeError(
                            f"{skipped_in_a_row} updates in a row skipped optimizer steps for a non-finite loss or "
                            f"gradient (trainer.max_skipped_steps={cfg.trainer.max_skipped_steps}); lower learner.lr or "
                            "check the rewards. The weights were not changed by those steps; the last checkpoint is intact.")
                    every = cfg.trainer.checkpoint_every
                    due = (every > 0 and (it + 1) % every == 0) or (
                        cfg.trainer.checkpoint_every_min > 0 and time.time() - last_save >= cfg.trainer.checkpoint_every_min * 60)
                    if due and not final:
                        self.save(it)
                        last_save = time.time()
                    if final:
                        break
            if last >= start:
                self.save(last)
            if sigterm.received:
                self.logger.info(f"SIGTERM: stopped after iteration {last}; checkpoint written, resume with "
                                 "trainer.resume=auto")
            summary = self.logger.summary()
            if sigterm.received:
                summary["stopped_by"] = "SIGTERM"
            return summary
        finally:  # on an error too: free this run's actors and placement groups
            if self.logger is not None:
                self.logger.close()
            self.shutdown()


def check_aborted(records: list[EpisodeRecord], max_fraction: float, where: str) -> None:
    """A rollout with more than `max_fraction` aborted episodes is a fault: stop, naming the causes."""
    aborted = [r for r in records if r.aborted]
    if records and len(aborted) / len(records) > max_fraction:
        causes = Counter(r.abort_reason.strip().splitlines()[0] if r.abort_reason.strip() else "?" for r in aborted)
        listed = "; ".join(f"{n}x {why}" for why, n in causes.most_common(3))
        raise RuntimeError(f"{where}: {len(aborted)} of {len(records)} episodes aborted (more than "
                           f"trainer.max_aborted_fraction={max_fraction}); causes: {listed}")


def write_episodes(records: list[EpisodeRecord], path: Path) -> None:
    """Episodes as people read them: task, blueprint, each turn's subgoal, response, action and reward."""
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        for r in records:
            f.write(json.dumps({
                "task": r.task_id, "task_type": r.task_type, "won": r.won, "score": r.score,
                "return": r.episode_return, "steps": r.steps, "aborted": r.aborted, "abort_reason": r.abort_reason,
                "planner_response": r.planner_turn.response if r.planner_turn else None, "blueprint": r.blueprint,
                "turns": [{"subgoal": t.subgoal_index, "observation": t.observation[:2000], "response": t.response,
                           "action": t.action, "valid": t.valid, "sub_done": t.sub_done, "reward": t.reward}
                          for t in r.turns],
            }) + "\n")


def episode_metrics(records: list[EpisodeRecord], prefix: str) -> dict[str, float]:
    """Success overall and per task type, return, steps, valid-action ratio, blueprint stats."""
    done = [r for r in records if not r.aborted]
    m: dict[str, float] = {f"{prefix}/episodes": len(records), f"{prefix}/aborted": len(records) - len(done),
                           f"{prefix}/truncated_prompts": sum(r.truncated_prompts for r in records)}
    if not done:
        return m
    steps = sum(r.steps for r in done)
    m.update({
        f"{prefix}/success_rate": float(np.mean([r.won for r in done])),
        f"{prefix}/return": float(np.mean([r.episode_return for r in done])),
        f"{prefix}/steps": float(np.mean([r.steps for r in done])),
        f"{prefix}/valid_action_ratio": 1.0 - sum(r.invalid for r in done) / max(steps, 1),
        f"{prefix}/blueprint_len": float(np.mean([len(r.blueprint) for r in done])),
        f"{prefix}/subgoal_completion": float(np.mean([r.subgoal_completion for r in done])),
    })
    scores = [r.score for r in done if r.score is not None]
    if scores:
        m[f"{prefix}/score"] = float(np.mean(scores))
    per_type: dict[str, list[bool]] = defaultdict(list)
    for r in done:
        per_type[r.task_type].append(r.won)
    if len(per_type) > 1 or "all" not in per_type:
        for k, v in per_type.items():
            m[f"{prefix}/success/{k}"] = float(np.mean(v))
    return m


def expert_blueprint(plan: list[tuple[str, list[str]]], max_subgoals: int) -> list[tuple[str, list[str]]]:
    """The expert's plan as at most `max_subgoals` (subgoal, actions) pairs (the tail merged into the last)."""
    if len(plan) <= max_subgoals:
        return plan
    head, tail = plan[:max_subgoals - 1], plan[max_subgoals - 1:]
    return head + [(tail[0][0], [a for _, acts in tail for a in acts])]


def collect_expert_samples(trainer: Trainer, episodes: int) -> list[TrainSample]:
    """Play the env's expert and record (prompt, expert response) pairs for both levels.

    The expert's plan (`env.expert_plan()`: its actions cut into subgoals) is the planner's
    blueprint; the executor takes the expert's actions under it, one subgoal at a time, and
    writes `<sub_done>` with the last action of each subgoal. Prompts come from the same
    `ExecutorEpisode` the RL rollout uses (temporal mask, budget fallback included); with the
    action constraint on, each response carries the same allowed sets as in RL.
    """
    cfg, tok = trainer.cfg, trainer.tok
    style, sub_done, hier = cfg.agent.prompt_style, uses_sub_done(cfg), cfg.coevolution.hierarchical
    worker = trainer.env_workers[0]
    n = min(episodes, cfg.env.envs_per_worker)
    samples: list[TrainSample] = []
    wave = 0
    while wave * n < episodes or not samples:
        tasks = trainer.sampler.warm_start(wave, n, cfg.trainer.warm_start_tasks)
        results = ray.get(worker.reset.remote(list(enumerate(tasks))), timeout=600)
        errors = [r.error.strip() for r in results if r.aborted]
        live = {r.slot: r for r in results if not r.aborted}
        plans = dict(zip(live, ray.get(worker.expert_plans.remote(list(live)), timeout=600))) if live else {}
        running = {}
        for slot, r in live.items():
            plan = expert_blueprint(plans[slot] or [], cfg.agent.max_subgoals)
            if not plan:
                continue
            task, blueprint = str(r.info.get("task", "")), [g for g, _ in plan] if hier else []
            if hier:
                prompt = planner_prompt(task, r.observation, style=style, max_subgoals=cfg.agent.max_subgoals)
                answer = format_blueprint(blueprint)[len(response_prefix("planner", style)):]
                samples.append(TrainSample(encode(tok, prompt), tok.encode(answer, add_special_tokens=False), 0.0,
                                           "planner"))
            actions = [(act, hier and sub_done and j == len(acts) - 1) for _, acts in plan for j, act in enumerate(acts)]
            running[slot] = (ExecutorEpisode(task, r.observation, list(r.info.get("admissible_actions", [])),
                                               blueprint, use_sub_done=sub_done,
                                               subgoal_budget=cfg.agent.subgoal_budget), iter(actions))
        while running:
            items = []
            for slot, (ep, actions) in list(running.items()):
                act, done = next(actions, (None, False))
                if act is None:
                    del running[slot]
                    continue
                ids = encode(tok, ep.next_prompt(style, history_length=cfg.agent.history_length,
                                                 show_admissible=cfg.agent.show_admissible))
                pieces = response_pieces(act, sub_done=done, style=style, use_sub_done=sub_done)
                response = [t for p in pieces for t in tok.encode(p, add_special_tokens=False)]
                ep.record("".join(pieces))
                allowed = None
                if cfg.rollout.restrict_to_admissible:  # the same constraint the executor samples under in RL
                    choices = turn_constraint(ep.admissible, ep.task, tok, style=style, use_sub_done=sub_done)
                    allowed = ActionTrie(choices).allowed_per_position(response) if response in choices else None
                if allowed is not None or not cfg.rollout.restrict_to_admissible:
                    samples.append(TrainSample(ids, response, 0.0, "executor", allowed))
                items.append((slot, act))
            for res in ray.get(worker.step.remote(items), timeout=600) if items else []:
                ep = running[res.slot][0]
                if res.aborted:
                    del running[res.slot]
                    continue
                ep.observe(res.observation, res.reward, res.terminated, res.truncated, res.info)
                if ep.done:
                    del running[res.slot]
        wave += 1
        if not samples and wave >= 3:  # never loop on an env that cannot start or an expert that never acts
            raise RuntimeError(f"warm start: no expert sample in {wave} waves of {n} episodes "
                               f"({len(errors)} of the last wave's resets failed{': ' + errors[-1] if errors else ''})")
    return samples


class _StopOnSigterm:
    """Within the block, SIGTERM (a preempted pod, `ray job stop`) asks the loop to checkpoint and stop."""

    def __init__(self) -> None:
        self.received = False
        self._previous: Any = None

    def __enter__(self) -> _StopOnSigterm:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.received = True

    def __exit__(self, *exc: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)


def _out_of_space(e: BaseException, path: Path) -> bool:
    """Whether a failed write met a full disk: ENOSPC or its message anywhere in the exception chain (a
    learner's error arrives wrapped by Ray), or no room left where it wrote (torch.save's C++ stream only
    says `basic_ios::clear`)."""
    cause: BaseException | None = e
    while cause is not None:
        if getattr(cause, "errno", None) == errno.ENOSPC or "No space left on device" in str(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    try:
        return shutil.disk_usage(path.parent).free < 16 << 20
    except OSError:
        return False


def _node_ip() -> str:
    return ray.util.get_node_ip_address()


def _init_ray(cfg: HiMACConfig) -> None:
    if ray.is_initialized():
        return
    address = cfg.resources.ray_address or os.environ.get("RAY_ADDRESS")
    env = {"env_vars": {"TOKENIZERS_PARALLELISM": "false", "VLLM_ALLOW_INSECURE_SERIALIZATION": "1"}}
    if "RAY_JOB_CONFIG_JSON_ENV_VAR" in os.environ:
        ray.init(address="auto", log_to_driver=True)  # inside `ray job submit`: the job's runtime env applies
    elif address:
        ray.init(address=address, runtime_env=env, log_to_driver=True)
    else:
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        ray.init(runtime_env=env, include_dashboard=False, log_to_driver=True)


def train(cfg: HiMACConfig) -> dict[str, Any]:
    """Run a whole training job (the `himac train` entry point)."""
    return Trainer(cfg).train()

"""The HiMAC co-evolution driver: one iteration = tasks -> rollout -> advantages -> learn -> sync.

Reads like the paper's algorithm box (HiMAC, arXiv 2603.00977):

    for iteration in 1..N:
        phase = schedule(iteration)       # A: planner exploration | B: executor adaptation
        tasks = sampler.draw(batch_tasks)
        if phase A:  for every task sample G blueprints; the frozen executor (greedy) runs
                     each one; planner advantage = group-relative return over the task's
                     blueprints; remember the best blueprint per task
        if phase B:  fix the best blueprint per task; sample G executions under it;
                     executor advantage = group-relative return, broadcast to every turn
        learner update (PPO-clip or DGPO per level), then weight sync + parity probe
        evaluate every `eval_every` iterations on held-out tasks

A flat agent (`coevolution.hierarchical=false`) runs the same machinery without a planner;
`coevolve=false` trains both levels every iteration. This is the one module (with
`himac.rollout`) that orchestrates Ray actors; it owns no model.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
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
from himac.agent.prompts import executor_prompt, planner_prompt, render_prompt, response_prefix
from himac.config import HiMACConfig, to_dict, to_yaml
from himac.logging import MetricsLogger
from himac.rollout import EpisodeRunner, EpisodeSpec, Sampling
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

    def held_out(self, n: int) -> list[dict[str, Any]]:
        kw = self._split_kwargs(self.eval_split)
        return [{"task_id": f"eval:{i}", "seed": EVAL_SEED_OFFSET + i, "options": None, "split_kwargs": kw}
                for i in range(n)]


def phase_of(cfg: HiMACConfig, iteration: int) -> str:
    """'planner' (phase A), 'executor' (phase B), 'both' (no co-evolution) or 'flat'."""
    co = cfg.coevolution
    if not co.hierarchical:
        return "flat"
    if co.random_blueprint:
        return "executor"
    if not co.coevolve:
        return "both"
    cycle = co.phase_a_iters + co.phase_b_iters
    return "planner" if iteration % cycle < co.phase_a_iters else "executor"


@dataclass
class DriverState:
    """Everything besides the learners that a resumed run needs to continue exactly."""

    iteration: int = 0
    best_blueprints: dict[str, tuple[list[str], float]] = field(default_factory=dict)
    last_phase_a_tasks: list[dict[str, Any]] = field(default_factory=list)
    warm_started: bool = False


# -- the trainer -------------------------------------------------------------------------
class Trainer:
    def __init__(self, cfg: HiMACConfig) -> None:
        self.cfg = cfg
        self.out = Path(cfg.trainer.output_dir)
        self.state = DriverState()
        self.sampler = TaskSampler(cfg.env.name, cfg.trainer.seed, cfg.env.train_split, cfg.env.eval_split)
        self.logger: MetricsLogger | None = None

    # .. setup ..............................................................................
    def setup(self, with_learners: bool = True) -> None:
        """Start Ray (or attach), then the actors. Evaluation needs no learners."""
        from transformers import AutoTokenizer

        cfg = self.cfg
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.yaml").write_text(to_yaml(cfg))
        self.tok = AutoTokenizer.from_pretrained(cfg.model.path)
        self.pad_id = self.tok.pad_token_id if self.tok.pad_token_id is not None else self.tok.eos_token_id
        _init_ray(cfg)
        self.pgs = create_placement_groups(cfg)
        specs = role_specs(cfg)
        gpu = cfg.resources.gpus_per_node > 0
        threads = None if gpu else max(1, os.cpu_count() or 1)
        colocated = "colocated" in self.pgs
        env_vars = {"VLLM_ALLOW_INSECURE_SERIALIZATION": "1", "TOKENIZERS_PARALLELISM": "false",
                    "VLLM_LOGGING_LEVEL": os.environ.get("VLLM_LOGGING_LEVEL", "WARNING")}

        def opts(role: str, i: int, **extra: Any) -> dict[str, Any]:
            s = specs[role]
            pg_name = "colocated" if colocated and role in ("rollout", "learner") else role
            gpus = 0.5 if colocated and role in ("rollout", "learner") else s.gpus
            return actor_options(self.pgs[pg_name], i, s.cpus, gpus, runtime_env={"env_vars": env_vars}, **extra)

        learner_cfg = to_dict(cfg)

        def learner_group(role: str, path: str) -> list:
            n = specs[role].count
            port = free_port()
            return [
                ray.remote(LearnerWorker).options(**opts(role, i)).remote(
                    path, learner_cfg, rank=i, world_size=n, master_addr=_node_ip(), master_port=port,
                    num_threads=threads)
                for i in range(n)
            ]

        def rollout_group(role: str, path: str, seed: int) -> list:
            r = cfg.rollout
            return [
                ray.remote(RolloutWorker).options(**opts(role, i)).remote(
                    path, r.backend, dtype=cfg.model.dtype, seed=seed + i, max_model_len=r.max_model_len,
                    gpu_memory_utilization=r.gpu_memory_utilization, tensor_parallel_size=r.tensor_parallel_size,
                    enforce_eager=r.enforce_eager, sleep_mode=r.sleep_when_idle, num_threads=threads)
                for i in range(specs[role].count)
            ]

        separate = "planner_learner" in specs
        self.learners = {"executor": learner_group("learner", cfg.model.path) if with_learners else []}
        self.rollouts = {"executor": rollout_group("rollout", cfg.model.path, cfg.trainer.seed)}
        if separate:
            planner_path = cfg.model.planner_path or cfg.model.path
            self.learners["planner"] = learner_group("planner_learner", planner_path) if with_learners else []
            self.rollouts["planner"] = rollout_group("planner_rollout", planner_path, cfg.trainer.seed + 1000)
        else:
            self.learners["planner"] = self.learners["executor"]
            self.rollouts["planner"] = self.rollouts["executor"]
        self.env_workers = [
            ray.remote(EnvWorker).options(**opts("env", i), max_restarts=3, max_task_retries=0,
                                          max_concurrency=max_concurrency(cfg.env.envs_per_worker)).remote(
                ENV_IDS[cfg.env.name], cfg.env.envs_per_worker, {"max_steps": cfg.env.max_steps, **cfg.env.kwargs},
                step_timeout_s=cfg.env.step_timeout_s, reset_timeout_s=cfg.env.reset_timeout_s,
                linger_s=cfg.env.result_linger_s, threads=cfg.env.threads_per_worker)
            for i in range(specs["env"].count)
        ]
        ray.get([w.ready.remote() for ws in self.rollouts.values() for w in ws], timeout=900)
        self.syncs = {}
        for role in ("executor", "planner") if separate and with_learners else ("executor",) if with_learners else ():
            learner0, workers = self.learners[role][0], self.rollouts[role]
            if gpu and not colocated:
                self.syncs[role] = NcclSync(f"himac-sync-{role}", learner0, workers, cfg.rollout.tensor_parallel_size)
            else:
                self.syncs[role] = ObjectStoreSync(learner0, workers)
        self._allowed_ids()  # fail fast on an unsupported restricted-decoding setup
        self.runner = EpisodeRunner(cfg, self.tok, self.rollouts, self.env_workers,
                                    envs_per_worker=cfg.env.envs_per_worker)
        self.probe = (self.tok.encode("task: push every box onto a target\n<action>", add_special_tokens=False),
                      self.tok.encode("up</action>", add_special_tokens=False))

    # .. one iteration .......................................................................
    def iteration(self, it: int) -> dict[str, Any]:
        cfg, t = self.cfg, {}
        phase = phase_of(cfg, it)
        G = cfg.algorithm.group_size
        train = Sampling(cfg.rollout.temperature, cfg.rollout.top_p)
        greedy = Sampling(0.0)

        # 1. tasks and episode specs for this phase
        t0 = time.perf_counter()
        if phase == "executor" and self.state.last_phase_a_tasks and not cfg.coevolution.random_blueprint:
            tasks = self.state.last_phase_a_tasks  # phase B re-uses phase A's tasks and best blueprints
        else:
            tasks = self.sampler.train(it, cfg.trainer.batch_tasks)
        specs = []
        for k, task in enumerate(tasks):
            for g in range(G):
                seed = cfg.trainer.seed * 7_919 + it * 100_003 + k * G + g
                if phase == "flat":
                    specs.append(EpisodeSpec(task, [], train, seed=seed))
                elif phase == "planner":  # A: sampled blueprints, executor scores greedily
                    scoring = greedy if cfg.coevolution.planner_scoring == "greedy" else train
                    specs.append(EpisodeSpec(task, None, scoring, train, seed=seed))
                elif phase == "both":
                    specs.append(EpisodeSpec(task, None, train, train, seed=seed))
                else:  # B: the best blueprint of phase A, or the planner's greedy one
                    best = self.state.best_blueprints.get(task["task_id"])
                    if cfg.coevolution.random_blueprint:
                        specs.append(EpisodeSpec(task, None, train, Sampling(1.0), seed=seed))
                    else:
                        specs.append(EpisodeSpec(task, best[0] if best else None, train, greedy, seed=seed))

        # 2. rollout: planner blueprints, executor turns, env steps
        records = self.runner.run(specs)
        t["timing/generate_env"] = time.perf_counter() - t0
        t.update({f"timing/{k}": v for k, v in self.runner.timing.items()})  # waits, by cause (inside generate_env)

        # 3. advantages per level -> samples
        t0 = time.perf_counter()
        if phase == "planner":
            self._remember_best(records)
            self.state.last_phase_a_tasks = tasks
        a = cfg.algorithm
        by_level: dict[str, list[TrainSample]] = {}
        if phase in ("planner", "both"):
            by_level["planner"] = planner_samples(records, a.adv_estimator)
        if phase in ("executor", "both", "flat"):
            by_level["executor"] = executor_samples(records, a.adv_estimator, gamma=a.gamma, omega=a.gigpo_omega,
                                                    restrict=cfg.rollout.restrict_to_admissible,
                                                    normalize_by_turns=a.normalize_by_turns)
        t["timing/advantage"] = time.perf_counter() - t0

        # 4. learn (one update per learner group) and 5. sync weights + parity probe
        metrics = self._learn(by_level)
        metrics.update(self._sync(set(by_level)))
        metrics.update(t)
        metrics.update(episode_metrics(records, "train"))
        for level, samples in by_level.items():
            if samples:
                advs = torch.tensor([s.advantage for s in samples])
                metrics[f"{level}/adv_mean"], metrics[f"{level}/adv_abs_mean"] = float(advs.mean()), float(advs.abs().mean())
                metrics[f"{level}/samples"] = len(samples)
        metrics["phase"] = phase
        return metrics

    def _remember_best(self, records: list[EpisodeRecord]) -> None:
        for r in records:
            if r.aborted:
                continue
            best = self.state.best_blueprints.get(r.task_id)
            if best is None or r.episode_return > best[1]:
                self.state.best_blueprints[r.task_id] = (r.blueprint, r.episode_return)

    def _learn(self, by_level: dict[str, list[TrainSample]]) -> dict[str, float]:
        a = self.cfg.algorithm
        dgpo_roles = {lvl for lvl, loss in (("planner", a.planner_loss), ("executor", a.executor_loss)) if loss == "dgpo"}
        groups: dict[int, tuple[list, list[TrainSample]]] = {}
        for level, samples in by_level.items():
            learners = self.learners[level]
            groups.setdefault(id(learners), (learners, []))[1].extend(samples)
        metrics: dict[str, float] = {}
        t0 = time.perf_counter()
        tokens = rows = 0
        for learners, samples in groups.values():
            if not samples:
                continue
            merged = merge_duplicates(samples)  # exact: identical turns become one weighted row
            batch = to_batch(merged, self.pad_id, dgpo_roles=dgpo_roles, allowed_ids=self._allowed_ids())
            tokens += sum(len(s.prompt_ids) + len(s.response_ids) for s in samples)
            rows += len(merged)
            results = ray.get([lw.update.remote(s) for lw, s in zip(learners, shard(batch, len(learners)))],
                              timeout=3600)
            for k in results[0]:
                metrics[k] = float(np.mean([r[k] for r in results]))
        metrics["timing/learn"] = time.perf_counter() - t0
        metrics["learn/tokens"], metrics["learn/rows"] = tokens, rows
        return metrics

    def _allowed_ids(self) -> list[int]:
        """Token ids the restricted executor may emit (Sokoban's four one-token action words)."""
        if not self.cfg.rollout.restrict_to_admissible:
            return []
        words = ["up", "down", "left", "right"]
        ids = [self.tok.encode(w, add_special_tokens=False) for w in words]
        if self.cfg.env.name != "sokoban" or any(len(i) != 1 for i in ids):
            raise ValueError("rollout.restrict_to_admissible supports Sokoban with one-token action words only "
                             f"(env {self.cfg.env.name!r}, token counts {[len(i) for i in ids]})")
        return sorted(i[0] for i in ids)

    def _sync(self, levels: set[str]) -> dict[str, float]:
        t0 = time.perf_counter()
        roles = {"executor"} if "planner" not in self.syncs else {lvl if lvl != "flat" else "executor" for lvl in levels}
        worst = 0.0
        for role in roles:
            self.syncs[role].sync()
            diff = parity_probe(self.learners[role][0], self.rollouts[role][0], *self.probe)
            worst = max(worst, diff)
            if diff > self.cfg.rollout.sync_parity_threshold:
                raise RuntimeError(
                    f"weight sync parity probe failed for the {role}: rollout and learner log-probs differ by "
                    f"{diff:.3g} nats (threshold {self.cfg.rollout.sync_parity_threshold}); refusing to serve "
                    "stale or corrupted weights")
        return {"sync/logprob_max_abs_diff": worst, "timing/sync": time.perf_counter() - t0}

    # .. evaluation ............................................................................
    def evaluate(self) -> dict[str, float]:
        cfg = self.cfg
        t0 = time.perf_counter()
        s = Sampling(cfg.rollout.eval_temperature)
        tasks = self.sampler.held_out(cfg.trainer.eval_tasks)
        blueprint = None if cfg.coevolution.hierarchical else []
        specs = [EpisodeSpec(t, blueprint, s, s, seed=EVAL_SEED_OFFSET + i) for i, t in enumerate(tasks)]
        records = self.runner.run(specs)
        m = episode_metrics(records, "eval")
        m["timing/eval"] = time.perf_counter() - t0
        return m

    # .. behaviour-cloning warm start ...........................................................
    def warm_start(self) -> dict[str, float]:
        """Behaviour cloning on expert blueprints and actions (reported apart from the RL gain)."""
        cfg = self.cfg
        t0 = time.perf_counter()
        samples = collect_expert_samples(self, cfg.trainer.warm_start_episodes)
        nll = []
        distinct = self._distinct_learners()
        for level, learners in distinct.items():
            own = samples if len(distinct) == 1 else [s for s in samples if s.role == level]
            if not own:
                continue
            batch = to_batch(own, self.pad_id, allowed_ids=self._allowed_ids())
            lr = cfg.trainer.warm_start_lr or None
            nll += ray.get([lw.sft.remote(b, cfg.trainer.warm_start_steps, lr=lr)
                            for lw, b in zip(learners, shard(batch, len(learners)))], timeout=3600)
        m = self._sync({"executor", "planner"})
        self.state.warm_started = True
        return {"warm_start/nll": float(np.mean(nll)), "warm_start/samples": len(samples),
                "timing/warm_start": time.perf_counter() - t0, **m}

    # .. checkpoints ............................................................................
    def save(self, it: int) -> Path:
        ckpt = self.out / "checkpoints" / f"iter_{it:06d}"
        ckpt.mkdir(parents=True, exist_ok=True)
        for role, learners in self._distinct_learners().items():
            path = str((ckpt / f"learner_{role}").resolve())
            ray.get([lw.save.remote(path) for lw in learners], timeout=3600)
            ray.get(learners[0].save_hf.remote(str((ckpt / f"hf_{role}").resolve())), timeout=3600)
            self.tok.save_pretrained(ckpt / f"hf_{role}")
        state = {"iteration": it, "best_blueprints": self.state.best_blueprints,
                 "last_phase_a_tasks": self.state.last_phase_a_tasks, "warm_started": self.state.warm_started,
                 "rng": {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}}
        torch.save(state, ckpt / "driver_state.pt")
        (ckpt / "config.yaml").write_text(to_yaml(self.cfg))
        (ckpt / "COMPLETE").write_text(str(it))
        keep = self.cfg.trainer.keep_checkpoints
        done = sorted(p for p in (self.out / "checkpoints").iterdir() if (p / "COMPLETE").exists())
        for old in done[:-keep] if keep > 0 else []:
            shutil.rmtree(old)
        return ckpt

    def load(self, ckpt: Path) -> int:
        from himac.checkpoint import check_checkpoint

        check_checkpoint(ckpt, self.cfg)
        for role, learners in self._distinct_learners().items():
            path = str((ckpt / f"learner_{role}").resolve())
            ray.get([lw.load.remote(path) for lw in learners], timeout=3600)
        st = torch.load(ckpt / "driver_state.pt", weights_only=False)
        self.state = DriverState(st["iteration"], st["best_blueprints"], st["last_phase_a_tasks"], st["warm_started"])
        random.setstate(st["rng"]["python"])
        np.random.set_state(st["rng"]["numpy"])
        torch.set_rng_state(st["rng"]["torch"])
        for role in self.syncs:
            self._sync({role})
        return st["iteration"]

    def shutdown(self) -> None:
        """Kill this trainer's actors and free its placement groups (the Ray session stays)."""
        from ray.util.placement_group import remove_placement_group

        actors = {id(a): a for ws in (*self.rollouts.values(), *self.learners.values(), self.env_workers) for a in ws}
        for a in actors.values():
            ray.kill(a)
        for pg in self.pgs.values():
            remove_placement_group(pg)

    def _distinct_learners(self) -> dict[str, list]:
        out = {"executor": self.learners["executor"]}
        if self.learners["planner"] is not self.learners["executor"]:
            out["planner"] = self.learners["planner"]
        return out

    # .. the loop ...............................................................................
    def train(self) -> dict[str, Any]:
        from himac.checkpoint import resolve_resume

        cfg = self.cfg
        self.setup()
        start = 0
        ckpt = resolve_resume(cfg.trainer.resume, self.out)
        self.logger = MetricsLogger(self.out, cfg, resume=ckpt is not None)
        if ckpt is not None:
            start = self.load(ckpt) + 1
            self.logger.info(f"resumed from {ckpt} at iteration {start}")
        if cfg.trainer.warm_start_steps > 0 and not self.state.warm_started:
            if cfg.trainer.eval_at_start:
                self.logger.log(-1, {**self.evaluate(), "phase": "init"})
            self.logger.log(-1, {**self.warm_start(), "phase": "warm_start"})
        if start == 0 and cfg.trainer.eval_at_start:
            self.logger.log(0, {**self.evaluate(), "phase": "eval"}, step_offset=False)
        deadline = time.time() + cfg.trainer.time_limit_min * 60 if cfg.trainer.time_limit_min > 0 else None
        last = start - 1
        for it in self.logger.progress(range(start, cfg.trainer.iterations)):
            t0 = time.perf_counter()
            m = self.iteration(it)
            last = it
            final = it == cfg.trainer.iterations - 1 or (deadline is not None and time.time() > deadline)
            if (cfg.trainer.eval_every > 0 and (it + 1) % cfg.trainer.eval_every == 0) or final:
                m.update(self.evaluate())
            m["timing/iteration"] = time.perf_counter() - t0
            nested = ("timing/iteration", "timing/eval", "timing/generate", "timing/env",  # inside generate_env
                      "timing/logprob", "timing/update")  # inside learn
            stages = sum(v for k, v in m.items() if k.startswith("timing/") and k not in nested)
            m["timing/overhead"] = max(0.0, m["timing/iteration"] - stages - m.get("timing/eval", 0.0))
            m["perf/tokens_per_s"] = m.get("learn/tokens", 0) / max(m["timing/iteration"], 1e-9)
            self.state.iteration = it
            if cfg.trainer.checkpoint_every > 0 and (it + 1) % cfg.trainer.checkpoint_every == 0 and not final:
                self.save(it)
            self.logger.log(it, m)
            if final:
                break
        if last >= start:
            self.save(last)
        summary = self.logger.summary()
        self.logger.close()
        self.shutdown()
        return summary


def episode_metrics(records: list[EpisodeRecord], prefix: str) -> dict[str, float]:
    """Success overall and per task type, return, steps, valid-action ratio, blueprint stats."""
    done = [r for r in records if not r.aborted]
    m: dict[str, float] = {f"{prefix}/episodes": len(records), f"{prefix}/aborted": len(records) - len(done)}
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


def expert_blueprint(task: str) -> list[str]:
    """The warm-start blueprint: the task itself as the one subgoal.

    A deliberately plain target: behaviour cloning teaches the planner the blueprint format
    and the executor to act under it; better decompositions are left to RL (phase A).
    """
    return [task]


def collect_expert_samples(trainer: Trainer, episodes: int) -> list[TrainSample]:
    """Run the env's expert and record (prompt, expert response) pairs for both levels:
    the planner writes `expert_blueprint`, the executor takes the expert's action under it."""
    cfg, tok = trainer.cfg, trainer.tok
    style = cfg.agent.prompt_style
    worker = trainer.env_workers[0]
    n = min(episodes, cfg.env.envs_per_worker)
    samples: list[TrainSample] = []
    wave = 0
    while len(samples) == 0 or wave * n < episodes:
        tasks = trainer.sampler.train(-1 - wave, n)
        results = ray.get(worker.reset.remote(list(enumerate(tasks))), timeout=600)
        live = {r.slot: r for r in results if not r.aborted}
        history: dict[int, list[tuple[str, str]]] = {s: [] for s in live}
        if cfg.coevolution.hierarchical:
            for r in live.values():
                task = str(r.info.get("task", ""))
                prompt = planner_prompt(task, r.observation, style=style, max_subgoals=cfg.agent.max_subgoals)
                answer = format_blueprint(expert_blueprint(task))[len(response_prefix("planner", style)):]
                samples.append(TrainSample(tok.encode(render_prompt(prompt, tok), add_special_tokens=False),
                                           tok.encode(answer, add_special_tokens=False), 0.0, "planner"))
        for _ in range(cfg.env.max_steps):
            if not live:
                break
            slots = sorted(live)
            actions = ray.get(worker.expert_actions.remote(slots), timeout=600)
            items = []
            for s, act in zip(slots, actions):
                if act is None:
                    del live[s]
                    continue
                r = live[s]
                task = str(r.info.get("task", ""))
                blueprint = expert_blueprint(task) if cfg.coevolution.hierarchical else []
                # the same prompt the executor will see in RL (history included)
                prompt = executor_prompt(task, blueprint, 0, history[s], r.observation,
                                         r.info.get("admissible_actions", []), style=style,
                                         history_length=cfg.agent.history_length,
                                         show_admissible=cfg.agent.show_admissible,
                                         use_sub_done=cfg.coevolution.use_sub_done)
                ids = tok.encode(render_prompt(prompt, tok), add_special_tokens=False)
                answer = act if cfg.rollout.restrict_to_admissible else \
                    (act + "</action>" if style == "compact" else f"<action>{act}</action>")
                samples.append(TrainSample(ids, tok.encode(answer, add_special_tokens=False), 0.0, "executor",
                                           cfg.rollout.restrict_to_admissible))
                history[s].append((r.observation, act))
                items.append((s, act))
            for res in ray.get(worker.step.remote(items), timeout=600) if items else []:
                if res.aborted or res.terminated or res.truncated:
                    live.pop(res.slot, None)
                else:
                    live[res.slot] = res
        wave += 1
    return samples


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

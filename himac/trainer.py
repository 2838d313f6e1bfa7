"""The HiMAC co-evolution loop: one iteration = tasks -> episodes -> samples -> update -> sync.

Reads like the paper's algorithm box (HiMAC, arXiv 2603.00977):

    for iteration in 1..N:
        phase = phase_of(iteration)       # A: planner exploration | B: executor adaptation
        tasks = sampler.train(iteration)  # phase B replays phase A's tasks
        specs = episode_specs(phase, tasks)
                   A: G sampled blueprints per task, each scored by the frozen (greedy) executor
                   B: the task's best blueprint from phase A fixed, G sampled executions
        records = run_episodes(specs)     # himac.episodes.run_episode, one coroutine per episode
        samples = planner_samples | executor_samples   # group-relative advantages per level
        policy.update(samples); policy.sync()          # PPO-clip or DGPO; weight sync + parity probe
        evaluate every `eval_every` iterations on held-out tasks

A flat agent (`coevolution.hierarchical=false`) runs the same loop without a planner;
`coevolve=false` trains both levels every iteration. The actors come from `himac.launch`.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import Any

import ray
import torch

from himac.checkpoint import (
    RunState,
    check_checkpoint,
    latest_checkpoint,
    load_checkpoint,
    resolve_resume,
    save_checkpoint,
)
from himac.config import ConfigError, HiMACConfig
from himac.episodes import EpisodeSpec, Sampling
from himac.evaluate import evaluate
from himac.launch import Cluster, hit_rate, launch
from himac.logging import MetricsLogger, with_timing
from himac.records import EpisodeRecord, check_aborted, episode_metrics, write_episodes
from himac.samples import (
    TrainSample,
    executor_samples,
    merge_duplicates,
    planner_samples,
    route,
    to_batch,
)
from himac.stops import RunStopped, StopConditions
from himac.tasks import Task, TaskSampler
from himac.warm_start import run_warm_start


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
    """The phase schedule: `phase_a_iters` of A, then `phase_b_iters` of B, repeated."""
    co = cfg.coevolution
    if not co.hierarchical:
        return Phase.FLAT
    if co.random_blueprint:
        return Phase.B
    if not co.coevolve:
        return Phase.JOINT
    cycle = co.phase_a_iters + co.phase_b_iters
    return Phase.A if iteration % cycle < co.phase_a_iters else Phase.B


def episode_specs(cfg: HiMACConfig, phase: Phase, tasks: list[Task], it: int,
                  best_blueprints: dict[str, tuple[list[str], float]]) -> list[EpisodeSpec]:
    """`group_size` episodes per task, sampled as the phase asks (one seed per episode)."""
    G, co = cfg.algorithm.group_size, cfg.coevolution
    train, greedy = Sampling(cfg.rollout.temperature, cfg.rollout.top_p), Sampling(0.0)
    specs = []
    for k, task in enumerate(tasks):
        best = best_blueprints.get(task.task_id)
        for g in range(G):
            seed = cfg.trainer.seed * 7_919 + it * 100_003 + k * G + g
            if phase is Phase.FLAT:
                specs.append(EpisodeSpec(task, [], train, seed=seed))
            elif phase is Phase.A:  # sampled blueprints; the frozen executor scores them
                scoring = greedy if co.planner_scoring == "greedy" else train
                specs.append(EpisodeSpec(task, None, scoring, train, seed=seed))
            elif phase is Phase.JOINT:
                specs.append(EpisodeSpec(task, None, train, train, seed=seed))
            elif co.random_blueprint:  # ablation: blueprints sampled at temperature 1
                specs.append(EpisodeSpec(task, None, train, Sampling(1.0), seed=seed))
            else:  # B: phase A's best blueprint, or the planner's greedy one
                specs.append(EpisodeSpec(task, best[0] if best else None, train, greedy, seed=seed))
    return specs


def remember_best(best: dict[str, tuple[list[str], float]], records: list[EpisodeRecord]) -> None:
    """Phase A's memory: per task, the blueprint with the highest return so far (first one on ties)."""
    for r in records:
        if r.aborted:
            continue
        if r.task_id not in best or r.episode_return > best[r.task_id][1]:
            best[r.task_id] = (r.blueprint, r.episode_return)


def level_samples(cfg: HiMACConfig, phase: Phase, records: list[EpisodeRecord]) -> dict[str, list[TrainSample]]:
    """Group-relative advantages for the levels that learn in this phase."""
    a = cfg.algorithm
    by_level: dict[str, list[TrainSample]] = {}
    if "planner" in phase.levels:
        by_level["planner"] = planner_samples(records, a.planner_adv_estimator)
    if "executor" in phase.levels:
        by_level["executor"] = executor_samples(records, a.adv_estimator, gamma=a.gamma, omega=a.gigpo_omega,
                                                normalize_by_turns=a.normalize_by_turns)
    return by_level


class Trainer:
    def __init__(self, cfg: HiMACConfig) -> None:
        self.cfg = cfg
        self.out = Path(cfg.trainer.output_dir)
        self.state = RunState()
        self.sampler = TaskSampler.of(cfg)
        self.cluster: Cluster | None = None
        self.logger: MetricsLogger | None = None
        self.recoveries = 0  # learner groups lost and rebuilt from the last checkpoint in this job

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
        specs = episode_specs(cfg, phase, tasks, it, self.state.best_blueprints)

        # 2. episodes: planner blueprints, executor turns, env steps
        cache = self.cluster.prefix_cache_counts()
        result = self.cluster.run_episodes(specs)
        t["rollout/prefix_cache_hit_rate"] = hit_rate(cache, self.cluster.prefix_cache_counts())
        records = result.records
        t["timing/generate_env"] = time.perf_counter() - t0
        t.update({f"timing/{k}": v for k, v in result.timing.items()})  # waits, by cause (inside generate_env)
        check_aborted(records, cfg.trainer.max_aborted_fraction, f"iteration {it}")  # never train on nothing
        write_episodes(records[: cfg.trainer.log_train_episodes],
                       self.out / "episodes" / "train" / f"iter_{it:06d}_{phase.value}.jsonl")
        if phase is Phase.A:
            remember_best(self.state.best_blueprints, records)
            self.state.last_phase_a_tasks = tasks

        # 3. group-relative advantages per level -> training samples
        t0 = time.perf_counter()
        by_level = level_samples(cfg, phase, records)
        t["timing/advantage"] = time.perf_counter() - t0

        # 4. update each policy on its levels' samples, then 5. sync its engines (parity probe)
        metrics = self._learn(by_level)
        metrics.update(self._sync(self.cluster.models.of(phase.levels)))
        metrics.update(t)
        metrics.update(episode_metrics(records, "train"))
        metrics.update(_advantage_metrics(by_level))
        metrics["phase"] = phase.value
        metrics["rollout/engine_restarts"] = self.cluster.engine_restarts
        metrics["train/recoveries"] = self.recoveries
        metrics["rollout/worker_replacements"] = self.cluster.worker_replacements
        return metrics

    def _learn(self, by_level: dict[str, list[TrainSample]]) -> dict[str, float]:
        a, models = self.cfg.algorithm, self.cluster.models
        dgpo_levels = {lvl for lvl, loss in (("planner", a.planner_loss), ("executor", a.executor_loss)) if loss == "dgpo"}
        metrics: dict[str, float] = {}
        t0 = time.perf_counter()
        tokens = rows = 0
        for name, samples in route(by_level, models.serves).items():
            merged = merge_duplicates(samples)  # exact: identical turns become one weighted row
            tokens += sum(len(s.prompt_ids) + len(s.response_ids) for s in samples)
            rows += len(merged)
            metrics.update(models.policies[name].update(to_batch(merged, self.cluster.pad_id, dgpo_levels=dgpo_levels)))
        metrics["timing/learn"] = time.perf_counter() - t0
        metrics["learn/tokens"], metrics["learn/rows"] = tokens, rows
        return metrics

    def _sync(self, policies: list) -> dict[str, float]:
        t0 = time.perf_counter()
        worst = self.cluster.sync(policies)
        return {"sync/logprob_max_abs_diff": worst, "timing/sync": time.perf_counter() - t0}

    # .. behaviour-cloning warm start ...........................................................
    def warm_start(self) -> dict[str, float]:
        """Behaviour cloning on the env expert's episodes, played through the one episode loop
        (reported apart from the RL gain); the result is exported for reuse as model.path."""
        m = run_warm_start(self.cluster, self.sampler, self.out, lambda row: self.logger.log(-1, row))
        self.state.warm_started = True
        return m

    # .. checkpoints and evaluation ................................................................
    def evaluate(self, tag: str) -> dict[str, float]:
        return evaluate(self.cluster, self.sampler, tag)

    def save(self, it: int) -> Path:
        return save_checkpoint(self.out, it, self.cluster.models, self.state, self.cfg, self.cluster.tok)

    def load(self, ckpt: Path) -> int:
        """Restore learners, run state and RNGs from a checked checkpoint; sync the engines."""
        self.state = load_checkpoint(ckpt, self.cluster.models)
        self._sync(self.cluster.models.all())
        return self.state.iteration

    # .. the loop ...............................................................................
    def train(self) -> dict[str, Any]:
        """Resume or warm-start, then iterate until done, out of time or stopped; checkpoint and report."""
        ckpt = resolve_resume(self.cfg.trainer.resume, self.out)
        if ckpt is not None:  # before any Ray work: a damaged or foreign checkpoint is named at once
            check_checkpoint(ckpt, self.cfg)
        self.cluster = launch(self.cfg)
        try:
            it = start = self._begin(ckpt)
            with StopConditions(self.cfg) as stop:
                bar = self.logger.progress(self.cfg.trainer.iterations, start)
                while it is not None and it < self.cfg.trainer.iterations:
                    it = self._step(it, stop, bar)
            if self.state.iteration >= start:
                self.save(self.state.iteration)
            return self._summary(stop.sigterm, self.state.iteration)
        except ConfigError:
            raise
        except Exception as e:
            raise self._stopped(e, self.state.iteration) from e
        finally:  # on an error too: free this run's actors and placement groups
            if self.logger is not None:
                self.logger.close()
            self.cluster.shutdown()

    def _step(self, it: int, stop: StopConditions, bar: Any) -> int | None:
        """Iteration `it`, then its evaluation, log row and checkpoint as due; returns the next iteration
        to run (after a learner recovery: the one after the restored checkpoint), None when done."""
        t0 = time.perf_counter()
        m = self._iteration_or_recover(it)
        if m is None:  # a learner was lost and rebuilt: redo the iterations since the checkpoint
            bar.n = self.state.iteration + 1
            return self.state.iteration + 1
        final = it == self.cfg.trainer.iterations - 1 or stop.requested()
        if self._eval_due(it) or final:
            m.update(self.evaluate(f"iter_{it:06d}"))
        self.state.iteration = it
        self.logger.log(it, with_timing(m, time.perf_counter() - t0))
        bar.update(1)
        stop.check_skipped_steps(m)
        if final:
            return None
        self._checkpoint_if_due(it)
        return it + 1

    def _begin(self, ckpt: Path | None) -> int:
        """Load the checkpoint (or not), open the metrics, warm-start and evaluate as configured;
        returns the first iteration to run."""
        cfg = self.cfg
        start = self.load(ckpt) + 1 if ckpt is not None else 0
        self.state.iteration = start - 1  # the last iteration done
        self.logger = MetricsLogger(self.out, cfg, resume_after=start - 1 if ckpt is not None else None)
        if ckpt is not None:
            self.logger.info(f"resumed from {ckpt} at iteration {start}")
        if cfg.trainer.warm_start_steps > 0 and not self.state.warm_started:
            if cfg.trainer.eval_at_start:
                self.logger.log(-1, {**self.evaluate("init"), "phase": "init"})
            self.logger.log(-1, {**self.warm_start(), "phase": "warm_start"})
        if start == 0 and cfg.trainer.eval_at_start:
            self.logger.log(0, {**self.evaluate("iter_000000_start"), "phase": "eval"}, step_offset=False)
        if latest_checkpoint(self.out) is None:  # before the first RL update: every later fault has a state to return to
            self.save(start - 1)
        self._last_save = time.time()
        return start

    def _iteration_or_recover(self, it: int) -> dict[str, Any] | None:
        """The iteration's metrics, or None when a learner died in it and the learner groups were rebuilt
        from the last complete checkpoint (whose iteration is then `state.iteration`)."""
        try:
            return self.iteration(it)
        except ray.exceptions.RayActorError as e:  # a learner (or every actor of a node) died
            self._recover_learners(it, f"{type(e).__name__}: {str(e).splitlines()[0]}")
            return None

    def _recover_learners(self, it: int, cause: str) -> None:
        """Rebuild every learner group, reload the last complete checkpoint (learner states, run state,
        RNGs, best blueprints), re-sync the engines with the parity probe and rewind the metrics to it;
        at most `trainer.max_recoveries` times per job."""
        ckpt, bound = latest_checkpoint(self.out), self.cfg.trainer.max_recoveries
        if ckpt is None or self.recoveries >= bound:
            why = "no checkpoint to recover from" if ckpt is None else f"trainer.max_recoveries={bound} spent"
            raise RunStopped(f"iteration {it}: an actor died ({cause}); {why}", ckpt)
        self.recoveries += 1
        self.logger.info(f"[himac] iteration {it}: an actor died ({cause}); recovery {self.recoveries} of {bound}: "
                         f"rebuilding the learners and resuming from {ckpt.name}")
        self.cluster.rebuild_learners()
        self.load(ckpt)
        self.logger.rewind(self.state.iteration)

    def _stopped(self, e: Exception, last: int) -> Exception:
        """A fault ends the run: first a checkpoint of the last good iteration if none has it and the learners
        still answer (a failed rollout leaves their state intact), then one RunStopped naming it."""
        ckpt = latest_checkpoint(self.out)
        if ckpt is None or int((ckpt / "COMPLETE").read_text()) < last:
            try:
                ckpt = self.save(last)
            except Exception:  # noqa: BLE001 - the learners are gone too: the previous checkpoint stays
                pass
        return e if isinstance(e, RunStopped) else RunStopped(f"{type(e).__name__}: {e}", ckpt)

    def _eval_due(self, it: int) -> bool:
        return self.cfg.trainer.eval_every > 0 and (it + 1) % self.cfg.trainer.eval_every == 0

    def _checkpoint_if_due(self, it: int) -> None:
        """Every `checkpoint_every` iterations and every `checkpoint_every_min` minutes."""
        tc = self.cfg.trainer
        if ((tc.checkpoint_every > 0 and (it + 1) % tc.checkpoint_every == 0)
                or (tc.checkpoint_every_min > 0 and time.time() - self._last_save >= tc.checkpoint_every_min * 60)):
            self.save(it)
            self._last_save = time.time()

    def _summary(self, sigterm: bool, last: int) -> dict[str, Any]:
        summary = self.logger.summary()
        if sigterm:
            self.logger.info(f"SIGTERM: stopped after iteration {last}; checkpoint written, resume with "
                             "trainer.resume=auto")
            summary["stopped_by"] = "SIGTERM"
        return summary


def _advantage_metrics(by_level: dict[str, list[TrainSample]]) -> dict[str, float]:
    m = {}
    for level, samples in by_level.items():
        if samples:
            advs = torch.tensor([s.advantage for s in samples])
            m[f"{level}/adv_mean"], m[f"{level}/adv_abs_mean"] = float(advs.mean()), float(advs.abs().mean())
            m[f"{level}/samples"] = len(samples)
    return m


def train(cfg: HiMACConfig) -> dict[str, Any]:
    """Run a whole training job (the `himac train` entry point)."""
    return Trainer(cfg).train()

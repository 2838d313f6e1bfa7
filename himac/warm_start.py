"""The behaviour-cloning warm start: the env's expert plays through the one episode loop.

Each warm-start episode is a `run_episode` whose answerer is the env's expert instead of the
rollout engines: after the reset the expert's plan (its actions cut into subgoals,
`env.expert_plan()`) becomes the planner's blueprint, and the executor's turns are the
expert's actions under it, `<sub_done>` with the last action of each subgoal, rendered by the
same response formatting the engines are trained to write. So prompts, truncation, the action
constraint and abort accounting are RL's own, and the samples come from the same
`EpisodeRecord`s through `himac.samples.sft_samples`.

`run_warm_start` trains in chunks of `trainer.warm_start_eval_every` steps and logs after each
the validation NLL (the expert's episodes on held-out tasks, never trained on) and, with
`trainer.warm_start_eval_tasks`, a greedy evaluation on that many held-out tasks (valid-action
ratio and success in the action mode RL will use).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from himac.agent import format_blueprint
from himac.agent.constraints import choice_sequences, response_pieces
from himac.agent.prompts import response_prefix
from himac.clients import EnvClient
from himac.config import HiMACConfig
from himac.episodes import Answerer, EpisodeAborted, EpisodeSpec, Sampling, uses_sub_done
from himac.evaluate import evaluate
from himac.protocol import GenRequest, GenResult
from himac.records import EpisodeRecord
from himac.samples import TrainSample, route, sft_samples, to_batch
from himac.tasks import Task, TaskSampler, waves

if TYPE_CHECKING:
    from himac.launch import Cluster

Plan = list[tuple[str, list[str]]]  # (subgoal, its actions) in order


class ExpertGaveUp(EpisodeAborted):
    """The expert has no plan for this task, or its plan ended before the env did."""


def expert_blueprint(plan: Plan, max_subgoals: int) -> Plan:
    """The expert's plan as at most `max_subgoals` (subgoal, actions) pairs (the tail merged into the last)."""
    if len(plan) <= max_subgoals:
        return plan
    head, tail = plan[:max_subgoals - 1], plan[max_subgoals - 1:]
    return head + [(tail[0][0], [a for _, acts in tail for a in acts])]


class _PlannerExpert:
    def __init__(self, blueprint: list[str], style: str, tok: Any) -> None:
        self.text = format_blueprint(blueprint)[len(response_prefix("planner", style)):]
        self.tok = tok

    async def generate(self, request: GenRequest) -> GenResult:
        ids = self.tok.encode(self.text, add_special_tokens=False)
        return GenResult(ids, [math.nan] * len(ids), self.text, "stop")  # no engine sampled it


class _ExecutorExpert:
    """The expert's next action each turn, as the pieces the engine would write (tokenised piece by
    piece, exactly as the action constraint's choices are)."""

    def __init__(self, actions: Iterator[tuple[str, bool]], style: str, use_sub_done: bool, tok: Any) -> None:
        self.actions, self.style, self.use_sub_done, self.tok = actions, style, use_sub_done, tok

    async def generate(self, request: GenRequest) -> GenResult:
        action, sub_done = next(self.actions, (None, False))
        if action is None:
            raise ExpertGaveUp("the expert's plan ended before the episode did")
        pieces = response_pieces(action, sub_done=sub_done, style=self.style, use_sub_done=self.use_sub_done)
        (ids,) = choice_sequences([pieces], self.tok)
        return GenResult(ids, [math.nan] * len(ids), "".join(pieces), "stop")


class ExpertAnswerers:
    """For each episode, after its reset: the env expert's plan as the planner's and the executor's answers."""

    def __init__(self, cfg: HiMACConfig, tok: Any) -> None:
        self.tok, self.style = tok, cfg.agent.prompt_style
        self.max_subgoals, self.hierarchical = cfg.agent.max_subgoals, cfg.coevolution.hierarchical
        self.use_sub_done = uses_sub_done(cfg)

    async def for_episode(self, env: EnvClient, slot: tuple[int, int]) -> Mapping[str, Answerer]:
        plan = expert_blueprint(await env.expert_plan(slot) or [], self.max_subgoals)
        if not plan:
            raise ExpertGaveUp("the env's expert has no plan for this task")
        actions = iter([(act, self.hierarchical and self.use_sub_done and j == len(acts) - 1)
                        for _, acts in plan for j, act in enumerate(acts)])
        return {"planner": _PlannerExpert([g for g, _ in plan], self.style, self.tok),
                "executor": _ExecutorExpert(actions, self.style, self.use_sub_done, self.tok)}


def expert_specs(tasks: list[Task], hierarchical: bool) -> list[EpisodeSpec]:
    """One expert episode per task; the planner writes (the expert's) blueprint unless the agent is flat."""
    greedy = Sampling(0.0)
    return [EpisodeSpec(t, None if hierarchical else [], greedy, greedy, seed=i) for i, t in enumerate(tasks)]


def play_experts(cluster: Cluster, waves: list[list[Task]]) -> tuple[list[EpisodeRecord], list[TrainSample], int]:
    """The expert's episodes on `waves` of tasks (one wave fills the env slots): records, samples, and
    the constrained turns the constraint cannot express (left out)."""
    cfg = cluster.cfg
    expert = ExpertAnswerers(cfg, cluster.tok)
    records, samples, inexpressible = [], [], 0
    for tasks in waves:
        wave = cluster.run_episodes(expert_specs(tasks, cfg.coevolution.hierarchical), expert=expert).records
        wave_samples, wave_inexpressible = sft_samples(wave)
        records.extend(wave)
        samples.extend(wave_samples)
        inexpressible += wave_inexpressible
    return records, samples, inexpressible


def _by_policy(cluster: Cluster, samples: list[TrainSample]) -> dict[str, list[TrainSample]]:
    by_level = {level: [s for s in samples if s.level == level] for level in ("planner", "executor")}
    return route(by_level, cluster.models.serves)


def validation_nll(cluster: Cluster, val: dict[str, list[TrainSample]]) -> float:
    """Mean NLL per response token of the held-out expert samples, over every policy."""
    sums = [cluster.models.policies[name].nll(to_batch(own, cluster.pad_id)) for name, own in val.items() if own]
    return sum(s for s, _ in sums) / max(sum(n for _, n in sums), 1.0)


def run_warm_start(cluster: Cluster, sampler: TaskSampler, out: Path,
                   log: Callable[[dict[str, Any]], None]) -> dict[str, float]:
    """Behaviour cloning on the env expert's episodes; progress rows go to `log`. The result is
    synced to the engines and exported to `<out>/warm_start/hf_<policy>` for reuse as model.path."""
    cfg, tc = cluster.cfg, cluster.cfg.trainer
    t0 = time.perf_counter()
    wave = cfg.env.num_workers * cfg.env.envs_per_worker
    records, samples, inexpressible = play_experts(cluster, sampler.warm_start(tc.warm_start_episodes,
                                                                               tc.warm_start_tasks, wave))
    if not samples:
        reasons = sorted({r.abort_reason.strip().splitlines()[0] for r in records if r.aborted and r.abort_reason})
        raise RuntimeError(f"warm start: no expert sample from {len(records)} episodes "
                           f"({sum(r.aborted for r in records)} aborted: {'; '.join(reasons[:3]) or '-'})")
    held_out = sampler.held_out(tc.warm_start_val_episodes)
    val = _by_policy(cluster, play_experts(cluster, waves(held_out, wave))[1])
    train = {name: to_batch(own, cluster.pad_id) for name, own in _by_policy(cluster, samples).items()}
    chunk, done, nll = tc.warm_start_eval_every or tc.warm_start_steps, 0, float("nan")
    while done < tc.warm_start_steps:
        steps = min(chunk, tc.warm_start_steps - done)
        nll = float(np.mean([cluster.models.policies[name].sft(batch, steps, tc.warm_start_lr or None,
                                                               tc.warm_start_batch_size)
                             for name, batch in train.items()]))
        done += steps
        row = {"phase": "warm_start_progress", "warm_start/step": done, "warm_start/train_nll": nll}
        if any(val.values()):
            row["warm_start/val_nll"] = validation_nll(cluster, val)
        if tc.warm_start_eval_tasks and done < tc.warm_start_steps:  # the last is the run's own start evaluation
            cluster.sync(cluster.models.all())
            m = evaluate(cluster, sampler, f"warm_start_{done:05d}", tasks=tc.warm_start_eval_tasks)
            row.update({k.replace("eval/", "warm_start/"): m[k] for k in ("eval/success_rate", "eval/valid_action_ratio")})
        log(row)
    t_sync = time.perf_counter()
    m = {"sync/logprob_max_abs_diff": cluster.sync(cluster.models.all()), "timing/sync": time.perf_counter() - t_sync}
    for policy in cluster.models.all():  # reusable: model.path=<out>/warm_start/hf_<name> warm_start_steps=0
        policy.export(out / "warm_start" / f"hf_{policy.name}", cluster.tok)
    return {"warm_start/nll": nll, "warm_start/samples": len(samples), "warm_start/episodes": len(records),
            "warm_start/aborted": sum(r.aborted for r in records), "warm_start/inexpressible_turns": inexpressible,
            "timing/warm_start": time.perf_counter() - t0, **m}

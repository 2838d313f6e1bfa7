"""The behaviour-cloning warm start: the env's expert plays through the one episode loop.

Each warm-start episode is a `run_episode` whose answerer is the env's expert instead of the
rollout engines: after the reset the expert's plan (its actions cut into subgoals,
`env.expert_plan()`) becomes the planner's blueprint, and the executor's turns are the
expert's actions under it, `<sub_done>` with the last action of each subgoal, rendered by the
same response formatting the engines are trained to write. So prompts, truncation, the action
constraint and abort accounting are RL's own, and the samples come from the same
`EpisodeRecord`s through `himac.samples.sft_samples`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from himac.agent import format_blueprint
from himac.agent.constraints import choice_sequences, response_pieces
from himac.agent.prompts import response_prefix
from himac.clients import EnvClient
from himac.config import HiMACConfig
from himac.episodes import Answerer, EpisodeAborted, EpisodeSpec, Sampling, uses_sub_done
from himac.protocol import GenRequest, GenResult
from himac.tasks import Task

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

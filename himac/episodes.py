"""Episodes: one coroutine per episode over an answerer and an env client, and the runner.

`run_episode` reads like the paper: reset -> the planner writes a blueprint -> the executor
acts, one turn at a time, until the env says done. It awaits two kinds of client that do
the batching: answerers (`LLMClient` gathers whatever generation requests are ready and
sends one engine call per free rollout worker; for the warm start the env's expert answers
instead, see `himac.warm_start`) and `EnvClient`, which hands out env slots and sends the
steps (and resets) that are ready in one call per env worker, whose results stream back env
by env. So no episode waits for a slower env, each rollout worker has at most one call in
flight, and an env crash or hang comes back as an aborted episode (counted, never dropped).

This is the one module that resets and steps envs; the episode's text logic lives in
`himac.agent` (prompts, parsing, `ExecutorEpisode`).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from himac.agent import parse_blueprint
from himac.agent.constraints import turn_constraint
from himac.agent.episode import ExecutorEpisode, Turn
from himac.agent.prompts import Prompt, planner_prompt, render_prompt, response_prefix, stop_strings
from himac.clients import Activity, EnvClient, EpisodeAborted, LLMClient, TimedSelector
from himac.config import HiMACConfig
from himac.protocol import GenRequest, GenResult
from himac.records import EpisodeRecord
from himac.tasks import Task


@dataclass
class Sampling:
    temperature: float  # 0: greedy
    top_p: float = 1.0


@dataclass
class EpisodeSpec:
    task: Task
    blueprint: list[str] | None  # None: the planner writes one; []: flat agent (the task is the one subgoal)
    executor: Sampling
    planner: Sampling | None = None
    seed: int = 0  # per-episode sampling seed: turn k samples with seed * 1000 + k


@dataclass
class RolloutResult:
    """What `EpisodeRunner.run` returns: one record per spec (in order), the seconds the loop
    waited on generation and on envs alone, and the engine calls lost to a dead rollout worker."""

    records: list[EpisodeRecord]
    timing: dict[str, float] = field(default_factory=dict)
    engine_failures: int = 0


class Answerer(Protocol):
    """Who writes a level's responses: the rollout engines, or the env's expert."""

    async def generate(self, request: GenRequest) -> GenResult: ...


class Answerers(Protocol):
    """The answerer of each level ("planner", "executor") for one episode, after its reset."""

    async def for_episode(self, env: EnvClient, slot: tuple[int, int]) -> Mapping[str, Answerer]: ...


# -- the episode --------------------------------------------------------------------------
async def run_episode(spec: EpisodeSpec, answerers: Answerers, env: EnvClient, cfg: HiMACConfig,
                      tok: Any) -> EpisodeRecord:
    """One episode: reset, blueprint (planner), executor turns until done; aborted on failure."""
    record = EpisodeRecord(spec.task.task_id, "all", list(spec.blueprint or []))
    seeds = itertools.count(spec.seed * 1000)
    episode: ExecutorEpisode | None = None
    info: dict[str, Any] = {}
    async with env.slot() as slot:
        try:
            observation, info = await env.reset(slot, spec.task)
            record.task_type = str(info.get("task_type", "all"))
            task = str(info.get("task", ""))
            answer = await answerers.for_episode(env, slot)
            if spec.blueprint is None:  # macro level: the planner writes the blueprint
                await write_blueprint(record, task, observation, spec.planner, next(seeds), answer["planner"], cfg, tok)
            episode = ExecutorEpisode(task, observation, list(info.get("admissible_actions", [])), record.blueprint,
                                      use_sub_done=uses_sub_done(cfg), subgoal_budget=cfg.agent.subgoal_budget,
                                      history_scope=cfg.agent.history_scope)
            record.turns = episode.records
            while not episode.done:  # micro level: one action per turn under the active subgoal
                action = await act(record, episode, spec.executor, next(seeds), answer["executor"], cfg, tok)
                step = await env.step(slot, action)
                info = step.info
                episode.observe(step.observation, step.reward, step.terminated, step.truncated, info,
                                cfg.agent.invalid_action_penalty)
        except EpisodeAborted as e:
            if episode is not None:
                episode.abort(str(e))
            record.aborted, record.abort_reason = True, str(e)
    if episode is not None:
        record.episode_return, record.won, record.steps = episode.episode_return, episode.won, episode.num_steps
        record.invalid, record.subgoal_completion = episode.invalid_count, episode.subgoal_completion_rate
    record.env_metrics = {k: float(v) for k, v in info.get("metrics", {}).items()}
    return record


async def write_blueprint(record: EpisodeRecord, task: str, observation: str, sampling: Sampling, seed: int,
                          planner: Answerer, cfg: HiMACConfig, tok: Any) -> None:
    """The planner's turn: its prompt, the blueprint it writes (parsed into `record.blueprint`)."""
    style, max_tokens = cfg.agent.prompt_style, cfg.rollout.planner_max_tokens
    ids = encode(tok, planner_prompt(task, observation, style=style, max_subgoals=cfg.agent.max_subgoals))
    if len(ids) > cfg.rollout.max_model_len - max_tokens:
        record.truncated_prompts += 1
        ids = fit_prompt(ids, cfg.rollout.max_model_len - max_tokens)
    out = await planner.generate(GenRequest(ids, max_tokens, sampling.temperature, sampling.top_p,
                                            stop_strings("planner", style), seed=seed))
    record.blueprint = parse_blueprint(response_prefix("planner", style) + out.text, cfg.agent.max_subgoals)
    record.planner_turn = Turn(ids, out.token_ids, response=out.text, rollout_logprobs=out.logprobs)


async def act(record: EpisodeRecord, episode: ExecutorEpisode, sampling: Sampling, seed: int, executor: Answerer,
              cfg: HiMACConfig, tok: Any) -> str:
    """One executor turn: its prompt (the active subgoal's segment), the response, the parsed action."""
    a = cfg.agent
    ids = encode(tok, episode.next_prompt(a.prompt_style, history_length=a.history_length,
                                          show_admissible=a.show_admissible))
    request = executor_request(ids, episode, sampling, seed, cfg, tok)
    room = cfg.rollout.max_model_len - request.max_tokens
    if len(ids) > room:  # too long for the engine: drop the history, then cut the middle
        record.truncated_prompts += 1
        ids = encode(tok, episode.next_prompt(a.prompt_style, history_length=0, show_admissible=a.show_admissible))
        request.prompt_ids = ids = fit_prompt(ids, room)
    out = await executor.generate(request)
    return episode.record(out.text, require_think=a.require_think, prompt_ids=ids, response_ids=out.token_ids,
                          constraint=request.allowed_sequences, rollout_logprobs=out.logprobs)


def uses_sub_done(cfg: HiMACConfig) -> bool:
    """`<sub_done>` is the executor's to write only under a planner's blueprint (not for a flat agent)."""
    return cfg.coevolution.hierarchical and cfg.coevolution.use_sub_done


def encode(tok: Any, prompt: Prompt) -> list[int]:
    """Prompt -> token ids (chat template for message lists, plain text otherwise)."""
    return tok.encode(render_prompt(prompt, tok), add_special_tokens=False)


def fit_prompt(ids: list[int], room: int) -> list[int]:
    """The prompt, or its two ends when it leaves no `room` for the response (the middle is cut,
    so a chat template's opening and the assistant turn's opener both stay)."""
    if len(ids) <= room:
        return ids
    head = room // 2
    return ids[:head] + ids[len(ids) - (room - head):]


def executor_request(ids: list[int], episode: ExecutorEpisode, sampling: Sampling, seed: int, cfg: HiMACConfig,
                     tok: Any) -> GenRequest:
    """An executor turn's request; with `rollout.restrict_to_admissible` the response must be one of
    the turn's admissible actions (an ActionTrie the engine samples inside, see agent/constraints.py)."""
    style, use_sub_done = cfg.agent.prompt_style, uses_sub_done(cfg)
    request = GenRequest(ids, cfg.rollout.executor_max_tokens, sampling.temperature, sampling.top_p,
                         stop_strings("executor", style, use_sub_done=use_sub_done), seed=seed)
    if cfg.rollout.restrict_to_admissible:
        request.allowed_sequences = turn_constraint(episode.admissible, episode.task, tok, style=style,
                                                    use_sub_done=use_sub_done)
        request.max_tokens = max(len(c) for c in request.allowed_sequences)
    return request


# -- running many episodes ---------------------------------------------------------------------
class EngineAnswerers:
    """The rollout engines answer: each level's LLMClient (one client per model, so a shared
    model batches planner and executor requests together)."""

    def __init__(self, clients: Mapping[str, LLMClient]) -> None:
        self.clients = clients

    async def for_episode(self, env: EnvClient, slot: tuple[int, int]) -> Mapping[str, Answerer]:
        return self.clients


class EpisodeRunner:
    """Runs episodes on rollout and env workers: `run(specs, weights_versions)` returns one
    record per spec, in order, with the wait times and the engine calls lost to a dead worker."""

    def __init__(self, cfg: HiMACConfig, tok: Any, engines: Mapping[str, list], serves: Mapping[str, str],
                 env_workers: list) -> None:
        """engines: the rollout workers of each model, by model name; serves: level -> model name
        ({"planner": "executor", "executor": "executor"} for a shared model)."""
        self.cfg, self.tok = cfg, tok
        self.engines, self.serves, self.env_workers = engines, serves, env_workers
        self.timeout_s = max(cfg.env.step_timeout_s, cfg.env.reset_timeout_s) * 4 + 600  # one engine call

    def run(self, specs: list[EpisodeSpec], weights_versions: Mapping[str, int] | None = None, *,
            expert: Answerers | None = None) -> RolloutResult:
        """Play `specs`; each engine must report its model's weights version (by model name; a
        restarted engine reports 0 and its episodes abort). `expert` answers instead of the engines."""
        activity = Activity()
        loop = asyncio.SelectorEventLoop(TimedSelector(activity))
        try:
            records = loop.run_until_complete(self._run(specs, dict(weights_versions or {}), expert, activity))
        finally:
            loop.close()
        return RolloutResult(records, dict(activity.waited), activity.engine_failures)

    async def _run(self, specs: list[EpisodeSpec], versions: dict[str, int], expert: Answerers | None,
                   activity: Activity) -> list[EpisodeRecord]:
        answerers = expert
        if answerers is None:
            clients = {name: LLMClient(workers, activity, linger_s=self.cfg.env.result_linger_s,
                                       timeout_s=self.timeout_s, weights_version=versions.get(name, 0))
                       for name, workers in self.engines.items()}
            answerers = EngineAnswerers({level: clients[name] for level, name in self.serves.items()})
        env = EnvClient(self.env_workers, self.cfg.env.envs_per_worker, activity,
                        step_timeout_s=self.cfg.env.step_timeout_s, reset_timeout_s=self.cfg.env.reset_timeout_s)
        return list(await asyncio.gather(*(run_episode(s, answerers, env, self.cfg, self.tok) for s in specs)))

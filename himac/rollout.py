"""Multi-turn rollout: one coroutine per episode over an LLM client and an env client.

`run_episode` reads like the paper: reset -> the planner writes a blueprint -> the executor
acts, one turn at a time, until the env says done. It awaits two clients that do the
batching: `LLMClient` gathers whatever generation requests are ready and sends one engine
call per free rollout worker; `EnvClient` hands out env slots and sends the steps (and
resets) that are ready in one call per env worker, whose results stream back env by env.
So no episode waits for a slower env, each rollout worker has at most one call in flight,
and an env crash or hang comes back as an aborted episode (counted, never dropped).

With the driver this is the only core module that talks to Ray; the episode's text logic
lives in `himac.agent` (prompts, parsing, `ExecutorEpisode`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import selectors
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import ray

from himac.agent import parse_blueprint
from himac.agent.constraints import turn_constraint
from himac.agent.episode import ExecutorEpisode, Turn
from himac.agent.prompts import Prompt, planner_prompt, render_prompt, response_prefix, stop_strings
from himac.config import HiMACConfig
from himac.protocol import GenRequest, GenResult
from himac.samples import EpisodeRecord


@dataclass
class Sampling:
    temperature: float  # 0: greedy
    top_p: float = 1.0


@dataclass
class EpisodeSpec:
    task: dict[str, Any]  # task_id, seed, options, split_kwargs
    blueprint: list[str] | None  # None: the planner writes one; []: flat agent (the task is the one subgoal)
    executor: Sampling
    planner: Sampling | None = None
    seed: int = 0  # per-episode sampling seed: turn k samples with seed * 1000 + k


class EnvAborted(Exception):
    """The env of an episode crashed, hung or its worker died: the episode ends aborted."""


class EngineDied(Exception):
    """The rollout worker generating for an episode died: the episode ends aborted (the driver
    restarts the engine, re-syncs its weights and runs the rollout again)."""


# -- the episode --------------------------------------------------------------------------
async def run_episode(spec: EpisodeSpec, llm: Mapping[str, LLMClient], env: EnvClient, cfg: HiMACConfig,
                      tok: Any) -> EpisodeRecord:
    """One episode: reset, blueprint (planner), executor turns until done; aborted on env failure."""
    a, style = cfg.agent, cfg.agent.prompt_style
    record = EpisodeRecord(spec.task["task_id"], "all", list(spec.blueprint or []))
    seeds = itertools.count(spec.seed * 1000)
    episode: ExecutorEpisode | None = None
    info: dict[str, Any] = {}
    async with env.slot() as slot:
        try:
            observation, info = await env.reset(slot, spec.task)
            record.task_type = str(info.get("task_type", "all"))
            task = str(info.get("task", ""))

            if spec.blueprint is None:  # macro level: the planner writes the blueprint
                ids = encode(tok, planner_prompt(task, observation, style=style, max_subgoals=a.max_subgoals))
                room = cfg.rollout.max_model_len - cfg.rollout.planner_max_tokens
                if len(ids) > room:
                    record.truncated_prompts += 1
                    ids = fit_prompt(ids, room)
                out = await llm["planner"].generate(GenRequest(
                    ids, cfg.rollout.planner_max_tokens, spec.planner.temperature, spec.planner.top_p,
                    stop_strings("planner", style), seed=next(seeds)))
                record.blueprint = parse_blueprint(response_prefix("planner", style) + out.text, a.max_subgoals)
                record.planner_turn = Turn(ids, out.token_ids, out.logprobs, out.text, finish_reason=out.finish_reason)

            episode = ExecutorEpisode(task, observation, list(info.get("admissible_actions", [])), record.blueprint,
                                      use_sub_done=uses_sub_done(cfg), subgoal_budget=a.subgoal_budget)
            record.turns = episode.records
            while not episode.done:  # micro level: one action per turn under the active subgoal
                ids = encode(tok, episode.next_prompt(style, history_length=a.history_length,
                                                      show_admissible=a.show_admissible))
                request = executor_request(ids, episode, spec.executor, next(seeds), cfg, tok)
                room = cfg.rollout.max_model_len - request.max_tokens
                if len(ids) > room:  # too long for the engine: drop the history, then cut the middle
                    record.truncated_prompts += 1
                    ids = encode(tok, episode.next_prompt(style, history_length=0, show_admissible=a.show_admissible))
                    request.prompt_ids = ids = fit_prompt(ids, room)
                out = await llm["executor"].generate(request)
                action = episode.record(out.text, require_think=a.require_think, prompt_ids=ids,
                                        response_ids=out.token_ids, logprobs=out.logprobs,
                                        finish_reason=out.finish_reason, constraint=request.allowed_sequences)
                step = await env.step(slot, action)
                info = step.info
                episode.observe(step.observation, step.reward, step.terminated, step.truncated, info,
                                a.invalid_action_penalty)
        except (EnvAborted, EngineDied) as e:
            if episode is not None:
                episode.abort(str(e))
            record.aborted, record.abort_reason = True, str(e)
    if episode is not None:
        record.episode_return, record.won, record.steps = episode.episode_return, episode.won, episode.num_steps
        record.invalid, record.subgoal_completion = episode.invalid_count, episode.subgoal_completion_rate
    if "score" in info:
        record.score = float(info["score"])
    return record


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


# -- the two clients the episodes await ----------------------------------------------------
class Activity:
    """What is in flight, and how long the event loop sat waiting while it was.

    Waiting with a generation in flight counts as "generate", with only env calls in flight
    as "env"; everything else the loop did is the driver's own work (prompts, parsing).
    """

    def __init__(self) -> None:
        self.generating = self.stepping = 0
        self.waited = {"generate": 0.0, "env": 0.0}
        self.engine_failures = 0

    def add_wait(self, seconds: float) -> None:
        if self.generating:
            self.waited["generate"] += seconds
        elif self.stepping:
            self.waited["env"] += seconds


class _TimedSelector(selectors.DefaultSelector):
    """The event loop's selector, timing every wait (the loop is idle exactly while it selects)."""

    def __init__(self, activity: Activity) -> None:
        super().__init__()
        self.activity = activity

    def select(self, timeout: float | None = None):
        t0 = time.monotonic()
        try:
            return super().select(timeout)
        finally:
            self.activity.add_wait(time.monotonic() - t0)


class LLMClient:
    """Batches generation requests for one group of rollout workers: one call in flight per worker.

    Requests wait in a queue; a free worker takes its share of all of them. A worker that
    has just become free lingers up to `linger_s` while env calls are still streaming results
    back, so episodes that finish their env step at about the same time share one engine call.
    """

    def __init__(self, workers: list, activity: Activity, *, linger_s: float, timeout_s: float,
                 weights_version: int = 0) -> None:
        self.workers, self.activity, self.weights_version = workers, activity, weights_version
        self.linger_s, self.timeout_s = linger_s, timeout_s
        self.queue: list[tuple[GenRequest, asyncio.Future]] = []
        self.free = list(range(len(workers)))
        self.queued_since = self.free_since = time.monotonic()
        self._scheduled = False

    async def generate(self, request: GenRequest) -> GenResult:
        future = asyncio.get_running_loop().create_future()
        if not self.queue:
            self.queued_since = time.monotonic()
        self.queue.append((request, future))
        self._schedule(0.0)
        return await future

    def _schedule(self, delay: float) -> None:
        if not self._scheduled and self.queue and self.free:
            self._scheduled = True
            asyncio.get_running_loop().call_later(delay, self._send)

    def _send(self) -> None:
        """Split the queue evenly over the free workers, one call each (after the linger, if due)."""
        self._scheduled = False
        if not self.queue or not self.free:
            return
        hold = max(self.queued_since, self.free_since) + self.linger_s - time.monotonic()
        if self.activity.stepping and hold > 0:
            self._schedule(hold)
            return
        queue, workers, self.queue, self.free = self.queue, self.free, [], []
        n = -(-len(queue) // len(workers))
        parts = [queue[k:k + n] for k in range(0, len(queue), n)]
        self.free = workers[len(parts):]
        for w, part in zip(workers, parts):
            asyncio.ensure_future(self._call(w, part))

    async def _call(self, w: int, part: list[tuple[GenRequest, asyncio.Future]]) -> None:
        self.activity.generating += 1
        try:
            results = await asyncio.wait_for(self.workers[w].generate.remote([r for r, _ in part]), self.timeout_s)
        except Exception as e:  # noqa: BLE001  (every request of the call fails; a dead engine aborts them)
            if isinstance(e, ray.exceptions.RayActorError):
                self.activity.engine_failures += 1
                e = EngineDied(f"rollout worker died: {type(e).__name__}")
            for _, f in part:
                if not f.done():
                    f.set_exception(e)
        else:
            stale = any(res.weights_version != self.weights_version for res in results)
            if stale:  # restarted by Ray since the last sync: it serves the weights on disk
                self.activity.engine_failures += 1
            for (_, f), res in zip(part, results):
                if f.done():
                    continue
                if stale:
                    f.set_exception(EngineDied("rollout worker restarted: stale weights"))
                else:
                    f.set_result(res)
        finally:
            self.activity.generating -= 1
            self.free.append(w)
            self.free_since = time.monotonic()
            self._schedule(0.0)


class EnvClient:
    """Env slots over env workers; resets and steps that are ready together go in one call per
    worker, and each env's result comes back as soon as that env is done (streamed)."""

    def __init__(self, workers: list, envs_per_worker: int, activity: Activity, *, step_timeout_s: float,
                 reset_timeout_s: float) -> None:
        """A worker that sends nothing for longer than its envs' own timeouts allow (plus a margin) is
        hung as a whole (a stopped process, C code holding the GIL): it is killed, Ray restarts it,
        and its episodes in that call are aborted."""
        self.workers, self.activity = workers, activity
        self.step_timeout_s, self.reset_timeout_s = step_timeout_s, reset_timeout_s
        self.slots: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        for s in range(envs_per_worker):  # round-robin over workers
            for w in range(len(workers)):
                self.slots.put_nowait((w, s))
        self.outbox: dict[tuple[str, int], dict[int, tuple[Any, asyncio.Future]]] = {}

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[tuple[int, int]]:
        """An env instance (worker, slot) for the length of one episode."""
        slot = await self.slots.get()
        try:
            yield slot
        finally:
            self.slots.put_nowait(slot)

    async def reset(self, slot: tuple[int, int], task: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        res = await self._call("reset", slot, task)
        return res.observation, res.info

    async def step(self, slot: tuple[int, int], action: str) -> Any:
        """The env's EnvResult (observation, reward, terminated, truncated, info)."""
        return await self._call("step", slot, action)

    async def _call(self, kind: str, slot: tuple[int, int], arg: Any) -> Any:
        w, s = slot
        future = asyncio.get_running_loop().create_future()
        box = self.outbox.setdefault((kind, w), {})
        if not box:  # the first of this tick: everything asked for until the loop comes round goes with it
            asyncio.get_running_loop().call_soon(self._send, kind, w)
        box[s] = (arg, future)
        return await future

    def _send(self, kind: str, w: int) -> None:
        asyncio.ensure_future(self._exchange(kind, w, self.outbox.pop((kind, w))))

    async def _exchange(self, kind: str, w: int, box: dict[int, tuple[Any, asyncio.Future]]) -> None:
        """One call to env worker `w`; each streamed result goes to its episode, and whatever does
        not come back is aborted. Resets are retried while a restarted worker comes back up."""
        futures = {s: f for s, (_, f) in box.items()}
        self.activity.stepping += 1
        reason = "env call ended without a result for this episode"
        # the longest the worker may stay silent: twice its envs' own limit (resets may run one after another)
        silence = 2 * (self.reset_timeout_s * len(box) if kind == "reset" else self.step_timeout_s) + 5.0
        deadline = time.monotonic() + silence
        try:
            while futures:
                method = self.workers[w].stream_reset if kind == "reset" else self.workers[w].stream_step
                gen = method.remote([(s, box[s][0]) for s in futures])
                try:
                    await self._receive(gen, futures, silence)
                    break
                except ray.exceptions.ActorUnavailableError:  # restarting: nothing ran yet for a reset
                    if kind != "reset" or time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.5)
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError) as e:
            reason = f"env worker died: {type(e).__name__}"
        except asyncio.TimeoutError:
            reason = f"env worker silent for {silence:.0f}s: killed and restarted"
            ray.kill(self.workers[w], no_restart=False)
        finally:
            self.activity.stepping -= 1
            for f in futures.values():
                if not f.done():
                    f.set_exception(EnvAborted(reason))

    async def _receive(self, gen, futures: dict[int, asyncio.Future], silence: float) -> None:
        """Resolve `futures` (by slot) from a streaming env call until every one has its result."""
        while futures:
            try:
                ref = await asyncio.wait_for(gen.__anext__(), silence)
            except StopAsyncIteration:
                return
            for res in await asyncio.wait_for(ref, silence):
                f = futures.pop(res.slot)
                if f.done():  # its episode was cancelled
                    continue
                if res.aborted:
                    f.set_exception(EnvAborted(res.error))
                else:
                    f.set_result(res)


# -- running many episodes ---------------------------------------------------------------------
class Rollout:
    """Runs episodes on rollout and env workers. `run(specs)` returns one record per spec, in
    order; `timing` then holds the seconds spent waiting on generation and on envs alone, and
    `engine_failures` the engine calls lost to a dead rollout worker."""

    def __init__(self, cfg: HiMACConfig, tok: Any, llm_workers: Mapping[str, list], env_workers: list, *,
                 envs_per_worker: int) -> None:
        """llm_workers: {"planner": [...], "executor": [...]} (the same list for a shared model)."""
        self.cfg, self.tok = cfg, tok
        self.llm_workers, self.env_workers, self.envs_per_worker = llm_workers, env_workers, envs_per_worker
        self.timeout_s = max(cfg.env.step_timeout_s, cfg.env.reset_timeout_s) * 4 + 600  # one engine call
        self.timing = {"generate": 0.0, "env": 0.0}
        self.engine_failures = 0
        self.weights_versions: dict[str, int] = {}  # by level: what the engines must report (the driver sets it)

    def run(self, specs: list[EpisodeSpec]) -> list[EpisodeRecord]:
        activity = Activity()
        loop = asyncio.SelectorEventLoop(_TimedSelector(activity))
        try:
            return loop.run_until_complete(self._run(specs, activity))
        finally:
            loop.close()
            self.timing, self.engine_failures = dict(activity.waited), activity.engine_failures

    async def _run(self, specs: list[EpisodeSpec], activity: Activity) -> list[EpisodeRecord]:
        clients: dict[int, LLMClient] = {}  # one client per worker group: shared mode has one for both levels
        for workers in self.llm_workers.values():
            clients.setdefault(id(workers), LLMClient(workers, activity, linger_s=self.cfg.env.result_linger_s,
                                                      timeout_s=self.timeout_s))
        llm = {role: clients[id(workers)] for role, workers in self.llm_workers.items()}
        for role, version in self.weights_versions.items():
            llm[role].weights_version = version
        env = EnvClient(self.env_workers, self.envs_per_worker, activity, step_timeout_s=self.cfg.env.step_timeout_s,
                        reset_timeout_s=self.cfg.env.reset_timeout_s)
        return list(await asyncio.gather(*(run_episode(s, llm, env, self.cfg, self.tok) for s in specs)))

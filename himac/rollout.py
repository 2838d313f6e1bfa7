"""Asynchronous multi-turn rollout: planner blueprints, executor turns and env steps.

The driver hands over a list of `EpisodeSpec`s; `EpisodeRunner.run` drives them all to
the end and returns one `EpisodeRecord` each. Work moves as soon as it can: env workers
stream each env's result back as it finishes, the episodes that are still running go to
the next free rollout worker together with every other episode ready by then, and
generated actions go straight to the env workers — no episode waits for a slower env.
Env crashes and hangs come back as aborted episodes (counted, never dropped).

With the driver this is the only orchestration code that talks to Ray; the episode logic
itself lives in `himac.agent` (prompts, parsing, `ExecutorEpisode`).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import ray

from actors.rollout import GenRequest, GenResult
from himac.agent import parse_blueprint
from himac.agent.episode import ExecutorEpisode
from himac.agent.prompts import planner_prompt, render_prompt, response_prefix, stop_strings
from himac.samples import EpisodeRecord, Turn


@dataclass
class Sampling:
    temperature: float
    top_p: float = 1.0


@dataclass
class EpisodeSpec:
    task: dict[str, Any]  # task_id, seed, options, split_kwargs
    blueprint: list[str] | None  # None: the planner writes one; [] with hierarchical=False: flat
    executor: Sampling
    planner: Sampling | None = None
    seed: int = 0  # per-episode sampling seed (exact reproducibility)


@dataclass
class _Live:
    spec: EpisodeSpec
    worker: int
    slot: int
    record: EpisodeRecord | None = None
    episode: ExecutorEpisode | None = None
    first_obs: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    turn_seed: itertools.count = field(default_factory=itertools.count)
    pending: Turn | None = None


class EpisodeRunner:
    def __init__(self, cfg, tokenizer, rollout_workers: dict[str, list], env_workers: list, *,
                 envs_per_worker: int) -> None:
        """rollout_workers: {"planner": [...], "executor": [...]} (the same list for a shared model)."""
        self.cfg, self.tok = cfg, tokenizer
        self.rollout, self.env = rollout_workers, env_workers
        self.envs_per_worker = envs_per_worker
        self.style = cfg.agent.prompt_style
        self.wait_timeout = max(cfg.env.step_timeout_s, cfg.env.reset_timeout_s) * 4 + 600
        self.linger_s = cfg.env.result_linger_s
        self.timing = {"generate": 0.0, "env": 0.0}  # seconds of the last `run` spent waiting, by cause
        # per wave: episodes waiting for a rollout worker (since when), busy (role, worker index) pairs
        self._ready: list[_Live] = []
        self._ready_since = self._free_since = 0.0
        self._busy: set[tuple[str, int]] = set()

    def encode(self, prompt) -> list[int]:
        return self.tok.encode(render_prompt(prompt, self.tok), add_special_tokens=False)

    def run(self, specs: list[EpisodeSpec]) -> list[EpisodeRecord]:
        """Every episode to its end. `self.timing` then holds the time spent waiting with a
        generation in flight ("generate") and waiting on env workers alone ("env")."""
        self.timing = {"generate": 0.0, "env": 0.0}
        capacity = len(self.env) * self.envs_per_worker
        out: list[EpisodeRecord] = []
        for start in range(0, len(specs), capacity):  # waves when there are more episodes than envs
            out.extend(self._run_wave(specs[start:start + capacity]))
        return out

    # -- one wave: every episode has its own env slot ---------------------------------------
    def _run_wave(self, specs: list[EpisodeSpec]) -> list[EpisodeRecord]:
        """Drive the episodes of one wave to their end.

        In flight at any time: env calls (Ray generators that stream results back as envs
        finish) and at most one generation call per rollout worker. Episodes whose env result
        is back wait in `self._ready`; a free rollout worker takes all of them at once, so the
        engine batches whatever is ready and no episode waits for a slower env.
        """
        live = [_Live(s, i % len(self.env), i // len(self.env)) for i, s in enumerate(specs)]
        self._ready, self._busy = [], set()
        self._free_since = time.monotonic()
        pending: dict[Any, tuple[str, Any]] = {}
        by_worker: dict[int, dict[int, _Live]] = {}
        for ep in live:
            by_worker.setdefault(ep.worker, {})[ep.slot] = ep
        for w, eps in by_worker.items():
            gen = self.env[w].stream_reset.remote([(slot, e.spec.task) for slot, e in eps.items()])
            pending[gen] = ("reset", eps)

        while pending or self._ready:
            hold_s = self._dispatch(pending)
            t0 = time.monotonic()
            first, _ = ray.wait(list(pending), num_returns=1, timeout=hold_s or self.wait_timeout)
            self.timing["generate" if self._busy else "env"] += time.monotonic() - t0
            if not first:
                if hold_s:
                    continue
                raise TimeoutError(f"rollout stalled: nothing returned for {self.wait_timeout:.0f}s")
            ready, _ = ray.wait(list(pending), num_returns=len(pending), timeout=0)
            for waitable in ready or first:
                if pending[waitable][0] == "generate":
                    self._on_generations(waitable, pending)
                else:
                    self._on_env_chunk(waitable, pending)
        return [ep.record for ep in live]

    def _on_env_chunk(self, gen, pending) -> None:
        """The next list of results of one env call (reset or step)."""
        kind, eps = pending[gen]
        try:
            results = ray.get(next(gen))
        except StopIteration:  # the call has sent everything
            results = []
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError) as e:
            for ep in eps.values():  # the env worker died: its episodes are aborted, the run goes on
                self._abort(ep, f"env worker died: {type(e).__name__}")
            eps.clear()
            results = []
        for res in results:
            ep = eps.pop(res.slot)
            if res.aborted:
                self._abort(ep, res.error)
            elif kind == "reset":
                self._start(ep, res.observation, res.info)
                self._queue(ep)
            else:
                ep.episode.observe(res.observation, res.reward, res.terminated, res.truncated, res.info,
                                   self.cfg.agent.invalid_action_penalty)
                ep.pending.reward = ep.episode.records[-1].reward
                ep.record.turns.append(ep.pending)
                ep.pending = None
                ep.info = res.info
                if ep.episode.done:
                    self._finish(ep)
                else:
                    self._queue(ep)
        if not results:
            for ep in eps.values():  # cannot happen with a healthy worker; never lose an episode
                self._abort(ep, "env call ended without a result for this episode")
            eps.clear()
        if not eps:
            del pending[gen]

    def _start(self, ep: _Live, obs: str, info: dict[str, Any]) -> None:
        ep.first_obs, ep.info = obs, info
        ep.record = EpisodeRecord(ep.spec.task["task_id"], str(info.get("task_type", "all")),
                                  list(ep.spec.blueprint or []), None)

    def _begin_executor(self, ep: _Live) -> None:
        a = self.cfg.agent
        ep.episode = ExecutorEpisode(
            task=str(ep.info.get("task", "")), observation=ep.first_obs,
            admissible=list(ep.info.get("admissible_actions", [])), subgoals=ep.record.blueprint,
            use_sub_done=self.cfg.coevolution.use_sub_done, subgoal_budget=a.subgoal_budget,
        )

    @staticmethod
    def _role(ep: _Live) -> str:
        """Who generates an episode's next turn: the planner (its blueprint) first, then the executor."""
        planning = ep.spec.blueprint is None and ep.record.planner_turn is None and ep.episode is None
        return "planner" if planning else "executor"

    def _request(self, ep: _Live) -> GenRequest:
        """The next generation request of an episode: its blueprint first, then executor turns."""
        seed = ep.spec.seed * 1000 + next(ep.turn_seed)
        if self._role(ep) == "planner":
            prompt = planner_prompt(str(ep.info.get("task", "")), ep.first_obs, style=self.style,
                                    max_subgoals=self.cfg.agent.max_subgoals)
            ids = self.encode(prompt)
            ep.pending = Turn(ids, [], [])
            return GenRequest(ids, self.cfg.rollout.planner_max_tokens, ep.spec.planner.temperature,
                              ep.spec.planner.top_p, stop_strings("planner", self.style), seed=seed)
        if ep.episode is None:
            self._begin_executor(ep)
        prompt = ep.episode.next_prompt(self.style, history_length=self.cfg.agent.history_length,
                                        show_admissible=self.cfg.agent.show_admissible)
        ids = self.encode(prompt)
        ep.pending = Turn(ids, [], [], anchor=ep.episode.observation)
        allowed, max_tokens = None, self.cfg.rollout.executor_max_tokens
        if self.cfg.rollout.restrict_to_admissible:
            # Tiny models: one token chosen among the admissible action words.
            allowed = sorted({t for a in ep.episode.admissible for t in self.tok.encode(a, add_special_tokens=False)})
            max_tokens = 1
        return GenRequest(ids, max_tokens, ep.spec.executor.temperature, ep.spec.executor.top_p,
                          stop_strings("executor", self.style, use_sub_done=self.cfg.coevolution.use_sub_done),
                          allowed_token_ids=allowed or None, seed=seed)

    def _queue(self, ep: _Live) -> None:
        if not self._ready:
            self._ready_since = time.monotonic()
        self._ready.append(ep)

    def _dispatch(self, pending) -> float:
        """Send the ready episodes to free rollout workers, split evenly, one call per worker.

        A worker that has just become free waits up to `linger_s` while env results are still
        streaming in, so episodes that finish their env step at about the same time share one
        engine call. Returns how long it chose to wait (0 when it sent or had nothing to send).
        """
        if not self._ready:
            return 0.0
        env_busy = any(kind != "generate" for kind, _ in pending.values())
        hold_s = max(self._ready_since, self._free_since) + self.linger_s - time.monotonic()
        if env_busy and hold_s > 0:
            return hold_s
        by_role: dict[str, list[_Live]] = {}
        for ep in self._ready:
            by_role.setdefault(self._role(ep), []).append(ep)
        self._ready = []
        for role, eps in by_role.items():
            free = [i for i in range(len(self.rollout[role])) if (role, i) not in self._busy]
            if not free:
                self._ready.extend(eps)  # they go when a worker comes back
                continue
            n = -(-len(eps) // len(free))
            for i, part in zip(free, (eps[k:k + n] for k in range(0, len(eps), n))):
                ref = self.rollout[role][i].generate.remote([self._request(ep) for ep in part])
                pending[ref] = ("generate", (role, i, part))
                self._busy.add((role, i))
        return 0.0

    def _on_generations(self, ref, pending) -> None:
        role, worker, eps = pending.pop(ref)[1]
        self._busy.discard((role, worker))
        self._free_since = time.monotonic()
        results: list[GenResult] = ray.get(ref)
        steps: dict[int, dict[int, tuple[_Live, str]]] = {}
        for ep, res in zip(eps, results):
            ep.pending.response_ids, ep.pending.logprobs = res.token_ids, res.logprobs
            if ep.episode is None:  # a blueprint came back
                text = response_prefix("planner", self.style) + res.text
                ep.record.blueprint = parse_blueprint(text, self.cfg.agent.max_subgoals)
                ep.record.planner_turn, ep.pending = ep.pending, None
                self._queue(ep)
                continue
            text = res.text
            if self.cfg.rollout.restrict_to_admissible:
                text += "</action>"  # generation was cut after the one action token
            action = ep.episode.record(text, require_think=self.cfg.agent.require_think)
            steps.setdefault(ep.worker, {})[ep.slot] = (ep, action)
        for w, items in steps.items():
            gen = self.env[w].stream_step.remote([(slot, a) for slot, (_, a) in items.items()])
            pending[gen] = ("step", {slot: ep for slot, (ep, _) in items.items()})

    def _abort(self, ep: _Live, reason: str) -> None:
        if ep.record is None:
            ep.record = EpisodeRecord(ep.spec.task["task_id"], "all", list(ep.spec.blueprint or []), None)
        if ep.episode is not None:
            ep.episode.abort(reason)
            self._finish(ep)
        ep.record.aborted, ep.record.abort_reason = True, reason

    def _finish(self, ep: _Live) -> None:
        e, r = ep.episode, ep.record
        r.episode_return, r.won, r.steps = e.episode_return, e.won, e.num_steps
        r.invalid, r.subgoal_completion = e.invalid_count, e.subgoal_completion_rate
        r.aborted, r.abort_reason = e.aborted, e.abort_reason
        if "score" in ep.info:
            r.score = float(ep.info["score"])

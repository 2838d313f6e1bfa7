"""The clients an episode awaits: `LLMClient` (generation on a group of rollout workers) and
`EnvClient` (env slots on env workers), each batching whatever is ready into one call per
worker; and `Activity`, which times what the event loop waited on.

A dead engine or a crashed, hung or dead env worker reaches the episode as an
`EpisodeAborted` exception: the episode ends aborted, counted, never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import selectors
import time
from collections.abc import AsyncIterator
from typing import Any

import ray

from himac.protocol import GenRequest, GenResult
from himac.tasks import Task


class EpisodeAborted(Exception):
    """The episode cannot go on: it ends aborted, with this as its reason."""


class EnvAborted(EpisodeAborted):
    """The env of an episode crashed, hung or its worker died."""


class EngineDied(EpisodeAborted):
    """The rollout worker generating for an episode died (the trainer restarts the engine,
    re-syncs its weights and runs the rollout again)."""



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


class TimedSelector(selectors.DefaultSelector):
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

    async def reset(self, slot: tuple[int, int], task: Task) -> tuple[str, dict[str, Any]]:
        res = await self._call("reset", slot, task)
        return res.observation, res.info

    async def expert_plan(self, slot: tuple[int, int]) -> list[tuple[str, list[str]]] | None:
        """The env expert's remaining actions cut into (subgoal, actions), None when it has none."""
        w, s = slot
        try:
            plans = await asyncio.wait_for(self.workers[w].expert_plans.remote([s]), 2 * self.step_timeout_s + 5.0)
        except (ray.exceptions.RayActorError, asyncio.TimeoutError) as e:
            raise EnvAborted(f"env worker gave no expert plan: {type(e).__name__}") from e
        return plans[0]

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

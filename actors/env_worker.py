"""EnvWorker: hosts many environment instances in one Ray actor.

Every env call runs with a timeout on a worker thread. An env that raises or hangs is
replaced by a fresh instance and the call returns an `aborted` result, so the driver
records the episode as aborted and counts it — nothing is silently dropped.

Results stream back. `stream_step(items)` and `stream_reset(items)` are Ray generator
methods: they yield lists of results as the envs finish (an env's result is held back at
most `linger_s` to travel with others that finish at about the same time), so a fast env's
episode goes on to generation while a slow env in the same call is still stepping. The
actor is threaded (`max_concurrency`), so a new call for other slots runs while an
earlier one still waits on its slowest env. `step` and `reset` are the same calls
returning one list.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym


@dataclass
class EnvResult:
    slot: int
    observation: str = ""
    reward: float = 0.0
    terminated: bool = False
    truncated: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    aborted: bool = False
    error: str = ""


def max_concurrency(num_envs: int) -> int:
    """Concurrent calls an EnvWorker actor accepts: one per env (capped) plus one for stats."""
    return min(num_envs, 64) + 1


class EnvWorker:
    def __init__(self, env_id: str, num_envs: int, env_kwargs: dict[str, Any] | None = None, *,
                 step_timeout_s: float = 30.0, reset_timeout_s: float = 60.0, linger_s: float = 0.01,
                 threads: int = 4) -> None:
        import envs  # noqa: F401  (registers the himac/* ids)

        self.env_id, self.kwargs = env_id, dict(env_kwargs or {})
        self.step_timeout_s, self.reset_timeout_s, self.linger_s = step_timeout_s, reset_timeout_s, linger_s
        self.envs: list[gym.Env | None] = [None] * num_envs
        self.split_kwargs: list[dict[str, Any]] = [{}] * num_envs
        self.threads = max(1, min(num_envs, threads))  # envs stepping at once (more help where steps release the GIL)
        self.pool = cf.ThreadPoolExecutor(max_workers=self.threads)
        self.restarts = 0
        self._lock = threading.Lock()  # guards `restarts` and `pool` across concurrent calls
        self._reset_lock = threading.Lock()  # resets run one at a time (see `stream_reset`)

    def _make(self, slot: int, split_kwargs: dict[str, Any]) -> gym.Env:
        env = self.envs[slot]
        if env is None or self.split_kwargs[slot] != split_kwargs:
            if env is not None:
                env.close()
            env = gym.make(self.env_id, **{**self.kwargs, **split_kwargs}).unwrapped
            self.envs[slot], self.split_kwargs[slot] = env, split_kwargs
        return env

    def _restart(self, slot: int, hung: bool) -> None:
        with self._lock:
            self.restarts += 1
            if hung:  # the hung call keeps its thread: later calls get a pool of free threads
                self.pool.shutdown(wait=False)
                self.pool = cf.ThreadPoolExecutor(max_workers=self.threads)
        old = self.envs[slot]
        self.envs[slot] = None
        try:
            if old is not None:
                old.close()
        except Exception:  # a broken env may fail to close; it is discarded either way
            pass

    def _result(self, slot: int, fut: cf.Future, wait_s: float, limit_s: float) -> EnvResult:
        """Wait up to `wait_s` for one env call; a timeout (the call ran past `limit_s`) or an
        exception restarts the env and aborts its episode."""
        try:
            return fut.result(timeout=wait_s)
        except cf.TimeoutError:
            self._restart(slot, hung=True)
            return EnvResult(slot, aborted=True, error=f"env call timed out after {limit_s:.0f}s")
        except Exception as e:  # any env failure aborts that episode only
            self._restart(slot, hung=False)
            return EnvResult(slot, aborted=True, error=f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")

    def _submit(self, fn: Callable, *args) -> cf.Future:
        with self._lock:
            return self.pool.submit(fn, *args)

    def _reset_one(self, slot: int, task: dict[str, Any]) -> EnvResult:
        env = self._make(slot, task.get("split_kwargs", {}))
        obs, info = env.reset(seed=task.get("seed"), options=task.get("options"))
        return EnvResult(slot, obs, 0.0, False, False, info)

    def _step_one(self, slot: int, action: str) -> EnvResult:
        env = self.envs[slot]
        if env is None:
            raise RuntimeError(f"env slot {slot} has no live episode (it was restarted)")
        obs, r, term, trunc, info = env.step(action)
        return EnvResult(slot, obs, r, term, trunc, info)

    def stream_reset(self, items: list[tuple[int, dict[str, Any]]]) -> Iterator[list[EnvResult]]:
        """items: (slot, task) with task keys seed, options, split_kwargs. Yields lists of results.

        Resets run one at a time: some engines (TextWorld's PDDL translator) are not safe to
        load concurrently. A list is sent when it is `linger_s` old or a reset was that slow.
        """
        with self._reset_lock:
            chunk: list[EnvResult] = []
            first = 0.0
            for slot, task in items:
                start = time.monotonic()
                res = self._result(slot, self._submit(self._reset_one, slot, task), self.reset_timeout_s,
                                   self.reset_timeout_s)
                now = time.monotonic()
                if not chunk:
                    first = now
                chunk.append(res)
                if now - first >= self.linger_s or now - start >= self.linger_s:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

    def stream_step(self, items: list[tuple[int, str]]) -> Iterator[list[EnvResult]]:
        """items: (slot, action text). Steps run concurrently; yields lists of results as they finish."""
        deadline = time.monotonic() + self.step_timeout_s
        running = {self._submit(self._step_one, s, a): s for s, a in items}
        chunk: list[EnvResult] = []
        first = 0.0
        while running:
            now = time.monotonic()
            wait_s = deadline - now if not chunk else min(deadline, first + self.linger_s) - now
            done, _ = cf.wait(running, timeout=max(0.0, wait_s), return_when=cf.FIRST_COMPLETED)
            now = time.monotonic()
            if now >= deadline:
                done = set(running)  # what is still running now times out in `_result`
            for fut in done:
                if not chunk:
                    first = now
                chunk.append(self._result(running.pop(fut), fut, 0, self.step_timeout_s))
            if chunk and (not running or now - first >= self.linger_s):
                yield chunk
                chunk = []

    def reset(self, items: list[tuple[int, dict[str, Any]]]) -> list[EnvResult]:
        """`stream_reset` as one list, in the order of `items`."""
        return [r for chunk in self.stream_reset(items) for r in chunk]

    def step(self, items: list[tuple[int, str]]) -> list[EnvResult]:
        """`stream_step` as one list, in the order of `items`."""
        by_slot = {r.slot: r for chunk in self.stream_step(items) for r in chunk}
        return [by_slot[s] for s, _ in items]

    def expert_actions(self, slots: list[int]) -> list[str | None]:
        """The env's expert policy's next action for each slot (None when it has none)."""
        out = []
        for s in slots:
            env = self.envs[s]
            fn = getattr(env, "expert_action", None)
            out.append(fn() if fn is not None else None)
        return out

    def stats(self) -> dict[str, int]:
        return {"restarts": self.restarts}

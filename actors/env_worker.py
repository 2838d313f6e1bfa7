"""EnvWorker: hosts many environment instances in one Ray actor.

Where an env runs depends on what its class declares (gymnasium `metadata["thread_safe"]`):
- thread-safe envs (Sokoban, WebShop) live in the worker and step on a pool of `threads`
  threads; resets run one at a time;
- the others (ALFWorld: TextWorld aborts every episode when several step on threads, alfworld#71),
  and envs that declare nothing, live one per child process (`forkserver`: the worker is a
  threaded Ray actor, where fork is unsafe), started lazily and in parallel. They step and
  reset truly in parallel, and a hung or crashed child (even `os._exit` or a segfault) takes
  down its own env only: it is killed (SIGKILL) and replaced by a fresh process.

Every env call has a timeout counted from when the env begins it, not from when it was
queued. An env that raises, hangs or dies is restarted and the call returns an `aborted`
result, so the episode runner records the episode as aborted and counts it — nothing is silently
dropped. A restarted env has no episode until its next reset; the late reply of a killed
child goes nowhere (its pipe goes with it).

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
import multiprocessing as mp
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import gymnasium as gym
from gymnasium.envs.registration import EnvSpec

from himac.tasks import Task

POLL_S = 0.05  # how often a stream looks again at calls that have not begun (queued, or a child starting)


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
    """Concurrent calls an EnvWorker actor accepts: one per env (capped) plus one spare."""
    return min(num_envs, 64) + 1


def thread_safe(spec: EnvSpec) -> bool:
    """What the env class declares in `metadata["thread_safe"]`; False (processes) when it is silent."""
    from envs import entry_metadata

    return bool(entry_metadata(spec.entry_point).get("thread_safe", False))


@dataclass
class _Call:
    """One env call: ("reset", seed, options, split_kwargs) | ("step", action) | ("expert", method)."""

    slot: int
    message: tuple
    started: float | None = None  # monotonic time the env began the call; its timeout counts from here
    result: Any = None  # reset/step: (obs, reward, terminated, truncated, info); expert: what `method` returned
    error: str = ""


def _describe(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"


class _Host:
    """One slot's env and the messages it answers, the same in a worker thread and in a child process."""

    def __init__(self, spec: EnvSpec, kwargs: dict[str, Any]) -> None:
        self.spec, self.kwargs = spec, kwargs
        self.env: gym.Env | None = None
        self.split_kwargs: dict[str, Any] = {}

    def answer(self, message: tuple) -> tuple[str, Any]:
        """("ok", result) or ("error", description); an env failure never escapes."""
        try:
            return "ok", self._handle(message)
        except Exception as e:  # any env failure aborts that episode only
            return "error", _describe(e)

    def _handle(self, message: tuple) -> Any:
        op = message[0]
        if op == "reset":
            _, seed, options, split_kwargs = message
            if self.env is None or split_kwargs != self.split_kwargs:
                self.close()
                self.env = gym.make(self.spec, **{**self.kwargs, **split_kwargs}).unwrapped
                self.split_kwargs = split_kwargs
            obs, info = self.env.reset(seed=seed, options=options)
            return obs, 0.0, False, False, info
        if op == "expert":  # an expert method of the env (expert_plan); None without one
            fn = getattr(self.env, message[1], None)
            return fn() if fn is not None else None
        if self.env is None:
            raise RuntimeError("env has no live episode (it was restarted)")
        assert op == "step", f"unknown env call {op!r}"
        return self.env.step(message[1])

    def close(self) -> None:
        env, self.env = self.env, None
        if env is not None:
            env.close()


def _serve(conn: Connection, spec: EnvSpec, kwargs: dict[str, Any]) -> None:
    """A child process's loop: say ready, then answer one message at a time until ("close",) or EOF."""
    host = _Host(spec, kwargs)
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the worker is gone
            break
        if message[0] == "close":
            break
        conn.send(host.answer(message))
    host.close()


class _InThreads:
    """Thread-safe envs in the worker: steps (and expert calls) on `threads` threads, resets on one."""

    def __init__(self, spec: EnvSpec, kwargs: dict[str, Any], num_envs: int, threads: int) -> None:
        self.spec, self.kwargs = spec, kwargs
        self.hosts = [_Host(spec, kwargs) for _ in range(num_envs)]
        self.sizes = {"reset": 1, "step": threads}
        self.pools = {lane: cf.ThreadPoolExecutor(max_workers=n) for lane, n in self.sizes.items()}
        self._lock = threading.Lock()  # guards `pools` and `hosts` across concurrent calls

    @staticmethod
    def _lane(call: _Call) -> str:
        return "reset" if call.message[0] == "reset" else "step"

    def submit(self, call: _Call) -> cf.Future:
        with self._lock:
            return self.pools[self._lane(call)].submit(self._run, call)

    def _run(self, call: _Call) -> tuple[str, Any]:
        call.started = time.monotonic()
        return self.hosts[call.slot].answer(call.message)

    def restart(self, call: _Call, hung: bool) -> None:
        """A fresh env in the slot. A hung call keeps its thread (and its env): its lane gets a
        new pool, and the calls still queued on the old one are cancelled (`EnvWorker._run` resubmits them)."""
        with self._lock:
            old, self.hosts[call.slot] = self.hosts[call.slot], _Host(self.spec, self.kwargs)
            if hung:
                lane = self._lane(call)
                self.pools[lane].shutdown(wait=False, cancel_futures=True)
                self.pools[lane] = cf.ThreadPoolExecutor(max_workers=self.sizes[lane])
        if not hung:
            try:
                old.close()
            except Exception:  # a broken env may fail to close; it is discarded either way
                pass

    def close(self) -> None:
        for pool in self.pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        for host in self.hosts:
            host.close()


# A forkserver child's exit status is read once from its sentinel pipe; two threads polling the
# same child at once (a call that saw EOF, a restart's kill, and `Process.start`, which polls every
# child) race for it and the loser records exit code 255. Every poll and start here takes this lock.
_REAP_LOCK = threading.Lock()


class _Child:
    """One env in its own process, talked to over a pipe, one call at a time."""

    def __init__(self, ctx: mp.context.BaseContext, spec: EnvSpec, kwargs: dict[str, Any]) -> None:
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(theirs, spec, kwargs), daemon=True)
        with _REAP_LOCK:  # start() polls every child process of this one (multiprocessing's cleanup)
            self.proc.start()
        theirs.close()
        self.ready = False
        self._lock = threading.Lock()  # one message in flight per pipe

    def call(self, call: _Call, start_timeout_s: float) -> tuple[str, Any]:
        """Send one message and wait for its reply; `call.started` is set once the child is up."""
        with self._lock:
            try:
                if not self.ready:
                    if not self.conn.poll(start_timeout_s):
                        raise TimeoutError(f"env process did not start in {start_timeout_s:.0f}s")
                    self.conn.recv()
                    self.ready = True
                call.started = time.monotonic()
                self.conn.send(call.message)
                return self.conn.recv()
            except (EOFError, ConnectionError):
                code = self.reap(timeout_s=1.0)
                raise RuntimeError(f"env process {self.proc.pid} died (exit code {code})") from None

    def reap(self, timeout_s: float) -> int | None:
        """Wait up to `timeout_s` for the process to end; its exit code (None while it runs)."""
        mp.connection.wait([self.proc.sentinel], timeout_s)
        with _REAP_LOCK:
            return self.proc.exitcode

    def kill(self) -> None:
        """SIGKILL. The pipe is left to the thread that may still read it (it gets EOF) and to GC."""
        self.proc.kill()
        self.reap(timeout_s=5.0)

    def close(self) -> None:
        """Ask the child to close its env and exit; SIGKILL when it is busy or does not."""
        if self.ready and self._lock.acquire(blocking=False):
            try:
                self.conn.send(("close",))
                self.reap(timeout_s=2.0)
            except ConnectionError:  # already dead
                pass
        self.kill()


class _InProcesses:
    """Envs one per child process; each call waits on its child's pipe in a thread of `pool`."""

    def __init__(self, spec: EnvSpec, kwargs: dict[str, Any], num_envs: int, start_timeout_s: float) -> None:
        from envs import entry_metadata

        self.spec, self.kwargs, self.start_timeout_s = spec, kwargs, start_timeout_s
        self.ctx = mp.get_context("forkserver")
        # The fork server imports these once (the main module too: each child would import it
        # again, and the modules the env class names in `metadata["preload"]`), so children
        # forked from it start in milliseconds.
        entry = [spec.entry_point.split(":")[0]] if isinstance(spec.entry_point, str) else []
        self.ctx.set_forkserver_preload(["__main__", __name__, *entry, *entry_metadata(spec.entry_point).get("preload", ())])
        self.children: list[_Child | None] = [None] * num_envs
        self.pool = cf.ThreadPoolExecutor(max_workers=num_envs)
        self._lock = threading.Lock()  # guards `children`

    def submit(self, call: _Call) -> cf.Future:
        return self.pool.submit(self._run, call)

    def _run(self, call: _Call) -> tuple[str, Any]:
        with self._lock:
            child = self.children[call.slot]
            if child is None:  # first use: started here, so a call's children start in parallel
                child = self.children[call.slot] = _Child(self.ctx, self.spec, self.kwargs)
        return child.call(call, self.start_timeout_s)

    def restart(self, call: _Call, hung: bool) -> None:
        """Kill the slot's child and start its replacement now, so that it is up by the next reset."""
        with self._lock:
            old, self.children[call.slot] = self.children[call.slot], _Child(self.ctx, self.spec, self.kwargs)
        if old is not None:
            old.kill()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        for child in self.children:
            if child is not None:
                child.close()


class EnvWorker:
    def __init__(self, env_id: str, num_envs: int, env_kwargs: dict[str, Any] | None = None, *,
                 step_timeout_s: float = 30.0, reset_timeout_s: float = 60.0, linger_s: float = 0.01,
                 threads: int = 4) -> None:
        import envs  # noqa: F401  (registers the himac/* ids)

        spec = gym.spec(env_id)
        self.env_id, self.kwargs = env_id, dict(env_kwargs or {})
        self.step_timeout_s, self.reset_timeout_s, self.linger_s = step_timeout_s, reset_timeout_s, linger_s
        self.threads = max(1, min(num_envs, threads))  # thread mode: envs stepping at once
        self.thread_safe = thread_safe(spec)
        self.envs: _InThreads | _InProcesses = (
            _InThreads(spec, self.kwargs, num_envs, self.threads) if self.thread_safe
            else _InProcesses(spec, self.kwargs, num_envs, reset_timeout_s))
        self.restarts = 0
        self._lock = threading.Lock()  # guards `restarts` across concurrent calls

    def ready(self) -> bool:
        """Answers once the worker is up (the driver's test for a worker Ray will not restart again)."""
        return True

    def _restart(self, call: _Call, hung: bool) -> None:
        with self._lock:
            self.restarts += 1
        self.envs.restart(call, hung)

    def _run(self, calls: list[_Call], limit_s: float) -> Iterator[list[_Call]]:
        """Run the calls at once; yield them in lists as they finish, `result` or `error` set.

        A call that raises, dies or runs past `limit_s` since it began restarts its env. A list
        is sent when nothing is left running or its first call finished `linger_s` ago.
        """
        running = {self.envs.submit(c): c for c in calls}
        chunk: list[_Call] = []
        first = 0.0
        while running:
            now = time.monotonic()
            wake = min(now + POLL_S if c.started is None else c.started + limit_s for c in running.values())
            if chunk:
                wake = min(wake, first + self.linger_s)
            cf.wait(running, timeout=max(0.0, wake - now), return_when=cf.FIRST_COMPLETED)
            now = time.monotonic()
            for fut, call in list(running.items()):
                if fut.cancelled():  # queued on a pool replaced after a hang, never begun: run it again
                    del running[fut]
                    running[self.envs.submit(call)] = call
                    continue
                hung = not fut.done()
                if hung and (call.started is None or now < call.started + limit_s):
                    continue
                del running[fut]
                if hung:
                    call.error = f"env call timed out after {limit_s:.0f}s"
                else:
                    try:
                        status, call.result = fut.result()
                    except Exception as e:  # the child died, or did not start
                        status, call.result = "error", _describe(e)
                    if status == "error":
                        call.error, call.result = call.result, None
                if call.error:
                    self._restart(call, hung)
                if not chunk:
                    first = now
                chunk.append(call)
            if chunk and (not running or now - first >= self.linger_s):
                yield chunk
                chunk = []

    @staticmethod
    def _env_result(call: _Call) -> EnvResult:
        if call.error:
            return EnvResult(call.slot, aborted=True, error=call.error)
        return EnvResult(call.slot, *call.result)

    def stream_reset(self, items: list[tuple[int, Task]]) -> Iterator[list[EnvResult]]:
        """items: (slot, Task). Yields lists of results.

        In thread mode resets run one at a time (engines that load files may share state);
        child processes reset at once.
        """
        calls = [_Call(slot, ("reset", task.seed, task.options, task.env_kwargs()))
                 for slot, task in items]
        for chunk in self._run(calls, self.reset_timeout_s):
            yield [self._env_result(c) for c in chunk]

    def stream_step(self, items: list[tuple[int, str]]) -> Iterator[list[EnvResult]]:
        """items: (slot, action text). Steps run concurrently; yields lists of results as they finish."""
        for chunk in self._run([_Call(slot, ("step", action)) for slot, action in items], self.step_timeout_s):
            yield [self._env_result(c) for c in chunk]

    def reset(self, items: list[tuple[int, Task]]) -> list[EnvResult]:
        """`stream_reset` as one list, in the order of `items`."""
        by_slot = {r.slot: r for chunk in self.stream_reset(items) for r in chunk}
        return [by_slot[s] for s, _ in items]

    def step(self, items: list[tuple[int, str]]) -> list[EnvResult]:
        """`stream_step` as one list, in the order of `items`."""
        by_slot = {r.slot: r for chunk in self.stream_step(items) for r in chunk}
        return [by_slot[s] for s, _ in items]

    def _expert(self, slots: list[int], method: str) -> list[Any]:
        calls = [_Call(s, ("expert", method)) for s in slots]
        for _ in self._run(calls, self.step_timeout_s):
            pass
        return [c.result for c in calls]

    def expert_plans(self, slots: list[int]) -> list[list[tuple[str, list[str]]] | None]:
        """The expert's remaining actions cut into (subgoal, actions) for each slot (None when the
        env has no expert, or it failed)."""
        return self._expert(slots, "expert_plan")

    def close(self) -> None:
        """Stop every env (child processes exit); the worker is unusable afterwards."""
        self.envs.close()

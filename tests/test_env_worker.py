"""EnvWorker in-process (no Ray): results stream back as envs finish; faults abort one episode;
envs that are not thread-safe run in child processes that are killed and replaced."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field

import gymnasium as gym
from gymnasium.envs.registration import EnvSpec

import envs  # noqa: F401  (registers the himac/* ids)
from actors.env_worker import EnvWorker, _Child, thread_safe
from envs.faulty import FaultyEnv
from himac.tasks import Task


def task(seed: int) -> Task:
    return Task(f"t:{seed}", seed)


@dataclass(frozen=True)
class TaskWithKwargs(Task):
    """A task whose env is built with other arguments (what a split does), here a fault."""

    kwargs: dict = field(default_factory=dict)

    def env_kwargs(self) -> dict:
        return self.kwargs


def _worker(fault: str, *, delay_s: float = 1.0, step_timeout_s: float = 5.0, linger_s: float = 0.01,
            num_envs: int = 4, threads: int = 4, **kwargs) -> EnvWorker:
    w = EnvWorker("himac/Faulty-v0", num_envs, {"fault": fault, "fault_seed": 1, "fault_step": 1, "delay_s": delay_s,
                                                "max_steps": 5, **kwargs},
                  step_timeout_s=step_timeout_s, linger_s=linger_s, threads=threads)
    w.reset([(s, task(s)) for s in range(num_envs)])
    return w


def test_slow_env_does_not_hold_back_the_others():
    w = _worker("slow", delay_s=1.0)
    start = time.monotonic()
    chunks = []
    for chunk in w.stream_step([(s, "<action>up</action>") for s in range(4)]):
        chunks.append((time.monotonic() - start, sorted(r.slot for r in chunk)))
    assert sorted(s for _, slots in chunks for s in slots) == [0, 1, 2, 3]
    fast = [t for t, slots in chunks if 1 not in slots]
    slow = [t for t, slots in chunks if 1 in slots]
    assert fast and max(fast) < 0.5, chunks  # the three fast envs came back long before the slow one
    assert slow == [max(t for t, _ in chunks)] and slow[0] >= 1.0
    assert not any(r.aborted for r in w.step([(s, "<action>up</action>") for s in (0, 2)]))


def test_step_keeps_item_order_and_a_hung_env_times_out_alone():
    # "slow" past the timeout rather than "hang": a thread sleeping forever would keep this
    # test process from exiting (the pool's threads are joined at interpreter exit)
    w = _worker("slow", delay_s=4.0, step_timeout_s=1.0)
    start = time.monotonic()
    out = w.step([(3, "<action>up</action>"), (1, "<action>up</action>"), (0, "<action>left</action>")])
    assert [r.slot for r in out] == [3, 1, 0]
    assert [r.aborted for r in out] == [False, True, False] and "timed out after 1s" in out[1].error
    assert time.monotonic() - start < 3.0
    assert w.restarts == 1
    # the hung call keeps its thread, but the next calls run on fresh threads
    assert not any(r.aborted for r in w.step([(s, "<action>down</action>") for s in (0, 2, 3)]))
    again = w.reset([(1, task(7))])
    assert not again[0].aborted and not w.step([(1, "<action>up</action>")])[0].aborted


def test_linger_groups_results_that_finish_together():
    w = _worker("raise", linger_s=0.5)
    chunks = list(w.stream_step([(s, "<action>up</action>") for s in range(4)]))
    assert len(chunks) == 1 and len(chunks[0]) == 4  # fast envs travel together
    assert [r.aborted for r in sorted(chunks[0], key=lambda r: r.slot)] == [False, True, False, False]
    resets = list(w.stream_reset([(s, task(10 + s)) for s in range(4)]))
    assert [r.slot for c in resets for r in c] == [0, 1, 2, 3] and len(resets) == 1


def test_jitter_latency_is_repeatable_per_room():
    """bench/rollout.py's heavy-tailed env: which steps are slow depends on the reset seed only."""

    def slow_steps(seed: int) -> list[bool]:
        env = gym.make("himac/Faulty-v0", fault="jitter", delay_s=0.05, jitter_p=0.5, max_steps=8).unwrapped
        env.reset(seed=seed)
        out = []
        for _ in range(6):
            t = time.monotonic()
            env.step("<action>up</action>")
            out.append(time.monotonic() - t >= 0.05)
        return out

    a, b = slow_steps(3), slow_steps(3)
    assert a == b and any(a) and not all(a)


def test_threads_bound_how_many_envs_step_at_once():
    """8 envs whose every step sleeps 0.2 s (sleep releases the GIL): 8 threads take one sleep,
    2 threads four in a row."""
    walls = {}
    for threads in (2, 8):
        w = _worker("jitter", delay_s=0.2, jitter_p=1.0, num_envs=8, threads=threads)
        start = time.monotonic()
        assert not any(r.aborted for r in w.step([(s, "<action>up</action>") for s in range(8)]))
        walls[threads] = time.monotonic() - start
    assert walls[8] < 0.5 and walls[2] >= 0.8, walls


def test_a_queued_call_times_out_from_when_it_begins():
    """One thread, two envs whose steps take 0.6 s, a 1 s timeout: the second step waits 0.6 s
    for the thread and ends 1.2 s after the call, inside its own timeout."""
    w = _worker("jitter", delay_s=0.6, jitter_p=1.0, num_envs=2, threads=1, step_timeout_s=1.0)
    assert not any(r.aborted for r in w.step([(0, "<action>up</action>"), (1, "<action>up</action>")]))


def test_env_classes_declare_where_they_step():
    assert [thread_safe(gym.spec(f"himac/{name}-v0")) for name in ("Sokoban", "WebShop", "Faulty", "ALFWorld")] == \
        [True, True, True, False]
    assert not thread_safe(EnvSpec("undeclared", entry_point="envs.base:TextEnv"))  # silent: processes


def test_child_processes_kill_hung_and_dead_envs_and_replace_them(monkeypatch):
    """Envs that are not thread-safe run one per child process. A child killed from outside,
    one that exits by itself and one that hangs each abort their own episode only, are
    replaced by fresh processes, and the next reset on their slots works."""
    monkeypatch.setattr(FaultyEnv, "metadata", {**FaultyEnv.metadata, "thread_safe": False})
    w = EnvWorker("himac/Faulty-v0", 4, {"fault": "hang", "fault_seed": 1, "fault_step": 1, "max_steps": 5},
                  step_timeout_s=1.0)
    try:
        assert not w.thread_safe
        crash = {"fault": "crash", "fault_seed": 3}
        first = w.reset([(s, TaskWithKwargs(f"t:{s}", s, kwargs=crash if s == 3 else {})) for s in range(4)])
        assert not any(r.aborted for r in first)
        pids = [w.envs.children[s].proc.pid for s in range(4)]
        assert len(set(pids)) == 4 and os.getpid() not in pids
        os.kill(pids[0], signal.SIGKILL)

        start = time.monotonic()
        got = {r.slot: (time.monotonic() - start, r) for chunk in w.stream_step([(s, "up") for s in range(4)])
               for r in chunk}
        assert "died (exit code -9)" in got[0][1].error and "died (exit code 1)" in got[3][1].error
        assert "timed out after 1s" in got[1][1].error and 1.0 <= got[1][0] < 2.0
        assert not got[2][1].aborted and got[2][0] < 0.5  # not held back by the hung env
        assert w.restarts == 3
        assert [w.envs.children[s].proc.pid == pids[s] for s in range(4)] == [False, False, True, False]

        # a replaced slot has no episode: an action meant for the old one is refused
        assert "no live episode" in w.step([(1, "up")])[0].error
        assert not any(r.aborted for r in w.reset([(s, task(10 + s)) for s in (0, 1, 3)]))
        assert not any(r.aborted for r in w.step([(s, "up") for s in range(4)]))
        ref = FaultyEnv(max_steps=5)  # slot 2 as it played: seed 2, up, up
        ref.reset(seed=2)
        ref.step("up")
        ref.step("up")
        assert w.expert_plans([2]) == [ref.expert_plan()]
    finally:
        w.close()
    assert not any(c.proc.is_alive() for c in w.envs.children)


def test_a_killed_child_reports_its_signal_when_threads_reap_it_at_once():
    """A killed child's exit code is read once from the fork server; a call that saw EOF, a
    restart's kill and a new child's start all poll it at once, and each must see -9 (not the
    255 multiprocessing records for the thread that loses the read)."""
    import multiprocessing as mp

    ctx, spec = mp.get_context("forkserver"), gym.spec("himac/Faulty-v0")
    for _ in range(20):
        child = _Child(ctx, spec, {})
        assert child.conn.poll(30.0)  # up
        os.kill(child.proc.pid, signal.SIGKILL)
        codes, fresh = _reap_while_starting(ctx, spec, child, reapers=3)
        child.kill()
        fresh.kill()
        assert codes == [-signal.SIGKILL] * 3 and child.proc.exitcode == -signal.SIGKILL


def _reap_while_starting(ctx, spec, child: _Child, reapers: int) -> tuple[list, _Child]:
    """`reapers` threads reap `child` while another starts a new child; the codes they saw, the new child."""
    codes: list = []
    fresh: list = []
    threads = [threading.Thread(target=lambda: codes.append(child.reap(timeout_s=5.0))) for _ in range(reapers)]
    threads.append(threading.Thread(target=lambda: fresh.append(_Child(ctx, spec, {}))))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10.0)
    return codes, fresh[0]

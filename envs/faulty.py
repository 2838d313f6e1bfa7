"""A Sokoban env with injected faults and latency, for testing crash, hang and straggler handling.

`himac/Faulty-v0` behaves exactly like `himac/Sokoban-v0` except:
- on the episode whose reset seed equals `fault_seed`, from step `fault_step` on, it kills
  its own process (`fault="crash"`, like a segfaulting simulator), sleeps forever
  (`"hang"`), raises (`"raise"`) or takes `delay_s` seconds longer per step and then steps
  normally (`"slow"`, a straggler for the asynchronous-stepping tests);
- with `fault="jitter"`, every step of every episode takes `delay_s` longer with
  probability `jitter_p` (drawn from the reset seed: repeatable), like a simulator whose
  step time has a heavy tail (bench/rollout.py).
"""

from __future__ import annotations

import os
import random
import time

from envs.sokoban.env import SokobanEnv

FAULTS = ("crash", "hang", "raise", "slow", "jitter")


class FaultyEnv(SokobanEnv):
    # Stepped on threads like Sokoban, so "crash" takes down the whole EnvWorker there;
    # tests set this False to exercise EnvWorker's child processes.
    metadata = {**SokobanEnv.metadata, "thread_safe": True}

    def __init__(self, fault: str = "raise", fault_seed: int = 0, fault_step: int = 1, delay_s: float = 1.0,
                 jitter_p: float = 0.1, **kwargs) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {'|'.join(FAULTS)}, got {fault!r}")
        super().__init__(**kwargs)
        self.fault, self.fault_seed, self.fault_step = fault, fault_seed, fault_step
        self.delay_s, self.jitter_p = delay_s, jitter_p
        self._seed: int | None = None
        self._latency = random.Random(0)

    def reset(self, *, seed=None, options=None):
        self._seed = seed
        self._latency = random.Random(seed)
        return super().reset(seed=seed, options=options)

    def step(self, action: str):
        if self.fault == "jitter":
            if self._latency.random() < self.jitter_p:
                time.sleep(self.delay_s)
        elif self._seed == self.fault_seed and self.steps + 1 >= self.fault_step:
            if self.fault == "crash":
                os._exit(1)
            if self.fault == "hang":
                time.sleep(10**6)
            if self.fault == "slow":
                time.sleep(self.delay_s)
                return super().step(action)
            raise RuntimeError("injected env failure")
        return super().step(action)

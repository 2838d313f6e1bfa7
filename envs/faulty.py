"""A Sokoban env with injected faults, for testing crash and hang handling.

`himac/Faulty-v0` behaves exactly like `himac/Sokoban-v0` except on the episode whose
reset seed equals `fault_seed`: from step `fault_step` on it kills its own process
(`fault="crash"`, like a segfaulting simulator), sleeps forever (`"hang"`), raises
(`"raise"`) or takes `delay_s` seconds longer per step and then steps normally (`"slow"`,
a straggler for the asynchronous-stepping tests).
"""

from __future__ import annotations

import os
import time

from envs.sokoban.env import SokobanEnv


class FaultyEnv(SokobanEnv):
    def __init__(self, fault: str = "raise", fault_seed: int = 0, fault_step: int = 1, delay_s: float = 1.0,
                 **kwargs) -> None:
        if fault not in ("crash", "hang", "raise", "slow"):
            raise ValueError(f"fault must be crash|hang|raise|slow, got {fault!r}")
        super().__init__(**kwargs)
        self.fault, self.fault_seed, self.fault_step, self.delay_s = fault, fault_seed, fault_step, delay_s
        self._seed: int | None = None

    def reset(self, *, seed=None, options=None):
        self._seed = seed
        return super().reset(seed=seed, options=options)

    def step(self, action: str):
        if self._seed == self.fault_seed and self.steps + 1 >= self.fault_step:
            if self.fault == "crash":
                os._exit(1)
            if self.fault == "hang":
                time.sleep(10**6)
            if self.fault == "slow":
                time.sleep(self.delay_s)
                return super().step(action)
            raise RuntimeError("injected env failure")
        return super().step(action)

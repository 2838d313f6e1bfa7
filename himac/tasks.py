"""Which tasks an iteration plays: deterministic draws for training, the warm start and evaluation.

Pure logic. A `Task` names one env reset: a seed, optional reset options (`task_index`: the
k-th task of a split in its fixed order) and the split, for envs that declare task splits
(`envs.task_splits`); an env without splits (Sokoban) gets held-out rooms from seeds that no
training draw uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from himac.config import HiMACConfig

EVAL_SEED_OFFSET = 10_000_000  # held-out tasks use seeds from here on; training draws stay below it


@dataclass(frozen=True)
class Task:
    """One env reset; every episode of a group starts from the same Task."""

    task_id: str  # "train:<seed>", "warm:<k>", "eval:<k>": groups and best blueprints are keyed by it
    seed: int
    options: dict[str, Any] | None = None  # env reset options, e.g. {"task_index": k}
    split: str | None = None  # the env's task split; None for an env without splits

    def env_kwargs(self) -> dict[str, Any]:
        """The env constructor arguments this task needs beyond the run's (its split)."""
        return {} if self.split is None else {"split": self.split}


@dataclass
class TaskSampler:
    """Task k of iteration i depends only on (seed, i, k) (from a pool also on the batch size);
    a resumed run draws the same tasks. With `pool` > 0 every training draw (the warm start's
    too) comes from the seeds 0..pool-1: a fixed set of training tasks, e.g. to check that RL
    can fit the tasks it trains on."""

    seed: int
    train_split: str | None  # None: the env has no task splits
    eval_split: str | None
    pool: int = 0

    @classmethod
    def of(cls, cfg: HiMACConfig) -> TaskSampler:
        """The run's sampler: `trainer.seed` and the splits `splits_of` resolves for its env."""
        return cls(cfg.trainer.seed, *splits_of(cfg.env.name, cfg.env.train_split, cfg.env.eval_split),
                   pool=cfg.trainer.train_task_pool)

    def train(self, iteration: int, n: int) -> list[Task]:
        """`n` training tasks of iteration `iteration`; from a pool, distinct while n <= pool."""
        rng = random.Random(f"{self.seed}/{iteration}")
        if 0 < self.pool:
            seeds = rng.sample(range(self.pool), n) if n <= self.pool else [rng.randrange(self.pool) for _ in range(n)]
        else:
            seeds = [rng.randrange(EVAL_SEED_OFFSET) for _ in range(n)]
        return [Task(f"train:{s}", s, None, self.train_split) for s in seeds]

    def warm_start(self, n: int, first: int, wave: int) -> list[list[Task]]:
        """The warm start's expert episodes in waves of `wave` (as many as the env slots play at
        once): `n` random training tasks, wave w drawn as iteration -1-w would be (`first` = 0), or
        the first `first` tasks of the training split in turn (an env without task indices takes
        the rooms of seeds 0..first-1)."""
        if first <= 0:
            tasks = [t for w in range(-(-n // wave)) for t in self.train(-1 - w, wave)][:n]
        else:
            tasks = [Task(f"warm:{k}", k, {"task_index": k}, self.train_split) for k in (i % first for i in range(n))]
        return waves(tasks, wave)

    def held_out(self, n: int) -> list[Task]:
        """The first n tasks of the eval split in its fixed order (distinct while the split has
        that many; without splits: rooms from seeds no training task uses)."""
        return [Task(f"eval:{i}", EVAL_SEED_OFFSET + i, {"task_index": i}, self.eval_split) for i in range(n)]


def waves(tasks: list[Task], size: int) -> list[list[Task]]:
    """`tasks` in consecutive waves of at most `size` (as many episodes as the env slots play at once)."""
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def splits_of(env_name: str, train_split: str | None, eval_split: str | None) -> tuple[str | None, str | None]:
    """The run's (train, eval) splits: the config's, else the env's declared defaults; (None, None)
    for an env without task splits (the config refuses a split for such an env)."""
    from envs import task_splits

    defaults = task_splits(env_name)
    if defaults is None:
        return None, None
    return train_split or defaults["train"], eval_split or defaults["eval"]

"""Text environments for HiMAC-RL, registered with gymnasium on import.

    import envs, gymnasium
    env = gymnasium.make("himac/Sokoban-v0", max_steps=15)

What an env can do, its class declares in gymnasium `metadata` (read here through the
registry: the class's module is imported, no env is built):
    "thread_safe"          bool: EnvWorker may step its instances on threads (else one
                           child process per instance)
    "preload"              modules a child process imports ahead (envs that are not thread-safe)
    "task_splits"          {"train": split, "eval": split}: the default values of the env's
                           `split` argument; None: the env has no splits (its tasks come from seeds)
    "action_placeholders"  {placeholder: fill(task) -> text}: a free-text slot of an admissible
                           action, and the text a constrained agent writes there for a task
Env-specific episode metrics travel in each step's `info["metrics"]` ({name: number}).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from typing import Any

from gymnasium.envs.registration import load_env_creator, register, registry

# Config name (`env.name: sokoban`) -> gymnasium id: the one list of the envs a run can use.
ENV_IDS = {"sokoban": "himac/Sokoban-v0", "alfworld": "himac/ALFWorld-v0", "webshop": "himac/WebShop-v0"}
DEFAULT_ENV = "sokoban"  # the env of a config that names none: needs no data files

_ENTRY_POINTS = {
    ENV_IDS["sokoban"]: "envs.sokoban.env:SokobanEnv",
    ENV_IDS["alfworld"]: "envs.alfworld.env:ALFWorldEnv",
    ENV_IDS["webshop"]: "envs.webshop.env:WebShopEnv",
    "himac/Faulty-v0": "envs.faulty:FaultyEnv",  # fault injection for tests
}

for _id, _entry in _ENTRY_POINTS.items():
    if _id not in registry:
        # The env enforces its own step limit (TextEnv); gymnasium's TimeLimit would double it.
        register(id=_id, entry_point=_entry, disable_env_checker=True, order_enforce=False)


def metadata(name: str) -> Mapping[str, Any]:
    """The class metadata of env `name` (a key of ENV_IDS, or a registered gymnasium id)."""
    if name not in ENV_IDS and name not in registry:
        raise ValueError(f"unknown env {name!r}; known: {', '.join(ENV_IDS)}")
    return entry_metadata(registry[ENV_IDS.get(name, name)].entry_point)


def entry_metadata(entry_point: str | Callable) -> Mapping[str, Any]:
    """The metadata of the class an env spec's entry point names (its module is imported, no env built)."""
    creator = load_env_creator(entry_point) if isinstance(entry_point, str) else entry_point
    return types.MappingProxyType(getattr(creator, "metadata", {}))


def task_splits(name: str) -> dict[str, str] | None:
    """The task splits env `name` declares: {"train": split, "eval": split}, the default values
    of its `split` argument (`gymnasium.make(id, split=...)`); None when the env takes no split
    (Sokoban: held-out rooms come from seeds no training task uses)."""
    splits = metadata(name).get("task_splits")
    return None if splits is None else dict(splits)


@functools.cache
def action_placeholders() -> Mapping[str, Callable[[str], str]]:
    """Every placeholder the envs of ENV_IDS write in admissible actions -> the function that
    fills it from the task text (for agents restricted to the admissible actions)."""
    found: dict[str, Callable[[str], str]] = {}
    for name in ENV_IDS:
        found.update(metadata(name).get("action_placeholders") or {})
    return types.MappingProxyType(found)

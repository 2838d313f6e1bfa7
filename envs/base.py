"""Common base for HiMAC-RL's text environments.

Every environment is a gymnasium env whose observations and actions are strings:

    text, info = env.reset(seed=..., options=...)
        info["task"]                the goal sentence
        info["admissible_actions"]  list[str] of actions the env accepts now
    text, reward, terminated, truncated, info = env.step(action_text)
        info["won"]                 bool, the task is solved
        info["action_valid"]        bool, the action was admissible (else "nothing happens")
        info["metrics"]             optional {name: number}: env-specific episode metrics (the
                                    last step's are the episode's, e.g. WebShop's score)

`options={"task_index": k}` asks for the k-th task of the split in a fixed order (cycling):
envs with a finite list of tasks (ALFWorld games, WebShop goals) honour it, so that n held-out
episodes visit n distinct tasks when the split has that many; envs that generate tasks from the
seed (Sokoban) ignore it. Subclasses read it as `self.task_index` (None when not given).

What an env can do beyond this (thread safety, task splits, action placeholders) its class
declares in `metadata`; `envs/__init__.py` lists the keys.

Subclasses implement `_reset(seed, options) -> (text, info)` and `_step(action) -> (text,
reward, terminated, info)`; this base handles the step limit (truncation), the common info
keys and the step counter, so no environment re-implements them.

Data files (catalogues, games, levels) are checked on load: a malformed one raises
`DataFileError` naming the file, the record and the field, and what was expected.
"""

from __future__ import annotations

import json
import os
import reprlib
from pathlib import Path
from typing import Any

import gymnasium as gym
from gymnasium import spaces

MAX_TEXT = 1_000_000


class DataFileError(ValueError):
    """A malformed data file; the message names the file, the record and the field."""

    @classmethod
    def at(cls, source: str | os.PathLike, problem: str, record: object = None,
           field: str | None = None) -> DataFileError:
        """The error "<source>: record <record>: field '<field>': <problem>", unknown parts left out."""
        where = "".join([f": record {record}" if record is not None else "",
                         f": field {field!r}" if field is not None else ""])
        return cls(f"{source}{where}: {problem}")


def read_json(path: str | os.PathLike) -> Any:
    """The JSON value in `path`; DataFileError when the file is empty or not valid JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataFileError.at(path, f"expected UTF-8 JSON text ({e})") from e
    if not text.strip():
        raise DataFileError.at(path, "empty file, expected JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise DataFileError.at(path, f"invalid JSON (truncated file?): {e}") from e


def check_type(value: Any, kind: type | tuple[type, ...], source: str | os.PathLike, record: object = None,
               field: str | None = None, *, item: type | None = None) -> Any:
    """`value` when it is a `kind` (a list: of `item`s), else DataFileError naming source, record, field."""
    if not isinstance(value, kind) or (item is not None and not all(isinstance(v, item) for v in value)):
        raise DataFileError.at(source, f"expected {_kind(kind, item)}, got {type(value).__name__} "
                               f"{reprlib.repr(value)}", record, field)
    return value


def check_field(data: dict, field: str, kind: type | tuple[type, ...], source: str | os.PathLike,
                record: object = None, *, item: type | None = None, required: bool = False) -> Any:
    """`data[field]` checked by `check_type`; None when absent or null, unless `required`."""
    value = data.get(field)
    if value is None:
        if required:
            raise DataFileError.at(source, f"missing, expected {_kind(kind, item)}", record, field)
        return None
    return check_type(value, kind, source, record, field, item=item)


def _kind(kind: type | tuple[type, ...], item: type | None) -> str:
    names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
    return f"{names} of {item.__name__}" if item else names


class TextEnv(gym.Env):
    """A gymnasium env with text observations/actions and a step limit."""

    metadata = {"render_modes": ["ansi", "rgb_array"]}

    def __init__(self, max_steps: int = 50, render_mode: str | None = None) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps must be >= 1, got {max_steps}")
        self.max_steps = int(max_steps)
        self.render_mode = render_mode
        self.observation_space = spaces.Text(max_length=MAX_TEXT)
        self.action_space = spaces.Text(max_length=MAX_TEXT)
        self.steps = 0
        self.task_index: int | None = None  # reset(options={"task_index": k}); None: drawn from the seed
        self._task = ""
        self._done = False

    # -- to implement -------------------------------------------------------------------
    def _reset(self, seed: int | None, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def _step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        raise NotImplementedError

    def admissible_actions(self) -> list[str]:
        raise NotImplementedError

    # -- gymnasium API ------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        self.steps = 0
        self._done = False
        options = dict(options or {})
        index = options.pop("task_index", None)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise ValueError(f"task_index must be an int >= 0, got {index!r}")
        self.task_index = index
        text, info = self._reset(seed, options)
        self._task = info.get("task", "")
        info.setdefault("task", self._task)
        info["admissible_actions"] = self.admissible_actions()
        info.setdefault("won", False)
        return text, info

    def step(self, action: str):
        if self._done:
            raise RuntimeError("step() called on a finished episode; call reset() first")
        if not isinstance(action, str):
            action = str(action)
        text, reward, terminated, info = self._step(action)
        self.steps += 1
        truncated = (not terminated) and self.steps >= self.max_steps
        self._done = terminated or truncated
        info.setdefault("won", False)
        info.setdefault("action_valid", True)
        info["task"] = self._task
        info["admissible_actions"] = [] if self._done else self.admissible_actions()
        info["steps"] = self.steps
        return text, float(reward), bool(terminated), bool(truncated), info

"""ALFWorld (text version) on the real alfworld / TextWorld engine, as a HiMAC-RL TextEnv.

Games are ALFWorld's `game.tw-pddl` files (the release under $ALFWORLD_DATA, or the small
hand-authored set shipped in `envs/alfworld/data`), played by TextWorld's PDDL backend with
alfworld's name demangler, as alfworld's own `AlfredTWEnv` plays them (Shridhar et al., 2021).
Reward is `reward_scale` (10) when the goal holds and 0 otherwise, with a 50-step limit, the
setting of the LLM-agent papers HiMAC compares with.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from envs.alfworld.expert import PlannerExpert, plan_subgoals
from envs.alfworld.games import collect_games, resolve_data_dir
from envs.base import DataFileError, TextEnv
from envs.subgoals import ExpertPlan

BANNER = "-= Welcome to TextWorld, ALFRED! =-"
TASK_PREFIX = "Your task is to: "


class ALFWorldEnv(TextEnv):
    """One ALFWorld game per episode, drawn from a split; text in, text out.

    Args:
        data_dir: folder holding `json_2.1.1/` (default: $ALFWORLD_DATA when it has one, else
            the shipped games).
        split: "train", "valid_seen" (in-distribution eval) or "valid_unseen" (out-of-distribution).
        task_types: keep only these of the six ALFWorld task types (default: all).
        reward_scale: reward for winning; every other step gives 0.
    """

    # TextWorld is not thread-safe (alfworld#71: envs stepped on threads abort with "pop from
    # empty list"): EnvWorker runs each instance in its own process, forked from a server that
    # has imported `preload` once (0.5 s less per process).
    metadata = {**TextEnv.metadata, "thread_safe": False,
                "preload": ("textworld", "alfworld.agents.environment.alfred_tw_env"),
                "task_splits": {"train": "train", "eval": "valid_unseen"}}  # the papers' held-out split

    def __init__(
        self,
        data_dir: str | os.PathLike | None = None,
        split: str = "train",
        task_types: list[str] | tuple[str, ...] | None = None,
        max_steps: int = 50,
        reward_scale: float = 10.0,
        render_mode: str | None = None,
    ) -> None:
        super().__init__(max_steps=max_steps, render_mode=render_mode)
        self.data_dir = resolve_data_dir(data_dir)
        self.split = split
        self.games = collect_games(self.data_dir, split, None if task_types is None else tuple(task_types))
        self.reward_scale = float(reward_scale)
        self.game_index = -1
        self._tw: Any = None  # TextWorld env, reused across episodes
        self._loaded = ""  # gamefile currently loaded in self._tw
        self._state: Any = None  # last TextWorld GameState
        self._text = ""
        self._expert = PlannerExpert()

    # -- TextEnv hooks ------------------------------------------------------------------
    def _reset(self, seed: int | None, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        index = options.get("game_index")
        if index is None:
            index = (self.task_index % len(self.games) if self.task_index is not None
                     else int(self.np_random.integers(len(self.games))))
        if not 0 <= index < len(self.games):
            raise IndexError(f"game_index {index} out of range: split {self.split!r} has {len(self.games)} games")
        game = self.games[index]
        with _keep_argv():
            self._state = self._start(game.gamefile)
        self.game_index = index
        self._expert.reset()
        self._text = _strip_banner(self._state["feedback"])
        task = _task_sentence(self._text)
        return self._text, {"task": task, "task_type": game.task_type, "gamefile": game.gamefile,
                            "game_index": index, "won": False}

    def _step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        command = " ".join(action.lower().split())
        valid = command in self.admissible_actions()
        self._state, _, done = self._tw.step(command)  # a non-admissible command: "Nothing happens."
        self._expert.observe(command)
        self._text = self._state["feedback"].strip()
        won = bool(self._state["won"])
        game = self.games[self.game_index]
        info = {"won": won, "action_valid": valid, "task_type": game.task_type, "gamefile": game.gamefile,
                "game_index": self.game_index}
        return self._text, self.reward_scale * won, bool(done), info

    def admissible_actions(self) -> list[str]:
        return [c for c in self._state["admissible_commands"] if c != "help"]

    # -- extras -------------------------------------------------------------------------
    def expert_action(self) -> str:
        """The next command of an optimal plan to the goal, from the game's PDDL planner."""
        if self._state is None:
            raise RuntimeError("expert_action() called before reset()")
        return self._expert.next_action(self._tw.unwrapped)

    def expert_plan(self) -> ExpertPlan:
        """The planner's remaining commands (those `expert_action()` plays from here) cut into
        subgoals: [("find and take the egg", ["go to fridge 1", "open fridge 1", "take egg 1
        from fridge 1"]), ("heat the egg with the microwave", [...]), ...]; [] when no plan."""
        if self._state is None:
            raise RuntimeError("expert_plan() called before reset()")
        return plan_subgoals(self._expert.plan(self._tw.unwrapped), self._task)

    def expert_subgoals(self) -> list[str]:
        """The subgoal texts of `expert_plan()`: the expert's blueprint."""
        return [text for text, _ in self.expert_plan()]

    def render(self) -> str | None:
        return self._text if self.render_mode == "ansi" else None

    def close(self) -> None:
        if self._tw is not None:
            self._tw.close()
            self._tw, self._loaded = None, ""

    def _start(self, gamefile: str) -> Any:
        """Load `gamefile` (reusing the TextWorld env) and reset it: the first GameState.
        A game TextWorld cannot play (missing file, bad PDDL or grammar) raises DataFileError."""
        import textworld
        from alfworld.agents.environment.alfred_tw_env import AlfredDemangler

        try:
            if self._tw is None:
                infos = textworld.EnvInfos(admissible_commands=True, won=True)
                self._tw = textworld.start(gamefile, request_infos=infos, wrappers=[AlfredDemangler()])
            elif gamefile != self._loaded:
                self._tw.load(gamefile)
            self._loaded = gamefile
            return self._tw.reset()
        except Exception as e:
            self._loaded = ""  # half loaded: load again on the next reset
            problem = f"TextWorld cannot play this game: {type(e).__name__}: {e}"
            raise DataFileError.at(gamefile, problem) from e


@contextmanager
def _keep_argv() -> Iterator[None]:
    """fast_downward's PDDL translator (run on every load and reset) rebinds sys.argv; undo that."""
    argv = sys.argv
    try:
        yield
    finally:
        sys.argv = argv


def _strip_banner(text: str) -> str:
    """Drop TextWorld's welcome line; keep the room description and the task line."""
    return text.replace(BANNER, "", 1).strip()


def _task_sentence(text: str) -> str:
    """The goal sentence of the first observation: "put a clean apple in fridge"."""
    if TASK_PREFIX not in text:
        return ""
    return text.split(TASK_PREFIX, 1)[1].strip().splitlines()[0].rstrip(".")

"""Sokoban as a text environment (`himac/Sokoban-v0`), with the rewards of gym-sokoban 0.0.6
used by the HiMAC and GiGPO papers: -0.1 per step, +1 when a box reaches a target, -1 when
a box leaves one, +10 when every box is on a target (the episode ends, `won`).

Actions are "up", "down", "left", "right" (case and surrounding whitespace ignored). A
move into a wall or a blocked push changes nothing but still costs the step penalty; any
other text is invalid (`info["action_valid"] = False`): nothing changes, reward -0.1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from envs.base import DataFileError, TextEnv
from envs.sokoban.generate import generate_room
from envs.sokoban.room import ACTIONS, Room, render_grid, render_grid_positions, render_rgb
from envs.sokoban.solver import plan_subgoals, solve
from envs.sokoban.xsb import parse_xsb, to_xsb
from envs.subgoals import ExpertPlan

TASK = "Push every box onto a target."
STEP_PENALTY = -0.1
BOX_ON_TARGET_REWARD = 1.0
BOX_OFF_TARGET_PENALTY = -1.0
FINISHED_REWARD = 10.0
OBS_FORMATS = {"grid": render_grid, "grid_positions": render_grid_positions, "xsb": to_xsb}
LAYOUT_SOURCE = "Sokoban reset option 'layout'"  # names the layout in DataFileError messages


class SokobanEnv(TextEnv):
    """Generated rooms (seeded) or XSB levels via `reset(options={"layout": xsb})`.

    Observations are the room as text: `obs_format="grid"` uses # _ O X √ P S (wall, floor,
    target, box, box on target, player, player on target); `"grid_positions"` adds the player's,
    the free boxes' and the free targets' rows and columns; `"xsb"` the XSB symbols.
    `min_pulls`/`max_pulls` switch generation to a curriculum of rooms whose boxes are
    exactly k pushes from solved, k in [min_pulls, max_pulls] (see generate.py).
    `admissible="moving"` lists only the moves that change the state (not into a wall or a box
    that cannot move on); the default "all" lists the four. Any of the four is still accepted.
    `noop_penalty` is subtracted from the reward of a move that changes nothing (default 0: gym-sokoban's
    rewards). RL that compares returns rewards the no-op moves of solved episodes otherwise, and a greedy
    policy without history repeats a no-op to the step limit (docs/results-real-model.md).
    """

    # Pure Python state: EnvWorker steps it on threads. No task splits: every room comes from its
    # seed (held-out rooms from seeds no training task uses).
    metadata = {**TextEnv.metadata, "thread_safe": True, "task_splits": None}

    def __init__(
        self,
        dim_room: tuple[int, int] = (6, 6),
        num_boxes: int = 1,
        max_steps: int = 15,
        search_depth: int = 30,
        min_pulls: int = 1,
        max_pulls: int | None = None,
        obs_format: str = "grid",
        admissible: str = "all",
        noop_penalty: float = 0.0,
        render_mode: str | None = None,
    ) -> None:
        super().__init__(max_steps=max_steps, render_mode=render_mode)
        if obs_format not in OBS_FORMATS:
            raise ValueError(f"obs_format must be one of {sorted(OBS_FORMATS)}, got {obs_format!r}")
        if admissible not in ("all", "moving"):
            raise ValueError(f"admissible must be 'all' or 'moving', got {admissible!r}")
        if not noop_penalty >= 0:
            raise ValueError(f"noop_penalty must be >= 0 (a cost), got {noop_penalty!r}")
        if render_mode not in (None, "ansi", "rgb_array"):
            raise ValueError(f"render_mode must be None, 'ansi' or 'rgb_array', got {render_mode!r}")
        if len(dim_room) != 2 or min(dim_room) < 3:
            raise ValueError(f"dim_room must be two sizes >= 3, got {dim_room}")
        if num_boxes < 1 or search_depth < 1:
            raise ValueError(f"num_boxes and search_depth must be >= 1, got {num_boxes}, {search_depth}")
        if max_pulls is not None and not 1 <= min_pulls <= max_pulls:
            raise ValueError(f"need 1 <= min_pulls <= max_pulls, got {min_pulls}, {max_pulls}")
        self.dim_room = (int(dim_room[0]), int(dim_room[1]))
        self.num_boxes = int(num_boxes)
        self.search_depth = int(search_depth)
        self.min_pulls = int(min_pulls)
        self.max_pulls = None if max_pulls is None else int(max_pulls)
        self.obs_format = obs_format
        self.admissible = admissible
        self.noop_penalty = float(noop_penalty)
        self.room: Room | None = None
        self._plans: dict[tuple, tuple[str, ...] | None] = {}

    def _reset(self, seed: int | None, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        unknown = set(options) - {"layout"}
        if unknown:
            raise ValueError(f"unknown reset options {sorted(unknown)}; Sokoban accepts 'layout'")
        if "layout" in options:
            room_seed = None
            self.room = parse_xsb(options["layout"], LAYOUT_SOURCE)
            if self.room.solved():
                raise DataFileError.at(LAYOUT_SOURCE, "the XSB level is already solved")
        else:
            # A fresh generator per room, so reset(seed=info["seed"]) rebuilds any room seen.
            room_seed = int(seed) if seed is not None else int(self.np_random.integers(2**31))
            self.room = generate_room(
                np.random.default_rng(room_seed),
                self.dim_room,
                self.num_boxes,
                self.search_depth,
                self.min_pulls,
                self.max_pulls,
            )
        self._plans = {}
        return self._observe(), {"task": TASK, "seed": room_seed, "layout": to_xsb(self.room)}

    def _step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        room = self.room
        name = action.strip().lower()
        if name not in ACTIONS:
            on = room.boxes_on_target()
            return self._observe(), STEP_PENALTY, False, {"action_valid": False, "boxes_on_target": on}
        before = room.boxes_on_target()
        moved = room.move(name)
        on = room.boxes_on_target()
        reward = STEP_PENALTY - (0.0 if moved else self.noop_penalty)
        if on > before:
            reward += BOX_ON_TARGET_REWARD
        elif on < before:
            reward += BOX_OFF_TARGET_PENALTY
        won = on == room.num_boxes
        if won:
            reward += FINISHED_REWARD
        return self._observe(), reward, won, {"won": won, "boxes_on_target": on}

    def admissible_actions(self) -> list[str]:
        if self.admissible == "moving":
            return [a for a in ACTIONS if self.room.can_move(a)]
        return list(ACTIONS)

    def expert_action(self) -> str | None:
        """The first action of a shortest solution from the current state; None when the
        state is solved, unsolvable, or beyond the solver's node budget. Plans are cached
        per state, so following the expert solves once per episode."""
        key = self.room.key()
        if key not in self._plans:
            plan = solve(self.room)
            self._plans[key] = None if plan is None else tuple(plan)
            if plan:
                room = self.room.copy()
                for i, name in enumerate(plan[:-1]):
                    room.move(name)
                    self._plans[room.key()] = tuple(plan[i + 1 :])
        plan = self._plans[key]
        return plan[0] if plan else None

    def expert_plan(self) -> ExpertPlan:
        """The solver's remaining moves (those `expert_action()` plays from here), one subgoal
        per box it brings onto a target: [("push the box at row 3, column 2 onto the target at
        row 2, column 4", ["up", "right", ...]), ...]; [] when solved or no solution is found."""
        self.expert_action()  # solves (or reads the cache) from the current state
        return plan_subgoals(self.room, list(self._plans[self.room.key()] or ()))

    def expert_subgoals(self) -> list[str]:
        """The subgoal texts of `expert_plan()`: the expert's blueprint."""
        return [text for text, _ in self.expert_plan()]

    def render(self) -> str | np.ndarray | None:
        if self.render_mode == "rgb_array":
            return render_rgb(self.room)
        if self.render_mode == "ansi":
            return self._observe()
        return None

    def _observe(self) -> str:
        return OBS_FORMATS[self.obs_format](self.room)

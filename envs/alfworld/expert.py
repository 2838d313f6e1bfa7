"""Expert for ALFWorld games: an optimal plan from the game's PDDL planner, as commands and
as subgoals.

TextWorld's PDDL backend can replan from the current state with Fast Downward (this is what
it returns as `policy_commands`). Asking for `policy_commands` in EnvInfos would replan
after every step of every episode, so the expert replans only when asked for an action and
the agent has left the plan it last computed.

`plan_subgoals` cuts a plan into subgoals after each command that changes the world (take,
put/move, clean, heat, cool, use/toggle, slice): "go to" and "open" lead up to the next one.
"""

from __future__ import annotations

import re
from typing import Any

from envs.subgoals import ExpertPlan, split_after

# Receptacles one puts things "in"; everything else (tables, beds, toilets...) takes "on".
_INSIDE = {"bathtubbasin", "bowl", "box", "cabinet", "cart", "cup", "drawer", "fridge", "garbagecan",
           "laundryhamper", "microwave", "mug", "pan", "pot", "safe", "sinkbasin"}
_TAKE = re.compile(r"take (.+) from (.+)")
_PUT = re.compile(r"(?:move (.+) to|put (.+) (?:into|in/on|in|on)) (.+)")
_WITH = re.compile(r"(clean|heat|cool|slice) (.+) with (.+)")
_USE = re.compile(r"(?:use|toggle) (.+)")


class PlannerExpert:
    """Follows the planner's plan, replanning when the agent's command was not the plan's next one."""

    def __init__(self) -> None:
        self._plan: list[str] = []

    def reset(self) -> None:
        self._plan = []

    def observe(self, command: str) -> None:
        """Record the command the agent played; a command off the plan invalidates it."""
        if self._plan and self._plan[0] == command:
            self._plan.pop(0)
        else:
            self._plan = []

    def plan(self, pddl_env: Any) -> list[str]:
        """The planned commands from the current state of the loaded game (`pddl_env`:
        TextWorld's unwrapped PddlEnv); [] when the goal holds or is unreachable."""
        if not self._plan:
            self._plan = list(pddl_env._pddl_state.replan(pddl_env._entity_infos))
        return list(self._plan)

    def next_action(self, pddl_env: Any) -> str:
        """Next planned command; "look" when the planner finds no plan."""
        plan = self.plan(pddl_env)
        return plan[0] if plan else "look"


def plan_subgoals(commands: list[str], task: str) -> ExpertPlan:
    """Cut a plan into subgoals named from its world-changing commands:

        go to fridge 1, open fridge 1, take egg 1 from fridge 1  -> "find and take the egg"
        go to microwave 1, heat egg 1 with microwave 1           -> "heat the egg with the microwave"
        go to countertop 2, move egg 1 to countertop 2           -> "put the egg on the countertop"

    Instance numbers are dropped; a second instance of a type taken earlier in the plan
    (pick_two) is "a second <type>", then "the second <type>". Commands after the last such
    command join its subgoal; a plan without one is a single subgoal named `task`.
    """
    taken: dict[str, str] = {}  # type -> first instance taken
    second: set[str] = set()  # instances that are a second one of their type
    holding = ""
    ends: list[str | None] = []
    for command in commands:
        text = None
        if m := _TAKE.fullmatch(command):
            holding = m.group(1)
            kind = _kind(holding)
            if taken.setdefault(kind, holding) != holding:
                second.add(holding)
            text = f"find and take {'a second' if holding in second else 'the'} {kind}"
        elif m := _PUT.fullmatch(command):
            obj, receptacle = m.group(1) or m.group(2), m.group(3)
            where = "in" if _kind(receptacle) in _INSIDE else "on"
            text = f"put {_the(obj, second)} {where} the {_kind(receptacle)}"
            holding = ""
        elif m := _WITH.fullmatch(command):
            text = f"{m.group(1)} {_the(m.group(2), second)} with the {_kind(m.group(3))}"
        elif m := _USE.fullmatch(command):
            lamp = _kind(m.group(1))
            text = f"use the {lamp} to look at {_the(holding, second)}" if holding else f"turn on the {lamp}"
        ends.append(text)
    return split_after(commands, ends, task)


def _kind(name: str) -> str:
    """"apple 1" -> "apple": the entity's type as the game prints it."""
    return re.sub(r" \d+$", "", name)


def _the(name: str, second: set[str]) -> str:
    """"the apple", or "the second apple" for a second instance of its type."""
    return f"the {'second ' if name in second else ''}{_kind(name)}"

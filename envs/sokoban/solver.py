"""Exact Sokoban solver: breadth-first search over (player, boxes) states.

BFS expands states in order of the number of moves, so the first solved state it reaches
gives a shortest (move-optimal) action list. Pushes onto "dead" cells (from which a box can
never reach any target, even alone) are pruned, which keeps the search exact and small.
`plan_subgoals` cuts a solution into one subgoal per box it brings onto a target.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from envs.sokoban.room import ACTIONS, Room
from envs.subgoals import ExpertPlan, split_after

State = tuple[int, frozenset[int]]  # (player cell, box cells), cells as flat indices


def solve(room: Room, max_nodes: int = 1_000_000) -> list[str] | None:
    """The shortest list of actions that solves room ([] if solved already), or None when the
    room is unsolvable or more than max_nodes states would have to be visited."""
    h, w = room.walls.shape
    free = (~room.walls).ravel().tolist()
    targets = frozenset(np.flatnonzero(room.targets).tolist())
    live = _live_cells(free, targets, w)
    steps = [(name, dr * w + dc) for name, (dr, dc) in ACTIONS.items()]

    start: State = (room.player[0] * w + room.player[1], frozenset(np.flatnonzero(room.boxes).tolist()))
    if not all(live[b] for b in start[1]):
        return None
    parents: dict[State, tuple[State, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        player, boxes = state
        if boxes == targets:
            return _actions_to(state, parents)
        for name, d in steps:
            to = player + d
            if not free[to]:
                continue
            if to in boxes:
                behind = to + d
                if not live[behind] or behind in boxes:
                    continue
                nxt = (to, boxes - {to} | {behind})
            else:
                nxt = (to, boxes)
            if nxt not in parents:
                if len(parents) >= max_nodes:
                    return None
                parents[nxt] = (state, name)
                queue.append(nxt)
    return None


def _live_cells(free: list[bool], targets: frozenset[int], w: int) -> list[bool]:
    """Cells from which a lone box can be pushed onto some target: pull boxes back from the
    targets (a box at x pushed by d to x + d needs the player at x - d)."""
    live = [False] * len(free)
    for t in targets:
        live[t] = True
    queue = deque(targets)
    while queue:
        cell = queue.popleft()
        for d in (-w, w, -1, 1):
            src, player = cell - d, cell - 2 * d
            if free[src] and free[player] and not live[src]:
                live[src] = True
                queue.append(src)
    return live


def _actions_to(state: State, parents: dict[State, tuple[State, str] | None]) -> list[str]:
    actions = []
    link = parents[state]
    while link is not None:
        state, name = link
        actions.append(name)
        link = parents[state]
    return actions[::-1]


def plan_subgoals(room: Room, actions: list[str]) -> ExpertPlan:
    """Cut `actions` (played from `room`) after each push that brings one more box onto a
    target than ever before, so there is one subgoal per box not yet on a target (a box
    pushed off a target and back on stays inside a subgoal). Each is named by where that box
    stood when its subgoal began and where it lands, 1-based as the rows and columns of the
    text grid: "push the box at row 3, column 2 onto the target at row 4, column 4"."""
    room = room.copy()
    boxes = {(int(r), int(c)): (int(r), int(c)) for r, c in zip(*np.nonzero(room.boxes))}  # now -> at the cut
    best = room.boxes_on_target()
    ends: list[str | None] = []
    for name in actions:
        dr, dc = ACTIONS[name]
        box = (room.player[0] + dr, room.player[1] + dc)
        room.move(name)
        text = None
        if box in boxes and not room.boxes[box]:  # pushed
            to = (box[0] + dr, box[1] + dc)
            boxes[to] = boxes.pop(box)
            if room.boxes_on_target() > best:
                best = room.boxes_on_target()
                text = f"push the box at {_cell(boxes[to])} onto the target at {_cell(to)}"
                boxes = {cell: cell for cell in boxes}
        ends.append(text)
    return split_after(actions, ends, "push every box onto a target")


def _cell(cell: tuple[int, int]) -> str:
    return f"row {cell[0] + 1}, column {cell[1] + 1}"

"""A Sokoban room on numpy arrays: state, dynamics and renderings (text grid, RGB image).

Dynamics follow gym-sokoban 0.0.6 (the environment of the HiMAC/GiGPO papers): the player
moves one cell; walking into a box pushes it when the cell behind it is free (floor or
target); otherwise nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ACTIONS: dict[str, tuple[int, int]] = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}

# Cell codes (gym-sokoban's numbering) and their symbols in the text grid (ENVIRONMENTS.md).
WALL, FLOOR, TARGET, BOX_ON_TARGET, BOX, PLAYER, PLAYER_ON_TARGET = range(7)
GRID_SYMBOLS = np.array(list("#_O√XPS"))


@dataclass
class Room:
    """Walls, targets and boxes as boolean (h, w) masks, plus the player's (row, col).

    The border must be wall, so moves never leave the grid.
    """

    walls: np.ndarray
    targets: np.ndarray
    boxes: np.ndarray
    player: tuple[int, int]

    def __post_init__(self) -> None:
        w = self.walls
        assert w.ndim == 2 and w.dtype == bool, f"walls must be a 2-D bool array, got {w.dtype} {w.shape}"
        assert self.targets.shape == w.shape == self.boxes.shape, "walls, targets and boxes differ in shape"
        assert w[0].all() and w[-1].all() and w[:, 0].all() and w[:, -1].all(), "the border must be wall"
        assert not (w & (self.targets | self.boxes)).any(), "a box or target lies in a wall"
        assert not self.boxes[self.player] and not w[self.player], "the player stands on a box or wall"
        self.player = (int(self.player[0]), int(self.player[1]))

    @property
    def num_boxes(self) -> int:
        return int(self.boxes.sum())

    def boxes_on_target(self) -> int:
        return int((self.boxes & self.targets).sum())

    def solved(self) -> bool:
        return self.boxes_on_target() == self.num_boxes

    def copy(self) -> Room:
        return Room(self.walls.copy(), self.targets.copy(), self.boxes.copy(), self.player)

    def key(self) -> tuple[tuple[int, int], bytes]:
        """A hashable snapshot of the mutable state (player and boxes)."""
        return self.player, self.boxes.tobytes()

    def can_move(self, action: str) -> bool:
        """Whether one of ACTIONS would change the state (False: a wall, or a box that cannot move on)."""
        dr, dc = ACTIONS[action]
        r, c = self.player
        to = (r + dr, c + dc)
        if self.walls[to]:
            return False
        behind = (r + 2 * dr, c + 2 * dc)
        return not (self.boxes[to] and (self.walls[behind] or self.boxes[behind]))

    def move(self, action: str) -> bool:
        """Apply one of ACTIONS; return whether the state changed (False when blocked)."""
        if not self.can_move(action):
            return False
        dr, dc = ACTIONS[action]
        r, c = self.player
        to = (r + dr, c + dc)
        if self.boxes[to]:
            self.boxes[to] = False
            self.boxes[(r + 2 * dr, c + 2 * dc)] = True
        self.player = to
        return True

    def codes(self) -> np.ndarray:
        """The (h, w) int8 array of cell codes (WALL … PLAYER_ON_TARGET)."""
        codes = np.full(self.walls.shape, FLOOR, dtype=np.int8)
        codes[self.walls] = WALL
        codes[self.targets] = TARGET
        codes[self.boxes & self.targets] = BOX_ON_TARGET
        codes[self.boxes & ~self.targets] = BOX
        codes[self.player] = PLAYER_ON_TARGET if self.targets[self.player] else PLAYER
        return codes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Room):
            return NotImplemented
        return self.walls.shape == other.walls.shape and bool((self.codes() == other.codes()).all())


def render_grid(room: Room) -> str:
    """One symbol per cell, rows on lines: # wall, _ floor, O target, X box, √ box on target,
    P player, S player on target."""
    return "\n".join("".join(row) for row in GRID_SYMBOLS[room.codes()])


def render_grid_positions(room: Room) -> str:
    """The grid, then where the player, the boxes and the targets are, 1-based as the grid's rows
    and columns (the subgoals' "row 3, column 2"): a language model compares numbers more easily
    than it finds symbols in a 2-D picture."""
    def cells(mask: np.ndarray) -> str:
        return "; ".join(f"row {r + 1}, column {c + 1}" for r, c in zip(*np.nonzero(mask)))

    player = f"row {room.player[0] + 1}, column {room.player[1] + 1}"
    return (f"{render_grid(room)}\nplayer: {player}\nbox: {cells(room.boxes & ~room.targets) or 'none off a target'}\n"
            f"target: {cells(room.targets & ~room.boxes) or 'none free'}")


_COLOURS = {
    "wall": (70, 70, 70),
    "floor": (225, 215, 190),
    "target": (205, 55, 55),
    "box": (165, 105, 40),
    "box_on_target": (60, 160, 70),
    "player": (45, 85, 205),
}


@lru_cache(maxsize=8)
def _tiles(tile: int) -> np.ndarray:
    """(7, tile, tile, 3) uint8 images, one per cell code: coloured squares on the floor."""
    tiles = np.empty((7, tile, tile, 3), dtype=np.uint8)
    tiles[:] = _COLOURS["floor"]
    tiles[WALL] = _COLOURS["wall"]

    def square(code: int, colour: str, inset: float) -> None:
        a = round(tile * inset)
        tiles[code, a : tile - a, a : tile - a] = _COLOURS[colour]

    square(TARGET, "target", 0.35)
    square(BOX, "box", 0.12)
    square(BOX_ON_TARGET, "box_on_target", 0.12)
    square(PLAYER, "player", 0.2)
    square(PLAYER_ON_TARGET, "target", 0.12)
    square(PLAYER_ON_TARGET, "player", 0.25)
    return tiles


def render_rgb(room: Room, tile: int = 16) -> np.ndarray:
    """An (h * tile, w * tile, 3) uint8 image with one coloured tile per cell."""
    h, w = room.walls.shape
    cells = _tiles(tile)[room.codes()]  # (h, w, tile, tile, 3)
    return cells.transpose(0, 2, 1, 3, 4).reshape(h * tile, w * tile, 3)

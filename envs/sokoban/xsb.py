"""Read and write Sokoban levels in the standard XSB text format.

Symbols: ``#`` wall, space / ``-`` / ``_`` floor, ``.`` target, ``$`` box, ``*`` box on target,
``@`` player, ``+`` player on target. Ragged lines are padded with floor; floor the player
cannot reach (outside the level's walls) becomes wall; the grid is cropped to the player's
area plus a one-cell wall border (added where the level is open). A malformed level raises
DataFileError (a ValueError) naming its source and what is wrong.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from envs.base import DataFileError, check_type
from envs.sokoban.room import BOX, BOX_ON_TARGET, FLOOR, PLAYER, PLAYER_ON_TARGET, TARGET, WALL, Room

_FLOOR_SYMBOLS = " -_"
_SYMBOLS = "#.$*@+"  # wall, target, box, box on target, player, player on target
_XSB_OF_CODE = {
    WALL: "#",
    FLOOR: "-",
    TARGET: ".",
    BOX_ON_TARGET: "*",
    BOX: "$",
    PLAYER: "@",
    PLAYER_ON_TARGET: "+",
}


def parse_xsb(text: str, source: str = "XSB layout") -> Room:
    """Parse one XSB level into a Room; DataFileError naming `source` and what is wrong."""
    check_type(text, str, source)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise DataFileError.at(source, "empty XSB layout")
    if any(not line.strip() for line in lines):
        raise DataFileError.at(source, "blank line inside the XSB layout (pass a single level)")
    h, w = len(lines) + 2, max(map(len, lines)) + 2
    walls = np.zeros((h, w), dtype=bool)
    walls[[0, -1], :] = walls[:, [0, -1]] = True  # an added wall border closes open levels
    targets = np.zeros((h, w), dtype=bool)
    boxes = np.zeros((h, w), dtype=bool)
    players = []
    for r, line in enumerate(lines, start=1):
        for c, ch in enumerate(line, start=1):
            if ch in _FLOOR_SYMBOLS:
                continue
            if ch not in _SYMBOLS:
                raise DataFileError.at(source, f"unknown XSB symbol {ch!r} at line {r}, column {c}")
            walls[r, c] = ch == "#"
            targets[r, c] = ch in ".*+"
            boxes[r, c] = ch in "$*"
            if ch in "@+":
                players.append((r, c))
    if len(players) != 1:
        raise DataFileError.at(source, f"an XSB level needs exactly one player (@ or +), "
                                       f"found {len(players)}")
    n_boxes, n_targets = int(boxes.sum()), int(targets.sum())
    if n_boxes == 0:
        raise DataFileError.at(source, "the XSB level has no boxes")
    if n_boxes != n_targets:
        raise DataFileError.at(source, f"the XSB level has {n_boxes} boxes but {n_targets} targets")

    area = _reachable(~walls, players[0])
    if ((boxes | targets) & ~area).any():
        raise DataFileError.at(source, "a box or target lies outside the player's area")
    rows, cols = np.nonzero(area)
    crop = np.s_[rows.min() - 1 : rows.max() + 2, cols.min() - 1 : cols.max() + 2]
    player = (players[0][0] - rows.min() + 1, players[0][1] - cols.min() + 1)
    return Room(~area[crop], targets[crop], boxes[crop], player)


def _reachable(open_cells: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Cells connected to start through open cells (4-neighbourhood); boxes do not block."""
    h, w = open_cells.shape
    seen = np.zeros_like(open_cells)
    seen[start] = True
    queue = deque([start])
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < h and 0 <= nc < w and open_cells[nr, nc] and not seen[nr, nc]:
                seen[nr, nc] = True
                queue.append((nr, nc))
    return seen


def to_xsb(room: Room) -> str:
    """The room's current state as XSB text, with ``-`` for floor so every line keeps its width."""
    return "\n".join("".join(_XSB_OF_CODE[int(code)] for code in row) for row in room.codes())

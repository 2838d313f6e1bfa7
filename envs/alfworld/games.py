"""Find ALFWorld games on disk, following the rules of alfworld's own game collector.

A game is a `trial_*` directory of `json_2.1.1/<split>/` holding `traj_data.json` and a
`game.tw-pddl` marked solvable. Sliced-object and movable-receptacle tasks are skipped, as
alfworld does, and the task type comes from `traj_data["task_type"]`. A `traj_data.json` or a
kept game file that is empty, not JSON, or lacks a field the env reads (task_type; pddl_domain,
grammar, pddl_problem) raises DataFileError naming the file and the field.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from envs.base import check_field, check_type, read_json

TASK_TYPES = (
    "pick_and_place_simple",
    "look_at_obj_in_light",
    "pick_clean_then_place_in_recep",
    "pick_heat_then_place_in_recep",
    "pick_cool_then_place_in_recep",
    "pick_two_obj_and_place",
)
SPLITS = ("train", "valid_seen", "valid_unseen")
GAME_FIELDS = ("pddl_domain", "grammar", "pddl_problem")  # what TextWorld's PDDL backend reads
SHIPPED_DATA = Path(__file__).resolve().parent / "data"
RELEASE_DIR = "json_2.1.1"

HOW_TO_GET_DATA = (
    "To use the real ALFWorld games: `pip install alfworld`, run `alfworld-download` (it fills "
    "$ALFWORLD_DATA, default ~/.cache/alfworld), then set ALFWORLD_DATA or pass data_dir=. "
    "Offline: unzip the release files json_2.1.1_json.zip, json_2.1.1_pddl.zip and "
    "json_2.1.2_tw-pddl.zip into $ALFWORLD_DATA, or put them there and run `alfworld-download`, "
    "which uses zips already present (its last step, the MRCNN detector download, is not needed "
    "for the text games). `python -m envs.alfworld.generate --out DIR` writes the small "
    "hand-authored games shipped with this package."
)


@dataclass(frozen=True)
class Game:
    """One playable game: its `game.tw-pddl` path and its ALFWorld task type."""

    gamefile: str
    task_type: str


class NoGamesError(FileNotFoundError):
    """No playable game matched the data directory, split and task types."""


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The directory that holds `json_2.1.1/`: `data_dir`, else $ALFWORLD_DATA, else the shipped games.

    $ALFWORLD_DATA is used only when it holds a `json_2.1.1/` folder: importing alfworld sets
    the variable to its (possibly empty) cache, so its mere presence proves nothing.
    """
    if data_dir is not None:
        return Path(data_dir).expanduser()
    env_dir = os.environ.get("ALFWORLD_DATA")
    if env_dir and (Path(env_dir).expanduser() / RELEASE_DIR).is_dir():
        return Path(env_dir).expanduser()
    return SHIPPED_DATA


def split_dir(data_dir: Path, split: str) -> Path:
    """`<data_dir>/json_2.1.1/<split>`; a `data_dir` that is itself the release folder works too."""
    root = data_dir / RELEASE_DIR if (data_dir / RELEASE_DIR).is_dir() else data_dir
    return root / split


def collect_games(data_dir: str | os.PathLike, split: str, task_types: tuple[str, ...] | None = None) -> list[Game]:
    """All solvable games of `split` whose task type is in `task_types` (all six if None), in path order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    wanted = tuple(TASK_TYPES if task_types is None else task_types)
    unknown = sorted(set(wanted) - set(TASK_TYPES))
    if unknown:
        raise ValueError(f"unknown task types {unknown}; expected names from {TASK_TYPES}")
    games = _collect(str(split_dir(Path(data_dir), split)), wanted)
    if not games:
        where = split_dir(Path(data_dir), split)
        raise NoGamesError(
            f"no solvable ALFWorld games of split {split!r} and types {list(wanted)} under {where} "
            f"(looked for */trial_*/traj_data.json with a solvable game.tw-pddl). {HOW_TO_GET_DATA}"
        )
    return list(games)


@lru_cache(maxsize=32)
def _collect(root: str, task_types: tuple[str, ...]) -> tuple[Game, ...]:
    # Cached: the full release has ~3,500 train games and every env instance would rescan them.
    games = []
    base = Path(root)
    for traj_path in sorted(base.rglob("traj_data.json")):
        trial = traj_path.parent
        relative = str(trial.relative_to(base))
        if "movable" in relative or "Sliced" in relative:
            continue
        traj = check_type(read_json(traj_path), dict, traj_path)
        task_type = check_field(traj, "task_type", str, traj_path, required=True)
        gamefile = trial / "game.tw-pddl"
        if task_type not in task_types or not gamefile.is_file():
            continue
        game = check_type(read_json(gamefile), dict, gamefile)
        if game.get("solvable") is True:
            for name in GAME_FIELDS:
                check_field(game, name, str, gamefile, required=True)
            games.append(Game(str(gamefile), task_type))
    return tuple(games)

"""Find ALFWorld games on disk, following the rules of alfworld's own game collector.

A game is a `trial_*` directory of `json_2.1.1/<split>/` holding `traj_data.json` and a
`game.tw-pddl` marked solvable. Sliced-object and movable-receptacle tasks are skipped, as
alfworld does, and the task type comes from `traj_data["task_type"]`. A `traj_data.json` or a
kept game file that is empty, not JSON, lacks a field the env reads (task_type; pddl_domain,
grammar, pddl_problem) or holds no PDDL in a pddl_ field raises DataFileError naming the file
and the field; a task type that is no ALFWorld type is skipped with a warning naming both.
"""

from __future__ import annotations

import difflib
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from envs.base import DataFileError, check_field, check_type, read_json

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
    "hand-authored games shipped with this package; add `--random N_TRAIN N_EVAL --seed 0` for "
    "procedural games (`make alfworld-data`: data/alfworld; configs/real/alfworld.yaml reads "
    "data/alfworld-100, made with `--random 120 100`)."
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
    """All solvable games of `split` whose task type is in `task_types` (all six if None), in path order.

    A `traj_data.json` whose task type is no ALFWorld task type (a misspelling) is skipped with a warning
    naming the file, the field and the closest type; when no game is left, the error lists why each
    candidate was refused."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    wanted = tuple(TASK_TYPES if task_types is None else task_types)
    unknown = sorted(set(wanted) - set(TASK_TYPES))
    if unknown:
        raise ValueError(f"unknown task types {unknown}; expected names from {TASK_TYPES}")
    games, refused = _collect(str(split_dir(Path(data_dir), split)), wanted)
    misspelled = [f"{path}: {why}" for path, why in refused if why.startswith("field 'task_type'")]
    if misspelled:
        warnings.warn(f"skipped {len(misspelled)} ALFWorld game(s) with an unknown task type:\n  "
                      + "\n  ".join(misspelled[:10]), stacklevel=2)
    if not games:
        where = split_dir(Path(data_dir), split)
        raise NoGamesError(
            f"no solvable ALFWorld games of split {split!r} and types {list(wanted)} under {where} "
            f"(looked for */trial_*/traj_data.json with a solvable game.tw-pddl){_refusals(refused)}. {HOW_TO_GET_DATA}"
        )
    return list(games)


def _refusals(refused: tuple[tuple[str, str], ...]) -> str:
    """'; refused: N x <reason> (e.g. <path>), ...' for the candidates that were not kept."""
    if not refused:
        return "; no candidate found"
    by_reason: dict[str, list[str]] = {}
    for path, why in refused:
        by_reason.setdefault(why.split(" (")[0] if why.startswith("field 'task_type'") else why, []).append(path)
    parts = [f"{len(paths)} x {why} (e.g. {paths[0]})" for why, paths in by_reason.items()]
    return "; refused: " + "; ".join(parts)


@lru_cache(maxsize=32)
def _collect(root: str, task_types: tuple[str, ...]) -> tuple[tuple[Game, ...], tuple[tuple[str, str], ...]]:
    """(games, refused candidates as (path, reason)). Cached: the full release has ~3,500 train games and
    every env instance would rescan them."""
    games, refused = [], []
    base = Path(root)
    for traj_path in sorted(base.rglob("traj_data.json")):
        trial = traj_path.parent
        if "movable" in str(trial.relative_to(base)) or "Sliced" in str(trial.relative_to(base)):
            refused.append((str(trial), "sliced-object or movable-receptacle task (skipped, as alfworld does)"))
            continue
        why = _refusal(traj_path, task_types)
        if why is None:
            games.append(Game(str(trial / "game.tw-pddl"), read_json(traj_path)["task_type"]))
        else:
            refused.append((str(traj_path if why.startswith("field") else trial), why))
    return tuple(games), tuple(refused)


def _refusal(traj_path: Path, task_types: tuple[str, ...]) -> str | None:
    """Why the game of this `traj_data.json` is not played (None: it is); DataFileError for a malformed file."""
    traj = check_type(read_json(traj_path), dict, traj_path)
    task_type = check_field(traj, "task_type", str, traj_path, required=True)
    if task_type not in TASK_TYPES:
        close = difflib.get_close_matches(task_type, TASK_TYPES, n=1)
        return f"field 'task_type': {task_type!r} is no ALFWorld task type" + (f" (did you mean {close[0]!r}?)"
                                                                              if close else "")
    if task_type not in task_types:
        return f"task type {task_type} not asked for"
    gamefile = traj_path.parent / "game.tw-pddl"
    if not gamefile.is_file():
        return "no game.tw-pddl beside traj_data.json"
    game = check_type(read_json(gamefile), dict, gamefile)
    if game.get("solvable") is not True:
        return "game.tw-pddl not marked solvable"
    for name in GAME_FIELDS:
        text = check_field(game, name, str, gamefile, required=True)
        if name.startswith("pddl_") and "(define" not in text:
            raise DataFileError.at(gamefile, "no PDDL '(define ...)' in it", field=name)
    return None

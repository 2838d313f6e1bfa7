"""Malformed data files raise DataFileError naming the file, the record and the field.

Each case copies a small valid file from the shipped data into tmp_path and damages it.
"""

import functools
import json
import operator
import re
import shutil
from pathlib import Path

import pytest

from envs.alfworld.games import SHIPPED_DATA, NoGamesError, collect_games
from envs.base import DataFileError
from envs.sokoban.env import SokobanEnv
from envs.webshop.env import WebShopEnv
from envs.webshop.loader import DEFAULT_DATA_DIR, load_catalogue

ITEMS, INS, HUMAN = "items_shuffle.json", "items_ins_v2.json", "items_human_ins.json"
TRAJ, GAME = "traj_data.json", "game.tw-pddl"
CUT = object()  # as a value: delete the key, or (for the whole file) truncate it


def damage(path: Path, keys: list | None, value) -> None:
    """Set the JSON value at `keys` in the file (delete it for CUT), or with `keys` None
    replace the whole file's text by `value` (CUT: its first half)."""
    if keys is None:
        path.write_text(path.read_text()[: path.stat().st_size // 2] if value is CUT else value)
        return
    data = json.loads(path.read_text())
    *parents, last = keys
    target = functools.reduce(operator.getitem, parents, data)
    if value is CUT:
        del target[last]
    else:
        target[last] = value
    path.write_text(json.dumps(data))


# -- WebShop ---------------------------------------------------------------------------------
@pytest.fixture
def shop_dir(tmp_path: Path) -> Path:
    for name in (ITEMS, INS, HUMAN):
        shutil.copy(DEFAULT_DATA_DIR / name, tmp_path / name)
    return tmp_path


RECORD = json.loads((DEFAULT_DATA_DIR / ITEMS).read_text())[2]  # damaged in every file
ASIN, GROUP = RECORD["asin"], next(iter(RECORD["customization_options"]))

WEBSHOP_CASES = {  # id: (file, keys, value, words the message holds besides the file's path)
    "items truncated": (ITEMS, None, CUT, ["invalid JSON"]),
    "items empty": (ITEMS, None, "", ["empty file"]),
    "items not a list": (ITEMS, None, "{}", ["expected list"]),
    "items no records": (ITEMS, None, "[]", ["no product records"]),
    "record not an object": (ITEMS, [2], "B0", ["record 2", "expected dict"]),
    "asin missing": (ITEMS, [2, "asin"], CUT, ["record 2", "'asin'", "missing"]),
    "asin not text": (ITEMS, [2, "asin"], 7, ["record 2", "'asin'", "int"]),
    "pricing malformed": (ITEMS, [2, "pricing"], "$1.2.3", [ASIN, "'pricing'", "$1.2.3"]),
    "pricing no number": (ITEMS, [2, "pricing"], "call us", [ASIN, "'pricing'", "call us"]),
    "pricing a number": (ITEMS, [2, "pricing"], 12.5, [ASIN, "'pricing'", "expected str"]),
    "name a list": (ITEMS, [2, "name"], ["a"], [ASIN, "'name'"]),
    "bullets a number": (ITEMS, [2, "small_description"], 3, [ASIN, "'small_description'", "str or list"]),
    "options a list": (ITEMS, [2, "customization_options"], [], [ASIN, "'customization_options'"]),
    "option value missing": (ITEMS, [2, "customization_options", GROUP, 1, "value"], CUT,
                             [ASIN, f"'customization_options.{GROUP}[1].value'"]),
    "ins truncated": (INS, None, CUT, ["invalid JSON"]),
    "ins empty": (INS, None, "\n", ["empty file"]),
    "ins not an object": (INS, None, "[]", ["expected dict"]),
    "ins record a string": (INS, [ASIN], "soap", [ASIN, "expected dict"]),
    "instruction_attributes a string": (INS, [ASIN, "instruction_attributes"], "dry skin",
                                        [ASIN, "'instruction_attributes'", "list of str"]),
    "attributes hold a number": (INS, [ASIN, "attributes"], ["dry skin", 1],
                                 [ASIN, "'attributes'", "list of str"]),
    "instruction a number": (INS, [ASIN, "instruction"], 1, [ASIN, "'instruction'"]),
    "human truncated": (HUMAN, None, CUT, ["invalid JSON"]),
    "human empty": (HUMAN, None, "", ["empty file"]),
    "human entries not a list": (HUMAN, [ASIN], {}, [ASIN, "expected list"]),
    "human instruction missing": (HUMAN, [ASIN, 1, "instruction"], CUT,
                                  [ASIN, "instruction 1", "'instruction'", "missing"]),
    "human instruction_attributes a string": (HUMAN, [ASIN, 0, "instruction_attributes"], "cruelty free",
                                              [ASIN, "'instruction_attributes'", "list of str"]),
    "human instruction_options a string": (HUMAN, [ASIN, 0, "instruction_options"], "red",
                                           [ASIN, "'instruction_options'", "list of str"]),
}


@pytest.mark.parametrize("case", WEBSHOP_CASES)
def test_webshop_malformed_file_names_file_record_and_field(shop_dir, case):
    name, keys, value, words = WEBSHOP_CASES[case]
    damage(shop_dir / name, keys, value)
    with pytest.raises(DataFileError) as error:
        load_catalogue(shop_dir)
    message = str(error.value)
    for word in [str(shop_dir / name), *words]:
        assert word in message, (word, message)


def test_webshop_env_raises_the_error_and_it_is_a_value_error(shop_dir):
    damage(shop_dir / INS, [ASIN, "instruction_attributes"], "dry skin")
    with pytest.raises(ValueError, match=r"items_ins_v2\.json: record '\w+': field 'instruction_attributes'"):
        WebShopEnv(data_dir=str(shop_dir))


def test_webshop_undamaged_copy_loads(shop_dir):
    assert len(load_catalogue(shop_dir).products) == len(load_catalogue().products)


# -- ALFWorld --------------------------------------------------------------------------------
@pytest.fixture
def trial(tmp_path: Path) -> Path:
    """A copy of one shipped train game: <tmp_path>/json_2.1.1/train/<task>/trial_T1/."""
    game = collect_games(SHIPPED_DATA, "train", ("pick_and_place_simple",))[0].gamefile
    dst = tmp_path / "json_2.1.1" / "train" / "pick_and_place_simple-SoapBottle-None-Toilet-402" / "trial_T1"
    shutil.copytree(Path(game).parent, dst)
    return dst


ALFWORLD_CASES = {  # id: (file, keys, value, words the message holds besides the file's path)
    "traj truncated": (TRAJ, None, CUT, ["invalid JSON"]),
    "traj empty": (TRAJ, None, "", ["empty file"]),
    "traj not an object": (TRAJ, None, "[1]", ["expected dict"]),
    "task_type missing": (TRAJ, ["task_type"], CUT, ["'task_type'", "missing"]),
    "task_type a list": (TRAJ, ["task_type"], [], ["'task_type'", "expected str"]),
    "game truncated": (GAME, None, CUT, ["invalid JSON"]),
    "game empty": (GAME, None, " ", ["empty file"]),
    "game not an object": (GAME, None, '"game"', ["expected dict"]),
    "pddl_problem missing": (GAME, ["pddl_problem"], CUT, ["'pddl_problem'", "missing"]),
    "grammar missing": (GAME, ["grammar"], CUT, ["'grammar'", "missing"]),
    "pddl_domain a number": (GAME, ["pddl_domain"], 1, ["'pddl_domain'", "int"]),
}


@pytest.mark.parametrize("case", ALFWORLD_CASES)
def test_alfworld_malformed_game_names_file_and_field(trial, case):
    name, keys, value, words = ALFWORLD_CASES[case]
    damage(trial / name, keys, value)
    with pytest.raises(DataFileError) as error:
        collect_games(trial.parents[3], "train")
    message = str(error.value)
    for word in [str(trial / name), *words]:
        assert word in message, (word, message)


def test_alfworld_no_games_names_directory_and_split(tmp_path):
    (tmp_path / "json_2.1.1" / "valid_seen").mkdir(parents=True)
    with pytest.raises(NoGamesError) as error:
        collect_games(tmp_path, "valid_seen")
    message = str(error.value)
    assert str(tmp_path / "json_2.1.1" / "valid_seen") in message and "split 'valid_seen'" in message


def test_alfworld_textworld_errors_at_reset_name_the_game_file(trial):
    pytest.importorskip("textworld")
    pytest.importorskip("alfworld")
    from envs.alfworld.env import ALFWorldEnv

    broken = trial.parent.parent / "pick_and_place_simple-SoapBottle-None-Toilet-403" / "trial_T2"
    shutil.copytree(trial, broken)
    damage(broken / GAME, ["pddl_problem"], "(define (problem")
    env = ALFWorldEnv(data_dir=trial.parents[3], split="train")
    assert [g.gamefile for g in env.games] == [str(trial / GAME), str(broken / GAME)]
    cannot_play = re.escape(f"{broken / GAME}: TextWorld cannot play this game: ") + r"\w+"
    for _ in range(2):  # a broken game loaded into a fresh env, then into one that played a good game
        with pytest.raises(DataFileError, match=cannot_play):
            env.reset(options={"game_index": 1})
        assert "Your task is to" in env.reset(options={"game_index": 0})[0]  # good games still play
    (broken / GAME).unlink()  # vanished after collection
    with pytest.raises(DataFileError, match=cannot_play):
        env.reset(options={"game_index": 1})
    env.close()


# -- Sokoban ---------------------------------------------------------------------------------
@pytest.mark.parametrize("layout, words", [
    (3, ["expected str", "int"]),
    (["#####", "#@$.#", "#####"], ["expected str", "list"]),
    (b"#####\n#@$.#\n#####", ["expected str", "bytes"]),
    ("#####\n#@$x.#\n#####", ["unknown XSB symbol 'x' at line 2, column 4"]),
    ("#####\n# $.#\n#####", ["exactly one player", "found 0"]),
    ("######\n#@$$.#\n######", ["2 boxes but 1 targets"]),
    ("####\n#@*#\n####", ["already solved"]),
])
def test_sokoban_malformed_layout_names_the_layout_option(layout, words):
    with pytest.raises(DataFileError) as error:
        SokobanEnv().reset(options={"layout": layout})
    message = str(error.value)
    for word in ["Sokoban reset option 'layout'", *words]:
        assert word in message, (word, message)


def test_alfworld_misspelled_task_type_is_skipped_with_a_warning_and_no_games_says_why(trial):
    damage(trial / TRAJ, ["task_type"], "pick_and_place_simpel")
    with pytest.warns(UserWarning, match=r"(?s)unknown task type.*traj_data\.json: field 'task_type': "
                                         r"'pick_and_place_simpel' is no ALFWorld task type \(did you mean "
                                         r"'pick_and_place_simple'\?\)"):
        with pytest.raises(NoGamesError) as error:
            collect_games(trial.parents[3], "train")
    assert f"refused: 1 x field 'task_type': 'pick_and_place_simpel' is no ALFWorld task type (e.g. {trial / TRAJ})" \
        in str(error.value)


def test_alfworld_unsolvable_game_is_refused_with_its_reason(trial):
    damage(trial / GAME, ["solvable"], False)
    with pytest.raises(NoGamesError, match=r"refused: 1 x game\.tw-pddl not marked solvable"):
        collect_games(trial.parents[3], "train")


def test_alfworld_garbage_pddl_names_the_file_and_the_field(trial):
    damage(trial / GAME, ["pddl_problem"], "garbage, not PDDL")
    with pytest.raises(DataFileError, match=rf"{trial / GAME}: field 'pddl_problem': no PDDL"):
        collect_games(trial.parents[3], "train")

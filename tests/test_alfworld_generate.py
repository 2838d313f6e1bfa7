"""Random ALFWorld games: drawing rules, determinism, the release layout, and every game won by its walkthrough."""

import json
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("textworld")
pytest.importorskip("alfworld")

from alfworld.gen import constants  # noqa: E402

from envs.alfworld import generate  # noqa: E402
from envs.alfworld.env import ALFWorldEnv  # noqa: E402
from envs.alfworld.games import SHIPPED_DATA, SPLITS, TASK_TYPES, collect_games  # noqa: E402

COUNTS = {"train": 6, "valid_seen": 2, "valid_unseen": 2}
SUBGOALS = {"pick_and_place_simple": 2, "look_at_obj_in_light": 2, "pick_clean_then_place_in_recep": 3,
            "pick_heat_then_place_in_recep": 3, "pick_cool_then_place_in_recep": 3, "pick_two_obj_and_place": 4}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("alfworld")
    generate.main(["--out", str(out), "--random", "6", "2", "--seed", "0"])
    return out


def _balanced(specs) -> bool:
    counts = Counter(spec.task_type for spec in specs)
    return max(counts[t] for t in TASK_TYPES) - min(counts[t] for t in TASK_TYPES) <= 1


def test_cli_writes_the_release_layout_with_the_requested_counts(generated):
    assert sorted(p.name for p in generated.iterdir()) == ["json_2.1.1"]  # no partial folder left
    for split, n in COUNTS.items():
        trials = sorted((generated / "json_2.1.1" / split).glob("*/trial_*"))
        assert len(trials) == n, split
        for trial in trials:
            assert sorted(p.name for p in trial.iterdir()) == ["game.tw-pddl", "initial_state.pddl", "traj_data.json"]
            game = json.loads((trial / "game.tw-pddl").read_text())
            assert game["solvable"] is True and game["walkthrough"]
        games = collect_games(generated, split)
        assert len(games) == n and _balanced(games), split
    specs = [s for split, n in COUNTS.items() for s in generate.random_specs(split, n, 0)]
    written = {str(generated / "json_2.1.1" / generate.game_dir(s) / "game.tw-pddl") for s in specs}
    assert written == {g.gamefile for split in SPLITS for g in collect_games(generated, split)}
    with pytest.raises(FileExistsError, match="json_2.1.1"):  # never mixes two draws
        generate.main(["--out", str(generated), "--random", "1", "1"])


def test_random_specs_are_deterministic_unique_and_balanced():
    specs = {split: generate.random_specs(split, 60, 0) for split in SPLITS}
    assert specs == {split: generate.random_specs(split, 60, 0) for split in SPLITS}
    assert generate.random_specs("train", 7, 0) == specs["train"][:7]  # game i depends on (split, seed, i) only
    assert generate.random_specs("train", 60, 1) != specs["train"]
    everything = [s for split in SPLITS for s in specs[split]]
    trials = [s.trial for s in everything]
    assert len(set(trials)) == len(trials) and all(t.startswith("trial_R0_") for t in trials)
    shipped_trials = {p.parent.name for p in SHIPPED_DATA.rglob("game.tw-pddl")}
    assert not shipped_trials & set(trials)
    assert {s.trial for s in generate.random_specs("train", 60, 1)}.isdisjoint(trials)
    for split in SPLITS:
        assert Counter(s.task_type for s in specs[split]) == {t: 10 for t in TASK_TYPES}, split
        assert len({(s.room, s.task_type, s.target, s.parent, s.objects) for s in specs[split]}) == 60
        assert all(s.split == split for s in specs[split])
    assert all(_balanced(generate.random_specs(split, n, seed)) for split in SPLITS for n in (2, 5) for seed in (0, 3))
    with pytest.raises(ValueError, match="unknown split"):
        generate.random_specs("test", 1, 0)


def test_valid_unseen_rooms_are_never_used_by_train_or_valid_seen():
    seen_rooms = {s.room for split in ("train", "valid_seen") for s in generate.random_specs(split, 120, 0)}
    unseen_rooms = {s.room for s in generate.random_specs("valid_unseen", 120, 0)}
    assert seen_rooms == set(generate.SPLIT_ROOMS["train"]) and unseen_rooms == set(generate.SPLIT_ROOMS["valid_unseen"])
    assert not seen_rooms & unseen_rooms
    assert not {generate.ROOMS[r][0] for r in seen_rooms} & {generate.ROOMS[r][0] for r in unseen_rooms}  # scenes


def test_random_specs_follow_alfreds_rules():
    holds = constants.VAL_RECEPTACLE_OBJECTS
    for spec in (s for split in SPLITS for s in generate.random_specs(split, 120, 0)):
        kind = spec.task_type
        room_receptacles = set(generate.ROOMS[spec.room][1])
        assert generate._room_type(spec.room) in constants.GOALS_VALID[kind], spec
        assert spec.target in generate.room_objects(spec.room), spec
        for obj, where in spec.objects:  # every object sits in a receptacle of the room that can hold it
            cls, number = where.split()
            assert generate.ROOMS[spec.room][1].count(cls) >= int(number), spec
            assert obj in holds.get(cls, ()) or (obj == "DeskLamp" and cls in generate.LAMP_RECEPTACLES), spec
        targets = [where.split()[0] for obj, where in spec.objects if obj == spec.target]
        assert len(targets) == (2 if kind == "pick_two_obj_and_place" else 1), spec
        assert 2 <= len(spec.objects) - len(targets) - (kind == "look_at_obj_in_light") <= 4, spec
        if kind == "look_at_obj_in_light":
            assert spec.toggle == "DeskLamp" and spec.parent == "", spec
            assert [obj for obj, _ in spec.objects].count("DeskLamp") == 1, spec
        else:
            assert spec.parent in room_receptacles and spec.target in holds[spec.parent], spec
            assert spec.parent not in targets, spec  # the goal does not hold at the start
        if kind in generate.TASK_AFFORDANCE:
            affordance, appliance = generate.TASK_AFFORDANCE[kind]
            assert spec.target in constants.VAL_ACTION_OBJECTS[affordance] and spec.parent != appliance, spec
            assert appliance in room_receptacles, spec


@pytest.mark.parametrize("split", SPLITS)
def test_every_generated_game_is_won_by_its_walkthrough_in_the_env(generated, split):
    env = ALFWorldEnv(data_dir=generated, split=split)
    try:
        for index, game in enumerate(env.games):
            _, info = env.reset(options={"game_index": index})
            assert info["task"] and info["task_type"] == game.task_type
            assert len(env.expert_plan()) == SUBGOALS[game.task_type], game.gamefile
            walkthrough = json.loads(Path(game.gamefile).read_text())["walkthrough"]
            for command in walkthrough:
                assert command in info["admissible_actions"], (game.gamefile, command)
                _, reward, terminated, truncated, info = env.step(command)
            assert terminated and not truncated and info["won"] and reward == 10.0, game.gamefile
    finally:
        env.close()


def test_a_game_the_planner_rejects_is_replaced_by_the_next_draw(tmp_path, monkeypatch, capsys):
    write_game, calls = generate.write_game, []

    def first_fails(spec, out):
        calls.append(spec)
        gamefile = write_game(spec, out)
        if len(calls) == 1:
            raise RuntimeError("the planner's plan does not win")
        return gamefile

    monkeypatch.setattr(generate, "write_game", first_fails)
    written = generate.write_random(tmp_path, {"train": 1, "valid_seen": 0, "valid_unseen": 0}, seed=0)
    out = capsys.readouterr().out
    assert "skipped GameSpec(" in out and "the planner's plan does not win" in out
    assert "1 games in" in out and "mean plan length" in out  # the summary
    assert len(calls) == 2 and calls[0] != calls[1] and written == [calls[1]]
    assert calls[0].trial == calls[1].trial == "trial_R0_t00000"
    trials = sorted((tmp_path / "json_2.1.1" / "train").glob("*/trial_*"))
    assert trials == [tmp_path / "json_2.1.1" / generate.game_dir(calls[1])]
    assert len(list((tmp_path / "json_2.1.1" / "train").iterdir())) == 1  # the failed game's folder is gone

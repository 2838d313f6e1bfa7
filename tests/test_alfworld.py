"""ALFWorld env on the real TextWorld engine: shipped games, expert, validity, splits, data errors."""

import json
import random
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("textworld")
pytest.importorskip("alfworld")

import gymnasium  # noqa: E402

import envs  # noqa: E402  (registers the gymnasium ids)
from envs.alfworld import generate  # noqa: E402
from envs.alfworld.env import ALFWorldEnv  # noqa: E402
from envs.alfworld.games import SHIPPED_DATA, SPLITS, TASK_TYPES, NoGamesError, collect_games  # noqa: E402

SHIPPED_GAMEFILES = sorted(SHIPPED_DATA.rglob("game.tw-pddl"))


@pytest.fixture(scope="module")
def split_envs():
    made = {split: ALFWorldEnv(split=split) for split in SPLITS}
    yield made
    for env in made.values():
        env.close()


def test_each_split_ships_all_six_task_types_and_every_game_is_collected():
    collected = []
    for split in SPLITS:
        games = collect_games(SHIPPED_DATA, split)
        assert sorted(g.task_type for g in games) == sorted(TASK_TYPES), split
        for game in games:
            # The task type read from traj_data.json agrees with the task directory's name.
            assert Path(game.gamefile).parent.parent.name.startswith(game.task_type + "-")
        collected += [Path(g.gamefile) for g in games]
    assert sorted(collected) == SHIPPED_GAMEFILES and len(collected) == 18


@pytest.mark.parametrize("split", SPLITS)
def test_every_shipped_game_is_won_by_its_expert(split_envs, split):
    env = split_envs[split]
    for index, game in enumerate(env.games):
        text, info = env.reset(options={"game_index": index})
        assert info["gamefile"] == game.gamefile and info["task_type"] == game.task_type
        assert "Welcome to TextWorld" not in text
        assert text.startswith("You are in the middle of a room. Looking quickly around you, you see a ")
        assert text.endswith(f"Your task is to: {info['task']}.")
        traj = json.loads((Path(game.gamefile).parent / "traj_data.json").read_text())
        assert info["task"] == traj["turk_annotations"]["anns"][0]["task_desc"].lower().rstrip(".")
        actions = info["admissible_actions"]
        assert "look" in actions and "inventory" in actions and "help" not in actions
        assert all(a.startswith("go to ") for a in actions if a not in ("look", "inventory"))

        rewards, done = [], False
        while not done:
            action = env.expert_action()
            assert action in info["admissible_actions"]
            text, reward, terminated, truncated, info = env.step(action)
            assert info["action_valid"] and text != "Nothing happens."
            rewards.append(reward)
            done = terminated or truncated
        assert terminated and not truncated and info["won"], game.gamefile
        assert rewards[-1] == 10.0 and sum(rewards) == 10.0
        assert len(rewards) == len(json.loads(Path(game.gamefile).read_text())["walkthrough"])


def test_non_admissible_command_answers_nothing_happens_and_changes_nothing(split_envs):
    env = split_envs["train"]
    _, info = env.reset(options={"game_index": 0})
    before = info["admissible_actions"]
    for command in ("fly to the moon", "take apple 1 from fridge 1", "help"):
        text, reward, terminated, truncated, info = env.step(command)
        assert info["action_valid"] is False and reward == 0.0 and not terminated and not truncated
        assert info["admissible_actions"] == before
        if command != "help":  # "help" is the engine's own command: it prints the help text
            assert text == "Nothing happens."
    text, _, _, _, info = env.step("  Go To  Desk 1 ")  # case and spacing are normalised
    assert info["action_valid"] is True and text.startswith("You arrive at desk 1.")
    assert info["steps"] == 4


def test_expert_replans_after_the_agent_leaves_its_plan(split_envs):
    env = split_envs["train"]
    _, info = env.reset(options={"game_index": 5})
    assert info["task_type"] == "pick_two_obj_and_place"
    first = env.expert_action()
    detour = next(a for a in info["admissible_actions"] if a.startswith("go to ") and a != first)
    env.step(detour)
    env.step("take nothing from nowhere")
    steps, done = 2, False
    while not done:
        _, reward, terminated, truncated, info = env.step(env.expert_action())
        steps += 1
        done = terminated or truncated
    assert info["won"] and reward == 10.0 and steps <= env.max_steps


def test_reset_seed_is_deterministic_and_game_index_selects(split_envs, monkeypatch):
    env = split_envs["valid_unseen"]
    argv = ["himac", "train", "configs/alfworld.yaml"]
    monkeypatch.setattr(sys, "argv", argv)
    drawn = [env.reset(seed=seed)[1]["gamefile"] for seed in range(4)]
    assert drawn == [env.reset(seed=seed)[1]["gamefile"] for seed in range(4)]
    assert len(set(drawn)) > 1
    assert sys.argv is argv and argv == ["himac", "train", "configs/alfworld.yaml"]  # the translator rebinds it
    assert env.reset(options={"game_index": 3})[1]["gamefile"] == env.games[3].gamefile
    with pytest.raises(IndexError, match="valid_unseen"):
        env.reset(options={"game_index": len(env.games)})
    n = len(env.games)  # held-out episodes: the split's games in order, each once, then again
    assert [env.reset(seed=0, options={"task_index": k})[1]["game_index"] for k in range(n + 1)] == [*range(n), 0]


def test_declared_task_splits_are_shipped_splits():
    splits = envs.task_splits("alfworld")
    assert splits == {"train": "train", "eval": "valid_unseen"} and set(splits.values()) <= set(SPLITS)


def test_task_type_filter_and_bad_arguments():
    env = ALFWorldEnv(split="valid_seen", task_types=["pick_heat_then_place_in_recep", "look_at_obj_in_light"])
    assert sorted(g.task_type for g in env.games) == ["look_at_obj_in_light", "pick_heat_then_place_in_recep"]
    _, info = env.reset(seed=0)
    assert info["task_type"] in ("look_at_obj_in_light", "pick_heat_then_place_in_recep")
    env.close()
    with pytest.raises(ValueError, match="unknown task types"):
        ALFWorldEnv(task_types=["pick_and_eat"])
    with pytest.raises(ValueError, match="unknown split"):
        ALFWorldEnv(split="test")


def test_missing_data_error_says_where_it_looked_and_how_to_get_data(tmp_path):
    with pytest.raises(NoGamesError) as error:
        ALFWorldEnv(data_dir=tmp_path, split="valid_seen")
    message = str(error.value)
    assert str(tmp_path / "valid_seen") in message
    assert "ALFWORLD_DATA" in message and "alfworld-download" in message and "unzip" in message


def _copy_game(src_gamefile: Path, dst_trial: Path) -> Path:
    shutil.copytree(Path(src_gamefile).parent, dst_trial)
    return dst_trial / "game.tw-pddl"


def test_collection_rules_and_alfworld_data_variable(tmp_path, monkeypatch):
    simple = collect_games(SHIPPED_DATA, "train", ("pick_and_place_simple",))[0].gamefile
    split = tmp_path / "json_2.1.1" / "train"
    kept = _copy_game(simple, split / "pick_and_place_simple-SoapBottle-None-Toilet-402" / "trial_T1")
    _copy_game(simple, split / "pick_and_place_simple-AppleSliced-None-Toilet-402" / "trial_T2")
    _copy_game(simple, split / "pick_and_place_with_movable_recep-SoapBottle-Bowl-Toilet-402" / "trial_T3")
    (_copy_game(simple, split / "pick_and_place_simple-Candle-None-Toilet-402" / "trial_T4")).unlink()
    unsolvable = _copy_game(simple, split / "pick_and_place_simple-Cloth-None-Toilet-402" / "trial_T5")
    unsolvable.write_text(json.dumps({**json.loads(unsolvable.read_text()), "solvable": False}))
    assert [g.gamefile for g in collect_games(tmp_path, "train")] == [str(kept)]
    assert [g.gamefile for g in collect_games(tmp_path / "json_2.1.1", "train")] == [str(kept)]

    monkeypatch.setenv("ALFWORLD_DATA", str(tmp_path))
    assert [g.gamefile for g in ALFWorldEnv(split="train").games] == [str(kept)]
    monkeypatch.setenv("ALFWORLD_DATA", str(tmp_path / "empty-cache"))  # as set by importing alfworld
    assert len(ALFWorldEnv(split="train").games) == 6  # falls back to the shipped games


def test_gymnasium_make_step_limit_and_reward_scale():
    env = gymnasium.make("himac/ALFWorld-v0", split="train", max_steps=2, reward_scale=1.0, render_mode="ansi")
    text, info = env.reset(seed=0)
    assert info["task"] and env.render() == text
    _, _, terminated, truncated, _ = env.step("look")
    assert not terminated and not truncated
    _, _, terminated, truncated, info = env.step("look")
    assert truncated and not terminated and info["admissible_actions"] == []
    with pytest.raises(RuntimeError):
        env.step("look")
    text, info = env.reset(options={"game_index": 1})  # a 5-step game
    raw = env.unwrapped
    raw.max_steps = 50
    done = False
    while not done:
        _, reward, terminated, truncated, info = env.step(raw.expert_action())
        done = terminated or truncated
    assert info["won"] and reward == 1.0
    env.close()


def test_generator_reproduces_a_shipped_game(tmp_path):
    spec = next(s for s in generate.GAMES if s.split == "valid_unseen" and s.task_type == "pick_and_place_simple")
    gamefile = generate.write_game(spec, tmp_path)
    shipped = SHIPPED_DATA / gamefile.relative_to(tmp_path)
    for name in ("game.tw-pddl", "traj_data.json", "initial_state.pddl"):
        assert (gamefile.parent / name).read_text() == (shipped.parent / name).read_text(), name


def test_env_worker_steps_alfworld_at_once_in_processes_as_one_at_a_time(split_envs):
    """TextWorld is not thread-safe (alfworld#71: eight envs on four threads abort every
    episode). EnvWorker runs each ALFWorld env in its own process: eight envs stepped at
    once with seeded random admissible actions play exactly what they play one at a time."""
    from actors.env_worker import EnvWorker
    from himac.tasks import Task

    n, steps = 8, 6
    tasks = [{"seed": slot, "options": {"game_index": slot % 6}} for slot in range(n)]
    env = split_envs["train"]
    expected = []
    for slot, task in enumerate(tasks):  # one env, one episode after the other
        rng = random.Random(slot)
        obs, info = env.reset(**task)
        played = [(obs, 0.0, info["admissible_actions"])]
        for _ in range(steps):
            obs, reward, _, _, info = env.step(rng.choice(info["admissible_actions"]))
            played.append((obs, reward, info["admissible_actions"]))
        expected.append(played)

    worker = EnvWorker("himac/ALFWorld-v0", n, {"split": "train"})
    try:
        assert not worker.thread_safe
        rngs = [random.Random(slot) for slot in range(n)]
        results = worker.reset([(slot, Task(f"t:{slot}", t["seed"], t["options"])) for slot, t in enumerate(tasks)])
        played = [[(r.observation, 0.0, r.info.get("admissible_actions"))] for r in results]
        for _ in range(steps):
            assert not any(r.aborted or r.terminated or r.truncated for r in results), [r.error for r in results]
            results = worker.step([(s, rngs[s].choice(played[s][-1][2])) for s in range(n)])
            for r in results:
                played[r.slot].append((r.observation, r.reward, r.info.get("admissible_actions")))
        assert not any(r.aborted for r in results) and worker.restarts == 0
        assert played == expected
    finally:
        worker.close()

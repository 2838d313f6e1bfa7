"""Sokoban: dynamics and rewards on hand-checked XSB levels, generation, solver, XSB parsing."""

from __future__ import annotations

from collections import deque

import gymnasium as gym
import numpy as np
import pytest

import envs  # registers himac/Sokoban-v0
from envs.sokoban.env import SokobanEnv
from envs.sokoban.generate import generate_room
from envs.sokoban.room import ACTIONS, Room, render_grid, render_rgb
from envs.sokoban.solver import solve
from envs.sokoban.xsb import parse_xsb, to_xsb

TWO_SIDES = "#######\n#.$@$.#\n#######"  # solved by right, left, left
CORNER = "#####\n#@  #\n# $ #\n#  .#\n#####"  # shortest solution: 5 moves, 2 pushes


def load(layout: str, **kwargs) -> tuple[SokobanEnv, str]:
    env = SokobanEnv(**kwargs)
    text, _ = env.reset(options={"layout": layout})
    return env, text


def play(env: SokobanEnv, actions: list[str]) -> list[float]:
    return [env.step(a)[1] for a in actions]


def min_cost(room: Room, pushes_only: bool) -> int | None:
    """Independent reference search on Room.move: fewest actions (or fewest pushes, by 0-1 BFS)."""
    dist = {room.key(): 0}
    queue = deque([(room, 0)])
    while queue:
        state, d = queue.popleft()
        if d > dist[state.key()]:
            continue
        if state.solved():
            return d
        for name in ACTIONS:
            nxt = state.copy()
            if not nxt.move(name):
                continue
            cost = int((nxt.boxes != state.boxes).any()) if pushes_only else 1
            if d + cost < dist.get(nxt.key(), 1 << 30):
                dist[nxt.key()] = d + cost
                if cost == 0:
                    queue.appendleft((nxt, d))
                else:
                    queue.append((nxt, d + 1))
    return None


# -- dynamics and rewards --------------------------------------------------------------------


def test_reset_text_and_info():
    env, text = load(CORNER)
    assert text == "#####\n#P__#\n#_X_#\n#__O#\n#####"
    _, info = env.reset(options={"layout": CORNER})
    assert info["task"] == "Push every box onto a target."
    assert info["admissible_actions"] == ["up", "down", "left", "right"]
    assert info["won"] is False and info["layout"] == "#####\n#@--#\n#-$-#\n#--.#\n#####"


def test_push_moves_box_and_player():
    env, _ = load("#######\n#@$ . #\n#######")
    text, reward, terminated, truncated, info = env.step("right")
    assert text == "#######\n#_PXO_#\n#######"
    assert reward == pytest.approx(-0.1)
    assert (terminated, truncated, info["won"], info["action_valid"]) == (False, False, False, True)


def test_walk_into_wall_changes_nothing():
    env, start = load(CORNER)
    text, reward, *_ = env.step("up")
    assert text == start and reward == pytest.approx(-0.1)


@pytest.mark.parametrize(
    "layout", ["######\n#@$#.#\n#    #\n######", "#######\n#@$$..#\n#######"], ids=["wall", "box"]
)
def test_blocked_push_changes_nothing(layout):
    env, start = load(layout)
    text, reward, terminated, _, info = env.step("right")
    assert text == start and reward == pytest.approx(-0.1)
    assert not terminated and info["action_valid"]


def test_noop_penalty_costs_only_the_moves_that_change_nothing():
    env, start = load("######\n#@$#.#\n#    #\n######", noop_penalty=1.0)  # wall up and left, box blocked
    assert env.step("right")[1] == pytest.approx(-1.1) and env.step("up")[1] == pytest.approx(-1.1)
    assert env.step("down")[1] == pytest.approx(-0.1)  # a move that changes the state: the usual step reward
    with pytest.raises(ValueError, match="noop_penalty"):
        SokobanEnv(noop_penalty=-1.0)


def test_admissible_moving_lists_only_the_moves_that_change_the_state():
    env = SokobanEnv(admissible="moving")
    start, info = env.reset(options={"layout": "######\n#@$#.#\n#    #\n######"})  # wall up and left, box blocked
    assert info["admissible_actions"] == ["down"]
    assert env.step("right")[0] == start  # still accepted: nothing moves
    info = env.step("down")[4]
    assert info["admissible_actions"] == ["up", "right"]
    env, _ = load("#####\n# $@#\n#  .#\n#####", admissible="moving")  # a box that can move on: pushable
    assert env.admissible_actions() == ["down", "left"]
    with pytest.raises(ValueError, match="admissible"):
        SokobanEnv(admissible="legal")


def test_box_onto_and_off_target():
    env, _ = load("########\n#@$. . #\n#    $ #\n########")
    assert play(env, ["right", "right", "right"]) == pytest.approx([0.9, -1.1, 0.9])
    assert env.room.boxes_on_target() == 1


def test_box_from_target_to_target_earns_nothing():
    env, _ = load("#######\n#@*.$ #\n#######")
    _, reward, _, _, info = env.step("right")
    assert reward == pytest.approx(-0.1) and info["boxes_on_target"] == 1


def test_full_solve_exact_rewards():
    env, _ = load(TWO_SIDES)
    rewards = play(env, ["right", "left"])
    _, reward, terminated, truncated, info = env.step("left")
    assert rewards + [reward] == pytest.approx([0.9, -0.1, 10.9])
    assert terminated and not truncated and info["won"] and info["admissible_actions"] == []
    assert sum(rewards) + reward == pytest.approx(11.7)


def test_corner_level_solved_by_solver_and_expert():
    room = parse_xsb(CORNER)
    plan = solve(room)
    assert plan is not None and len(plan) == 5 == min_cost(room, pushes_only=False)
    env, _ = load(CORNER)
    rewards, done = [], False
    while not done:
        _, r, done, truncated, info = env.step(env.expert_action())
        rewards.append(r)
        assert not truncated
    assert info["won"] and rewards == pytest.approx([-0.1] * 4 + [10.9])


def test_sokoban_declares_no_task_splits():
    assert envs.task_splits("sokoban") is None  # held-out rooms come from seeds
    with pytest.raises(TypeError, match="split"):
        SokobanEnv(split="train")


def test_invalid_action_text():
    env, start = load(CORNER)
    for bad in ["jump", "", "up!", "move up", "upp"]:
        text, reward, terminated, truncated, info = env.step(bad)
        assert text == start and reward == pytest.approx(-0.1)
        assert info["action_valid"] is False and not terminated
    text, _, _, _, info = env.step("  RIGHT\n")
    assert info["action_valid"] and text == "#####\n#_P_#\n#_X_#\n#__O#\n#####"


def test_step_limit_truncates():
    env, _ = load(CORNER, max_steps=3)
    outcomes = [env.step("up")[2:4] for _ in range(3)]
    assert outcomes == [(False, False), (False, False), (False, True)]
    with pytest.raises(RuntimeError):
        env.step("up")


def test_win_on_last_step_is_terminated_not_truncated():
    env, _ = load(TWO_SIDES, max_steps=3)
    _, _, terminated, truncated, info = [env.step(a) for a in ["right", "left", "left"]][-1]
    assert terminated and not truncated and info["won"]


# -- generation ------------------------------------------------------------------------------


def test_seeded_reproducibility():
    a, b = SokobanEnv(), SokobanEnv()
    texts = []
    for seed in range(20):
        text, info = a.reset(seed=seed)
        assert b.reset(seed=seed)[0] == text and a.reset(seed=seed)[0] == text
        assert info["seed"] == seed
        texts.append(text)
    assert len(set(texts)) >= 18
    text, info = a.reset()  # unseeded: the reported room seed rebuilds the room
    assert b.reset(seed=info["seed"])[0] == text


@pytest.mark.parametrize("num_boxes, seeds", [(1, 200), (2, 40)])
def test_generated_rooms_solvable_and_solver_wins_exactly(num_boxes, seeds):
    env = SokobanEnv(num_boxes=num_boxes, max_steps=100)
    for seed in range(seeds):
        text, _ = env.reset(seed=seed)
        room = env.room
        assert room.walls.shape == (6, 6) and room.num_boxes == num_boxes
        assert room.boxes_on_target() == 0 and text.count("P") + text.count("S") == 1
        plan = solve(room)
        assert plan is not None and 1 <= len(plan) <= 30  # reverse play used at most 30 actions
        rewards = []
        for i, action in enumerate(plan):
            _, r, terminated, truncated, info = env.step(action)
            rewards.append(r)
            assert terminated == (i == len(plan) - 1) and not truncated
        assert info["won"]
        assert sum(rewards) == pytest.approx(-0.1 * len(plan) + num_boxes + 10)


def test_solver_is_move_optimal_on_generated_rooms():
    for seed in range(15):
        room = generate_room(np.random.default_rng(seed), num_boxes=1 + seed % 2)
        assert len(solve(room)) == min_cost(room, pushes_only=False)


@pytest.mark.parametrize("pulls", [1, 2, 3])
def test_curriculum_rooms_are_exactly_k_pushes_from_solved(pulls):
    for seed in range(25):
        room = generate_room(np.random.default_rng(seed), min_pulls=pulls, max_pulls=pulls)
        assert room.boxes_on_target() == 0
        assert min_cost(room, pushes_only=True) == pulls


def test_curriculum_env_mixes_push_counts():
    env = SokobanEnv(max_pulls=3)
    counts = set()
    for seed in range(30):
        env.reset(seed=seed)
        counts.add(min_cost(env.room, pushes_only=True))
    assert counts == {1, 2, 3}


def test_bigger_room_more_boxes():
    room = generate_room(np.random.default_rng(3), dim=(8, 9), num_boxes=3)
    assert room.walls.shape == (8, 9) and room.num_boxes == 3 == int(room.targets.sum())
    assert solve(room) is not None


def test_gymnasium_make():
    env = gym.make("himac/Sokoban-v0", max_steps=15)
    text, info = env.reset(seed=7)
    assert len(text.splitlines()) == 6 and info["seed"] == 7
    assert env.unwrapped.max_steps == 15
    _, _, _, _, info = env.step(env.unwrapped.expert_action())
    assert info["action_valid"] and info["steps"] == 1


# -- rendering, XSB, solver limits -----------------------------------------------------------


def test_rgb_array_and_xsb_observation():
    env, text = load(CORNER, render_mode="rgb_array", obs_format="xsb")
    assert text == to_xsb(env.room)
    image = env.render()
    assert image.shape == (5 * 16, 5 * 16, 3) and image.dtype == np.uint8
    tile = lambda r, c: image[r * 16 : (r + 1) * 16, c * 16 : (c + 1) * 16]  # noqa: E731
    floor, wall, player, box, target = tile(1, 2), tile(0, 0), tile(1, 1), tile(2, 2), tile(3, 3)
    for a, b in [(floor, wall), (floor, player), (floor, box), (floor, target), (box, target)]:
        assert not np.array_equal(a, b)
    assert render_rgb(env.room, tile=4).shape == (20, 20, 3)


def test_grid_positions_observation_names_player_box_and_target_cells():
    env, text = load(CORNER, obs_format="grid_positions")
    lines = text.split("\n")
    assert "\n".join(lines[:5]) == render_grid(env.room)
    assert lines[5:] == ["player: row 2, column 2", "box: row 3, column 3", "target: row 4, column 4"]
    play(env, env.expert_plan()[0][1])  # solved: the box stands on the target
    assert env.room.solved() and env._observe().endswith("box: none off a target\ntarget: none free")


def test_xsb_round_trip_ragged_and_exterior():
    level = "  ####\n###  #\n#.$@ ##\n#  *  #\n# .$ ##\n######"
    room = parse_xsb(level)
    assert room.num_boxes == 3 and room.boxes_on_target() == 1
    assert to_xsb(room) == "#######\n###--##\n#.$@-##\n#--*--#\n#-.$-##\n#######"
    assert parse_xsb(to_xsb(room)) == room
    assert parse_xsb("\n" + level.replace(" ", "-") + "\n\n") == room


def test_xsb_open_level_gets_wall_border():
    room = parse_xsb("@$.")
    assert to_xsb(room) == "#####\n#@$.#\n#####"
    assert solve(room) == ["right"]


@pytest.mark.parametrize(
    "layout, message",
    [
        ("", "empty"),
        ("#####\n# $.#\n#####", "exactly one player"),
        ("#####\n#@@$.#\n#####", "exactly one player"),
        ("#####\n#@$ #\n#####", "1 boxes but 0 targets"),
        ("#####\n#@ .#\n#####", "no boxes"),
        ("#####\n#@$x.#\n#####", "unknown XSB symbol 'x'"),
        ("#####\n#@$ #\n#####\n#  .#\n#####", "outside the player's area"),
        ("####\n#@$.#\n\n####", "blank line"),
    ],
)
def test_xsb_errors(layout, message):
    with pytest.raises(ValueError, match=message):
        parse_xsb(layout)


def test_env_rejects_solved_layout_and_unknown_options():
    env = SokobanEnv()
    with pytest.raises(ValueError, match="already solved"):
        env.reset(options={"layout": "####\n#@*#\n####"})
    with pytest.raises(ValueError, match="unknown reset options"):
        env.reset(options={"level": TWO_SIDES})


def test_solver_unsolvable_and_budget():
    assert solve(parse_xsb("######\n#$  .#\n# @  #\n######")) is None  # box stuck in a corner
    two_boxes = parse_xsb("#####\n#@$.#\n# $.#\n#   #\n#####")
    assert len(solve(two_boxes)) == 4 == min_cost(two_boxes, pushes_only=False)
    assert solve(parse_xsb(CORNER), max_nodes=3) is None
    assert solve(parse_xsb("####\n#@*#\n####")) == []

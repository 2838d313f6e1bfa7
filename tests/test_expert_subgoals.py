"""Experts' subgoal decompositions (`expert_plan()`): the warm start's blueprints.

For every env: the plan's actions, concatenated, are exactly what `expert_action()` plays
step by step from the same state, and played in a fresh env they win; the subgoals follow
the task's structure and their texts are short instructions naming the env's entities.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envs.alfworld.expert import plan_subgoals
from envs.sokoban.env import SokobanEnv
from envs.subgoals import split_after
from envs.webshop.env import WebShopEnv


def flatten(plan: list[tuple[str, list[str]]]) -> list[str]:
    return [action for _, actions in plan for action in actions]


def play_expert(env) -> tuple[list[str], dict]:
    """Step `env` with expert_action() to the end; the actions played and the last info."""
    actions, done = [], False
    while not done:
        actions.append(env.expert_action())
        _, _, terminated, truncated, info = env.step(actions[-1])
        done = terminated or truncated
    return actions, info


def play(env, actions: list[str]) -> dict:
    """Step `env` with `actions`; each must be admissible and the episode must end at the last."""
    for i, action in enumerate(actions):
        assert not env._done, f"episode ended before action {i}: {action!r}"
        _, _, terminated, truncated, info = env.step(action)
        assert info["action_valid"], action
    assert terminated and not truncated
    return info


def check_texts(plan: list[tuple[str, list[str]]]) -> None:
    for text, actions in plan:
        assert text.strip() and len(text) < 80 and actions, (text, actions)


# -- shared cutting rule --------------------------------------------------------------------
def test_split_after_cuts_after_marked_actions_and_keeps_the_tail():
    assert split_after(["a", "b", "c", "d"], [None, "x", "y", None], "rest") == [("x", ["a", "b"]), ("y", ["c", "d"])]
    assert split_after(["a", "b"], [None, None], "rest") == [("rest", ["a", "b"])]
    assert split_after([], [], "rest") == []


# -- ALFWorld -------------------------------------------------------------------------------
def test_alfworld_subgoal_names_follow_the_world_changing_commands():
    plan = plan_subgoals([
        "go to drawer 1", "open drawer 1", "take cellphone 2 from drawer 1", "go to bed 1",
        "move cellphone 2 to bed 1", "go to desk 1", "take cellphone 1 from desk 1", "go to cabinet 1",
        "put cellphone 1 in/on cabinet 1",  # the older releases' wording
        "examine cabinet 1",
    ], "put two cellphone in bed")
    assert plan == [
        ("find and take the cellphone", ["go to drawer 1", "open drawer 1", "take cellphone 2 from drawer 1"]),
        ("put the cellphone on the bed", ["go to bed 1", "move cellphone 2 to bed 1"]),
        ("find and take a second cellphone", ["go to desk 1", "take cellphone 1 from desk 1"]),
        ("put the second cellphone in the cabinet", ["go to cabinet 1", "put cellphone 1 in/on cabinet 1",
                                                     "examine cabinet 1"]),
    ]
    assert plan_subgoals(["go to sidetable 1", "use desklamp 1"], "look at cd under the desklamp") == [
        ("turn on the desklamp", ["go to sidetable 1", "use desklamp 1"])]
    assert plan_subgoals(["go to desk 1", "look"], "find a pen") == [("find a pen", ["go to desk 1", "look"])]
    assert plan_subgoals([], "find a pen") == []


# Subgoal texts for each task type, "{o}" the task's object; pick_two cycles twice.
ALFWORLD_SUBGOALS = {
    "pick_and_place_simple": ["find and take the {o}", "put the {o} "],
    "look_at_obj_in_light": ["find and take the {o}", "use the desklamp to look at the {o}"],
    "pick_clean_then_place_in_recep": ["find and take the {o}", "clean the {o} with the sinkbasin", "put the {o} "],
    "pick_heat_then_place_in_recep": ["find and take the {o}", "heat the {o} with the microwave", "put the {o} "],
    "pick_cool_then_place_in_recep": ["find and take the {o}", "cool the {o} with the fridge", "put the {o} "],
    "pick_two_obj_and_place": ["find and take the {o}", "put the {o} ", "find and take a second {o}",
                               "put the second {o} "],
}


@pytest.fixture(scope="module")
def alfworld_envs():
    pytest.importorskip("textworld")
    pytest.importorskip("alfworld")
    from envs.alfworld.env import ALFWorldEnv

    made = ALFWorldEnv(split="train"), ALFWorldEnv(split="train")
    yield made
    for env in made:
        env.close()


def test_alfworld_train_games_have_a_subgoal_per_step_of_their_task_type(alfworld_envs):
    env, fresh = alfworld_envs
    assert sorted(g.task_type for g in env.games) == sorted(ALFWORLD_SUBGOALS)
    for index, game in enumerate(env.games):
        _, info = env.reset(options={"game_index": index})
        plan = env.expert_plan()
        obj = Path(game.gamefile).parent.parent.name.split("-")[1].lower()  # "pick_two...-CellPhone-..."
        expected = [t.format(o=obj) for t in ALFWORLD_SUBGOALS[game.task_type]]
        texts = env.expert_subgoals()
        assert texts == [text for text, _ in plan]
        assert [t[:len(e)] for t, e in zip(texts, expected)] == expected and len(texts) == len(expected), texts
        check_texts(plan)
        for text, actions in plan:
            assert obj in text
            assert not any(a.startswith(("take ", "move ", "use ", "heat ", "clean ", "cool ")) for a in actions[:-1])

        fresh.reset(options={"game_index": index})
        assert play(fresh, flatten(plan))["won"], game.gamefile
        assert play_expert(env)[0] == flatten(plan)


def test_alfworld_plan_from_mid_episode_is_the_rest_of_the_expert(alfworld_envs):
    env, fresh = alfworld_envs
    heat = next(i for i, g in enumerate(env.games) if g.task_type == "pick_heat_then_place_in_recep")
    env.reset(options={"game_index": heat})
    full = env.expert_plan()
    env.step(full[0][1][0])  # on the plan: the plan goes on from its second command
    assert flatten(env.expert_plan()) == flatten(full)[1:]
    env.step("inventory")  # off the plan: replanned from here
    plan = env.expert_plan()
    assert [text for text, _ in plan] == [text for text, _ in full]
    assert play_expert(env)[0] == flatten(plan)

    fresh.reset(options={"game_index": heat})
    fresh.step(full[0][1][0])
    fresh.step("inventory")
    assert play(fresh, flatten(plan))["won"]


# -- WebShop --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shops() -> tuple[WebShopEnv, WebShopEnv]:
    return WebShopEnv(split="all"), WebShopEnv(split="all")


def check_webshop_plan(env: WebShopEnv, plan: list[tuple[str, list[str]]]) -> None:
    """Search, open the goal's product, one choice per goal option (a synthetic goal), buy."""
    texts = [text for text, _ in plan]
    check_texts(plan)
    assert len(plan) >= 3 and texts[-1] == "buy it" and plan[-1][1][-1] == "click[buy now]"
    opened = texts.index("open the best match")
    assert texts[opened - 1] == "search for the product" and plan[opened - 1][1][-1].startswith("search[")
    assert plan[opened][1][-1] == f"click[{env.goal.asin.lower()}]"
    chosen = texts[opened + 1:-1]
    assert chosen == [f"choose {k}: {v}" for k, v in env.goal.options.items()]


def test_webshop_plan_searches_opens_chooses_each_option_and_buys(shops):
    env, fresh = shops
    for index in [*range(10), 500, 700, 965]:
        env.reset(options={"goal_index": index})
        plan = env.expert_plan()
        assert env.expert_subgoals() == [text for text, _ in plan]
        check_webshop_plan(env, plan)
        fresh.reset(options={"goal_index": index})
        assert play(fresh, flatten(plan))["won"], index
        assert play_expert(env)[0] == flatten(plan)


def test_webshop_first_goal_decomposition(shops):
    env, _ = shops
    env.reset(options={"goal_index": 0})
    assert env.expert_plan() == [
        ("search for the product",
         ["search[i need a keto friendly and usda organic granola bar with flavor name: cinnamon, and size: 1 pound]"]),
        ("open the best match", ["click[b0nbw3qapt]"]),
        ("choose flavor name: cinnamon", ["click[cinnamon]"]),
        ("choose size: 1 pound", ["click[1 pound]"]),
        ("buy it", ["click[buy now]"]),
    ]


def test_webshop_plan_after_a_wrong_search_pages_back_and_searches_again(shops):
    env, fresh = shops
    for wrong in ("search[granola]", "search[zzzz qqq]"):
        env.reset(options={"goal_index": 1})
        env.step(wrong)  # a bookshelf goal: its product is not among the granola results
        state = env.state.view, env.state.query
        plan = env.expert_plan()
        assert (env.state.view, env.state.query) == state  # planned on a copy
        check_webshop_plan(env, plan)
        assert plan[0][1][-2:] == ["click[back to search]", "search[i need a easy assemble and metal frame "
                                   "bookshelf with color: black]"]
        fresh.reset(options={"goal_index": 1})
        fresh.step(wrong)
        assert play(fresh, flatten(plan))["won"]
        assert play_expert(env)[0] == flatten(plan)


def test_webshop_human_goals_plan_and_win():
    env, fresh = WebShopEnv(split="all", goals="human"), WebShopEnv(split="all", goals="human")
    for index in range(0, len(env.shop.goals), 40):
        env.reset(options={"goal_index": index})
        plan = env.expert_plan()
        check_texts(plan)
        assert len(plan) >= 3 and plan[0][0] == "search for the product" and plan[-1][0] == "buy it"
        fresh.reset(options={"goal_index": index})
        assert play(fresh, flatten(plan))["won"], index


# -- Sokoban --------------------------------------------------------------------------------
TWO_BOXES = "#######\n#@$ . #\n#  $. #\n#######"
ONE_ON_TARGET = "#######\n#     #\n#@$ * #\n#    .#\n#######"  # one of the two boxes is on a target


def test_sokoban_two_box_level_has_one_subgoal_per_box():
    env = SokobanEnv()
    env.reset(options={"layout": TWO_BOXES})
    assert env.expert_plan() == [
        ("push the box at row 2, column 3 onto the target at row 2, column 5", ["right", "right"]),
        ("push the box at row 3, column 4 onto the target at row 3, column 5", ["left", "down", "right"]),
    ]
    env.reset(options={"layout": ONE_ON_TARGET})
    plan = env.expert_plan()
    assert [text for text, _ in plan] == ["push the box at row 3, column 3 onto the target at row 4, column 6"]
    assert play(env, flatten(plan))["won"]


@pytest.mark.parametrize("seed", range(6))
def test_sokoban_generated_two_box_rooms(seed):
    env, fresh = (SokobanEnv(dim_room=(7, 7), num_boxes=2, max_steps=100) for _ in range(2))
    env.reset(seed=seed)
    plan = env.expert_plan()
    check_texts(plan)
    assert len(plan) == env.room.num_boxes - env.room.boxes_on_target()
    assert all(text.startswith("push the box at row ") for text, _ in plan)
    fresh.reset(seed=seed)
    for text, actions in plan:  # each subgoal ends with one more box on a target
        before = fresh.room.boxes_on_target()
        info = {}
        for action in actions:
            _, _, _, _, info = fresh.step(action)
        assert fresh.room.boxes_on_target() == before + 1, text
    assert info["won"]
    assert play_expert(env)[0] == flatten(plan)


def test_sokoban_one_box_room_is_one_subgoal_and_solved_room_none():
    env = SokobanEnv()
    env.reset(seed=3)
    plan = env.expert_plan()
    assert len(plan) == 1 and flatten(plan) == play_expert(env)[0]
    assert env.expert_plan() == []

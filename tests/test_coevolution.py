"""HiMAC's co-evolution, without Ray: the phase schedule, what each phase samples and how,
the best-blueprint memory, routing samples to the policy that trains them, the expert's blueprint."""

import pytest

from himac.agent.episode import Turn
from himac.config import load_config
from himac.records import EpisodeRecord
from himac.samples import TrainSample, route
from himac.tasks import Task
from himac.trainer import Phase, episode_specs, level_samples, phase_of, remember_best
from himac.warm_start import expert_blueprint


def cfg(*overrides):
    return load_config("configs/debug/sokoban_himac.yaml", ["rollout.temperature=0.8", "rollout.top_p=0.9",
                                                            "algorithm.group_size=3", "trainer.seed=0", *overrides])


def test_phases_alternate_a_then_b_as_configured():
    c = cfg("coevolution.phase_a_iters=1", "coevolution.phase_b_iters=2")
    assert [phase_of(c, i).value for i in range(7)] == ["A", "B", "B", "A", "B", "B", "A"]
    c = cfg("coevolution.phase_a_iters=2", "coevolution.phase_b_iters=1")
    assert [phase_of(c, i).value for i in range(6)] == ["A", "A", "B", "A", "A", "B"]


def test_the_ablations_and_the_flat_agent_have_their_own_phase():
    assert {phase_of(cfg("coevolution.hierarchical=false"), i) for i in range(4)} == {Phase.FLAT}
    assert {phase_of(cfg("coevolution.coevolve=false"), i) for i in range(4)} == {Phase.JOINT}
    assert {phase_of(cfg("coevolution.random_blueprint=true"), i) for i in range(4)} == {Phase.B}
    assert Phase.A.levels == ("planner",) and Phase.B.levels == ("executor",)
    assert Phase.JOINT.levels == ("planner", "executor") and Phase.FLAT.levels == ("executor",)


TASKS = [Task("train:1", 1), Task("train:2", 2)]


def test_phase_a_samples_blueprints_and_scores_each_with_the_greedy_executor():
    specs = episode_specs(cfg(), Phase.A, TASKS, 0, {})
    assert len(specs) == 6 and [s.task.task_id for s in specs] == ["train:1"] * 3 + ["train:2"] * 3
    assert all(s.blueprint is None for s in specs)  # the planner writes one
    assert all(s.planner.temperature == 0.8 and s.planner.top_p == 0.9 for s in specs)
    assert all(s.executor.temperature == 0.0 for s in specs)  # planner_scoring: greedy
    assert len({s.seed for s in specs}) == 6
    sampled = episode_specs(cfg("coevolution.planner_scoring=sample"), Phase.A, TASKS, 0, {})
    assert all(s.executor.temperature == 0.8 for s in sampled)


def test_phase_b_fixes_the_remembered_best_blueprint_else_the_greedy_planner_writes_one():
    best = {"train:1": (["push the box", "reach"], 3.0)}
    specs = episode_specs(cfg(), Phase.B, TASKS, 1, best)
    assert [s.blueprint for s in specs[:3]] == [["push the box", "reach"]] * 3
    assert all(s.executor.temperature == 0.8 for s in specs)  # sampled executions
    assert [s.blueprint for s in specs[3:]] == [None] * 3 and all(s.planner.temperature == 0.0 for s in specs[3:])


def test_random_blueprint_samples_blueprints_at_temperature_one_and_flat_has_none():
    specs = episode_specs(cfg("coevolution.random_blueprint=true"), Phase.B, TASKS, 1, {"train:1": (["x"], 1.0)})
    assert all(s.blueprint is None and s.planner.temperature == 1.0 for s in specs)  # never the remembered one
    flat = episode_specs(cfg("coevolution.hierarchical=false"), Phase.FLAT, TASKS, 1, {})
    assert all(s.blueprint == [] and s.planner is None and s.executor.temperature == 0.8 for s in flat)
    joint = episode_specs(cfg("coevolution.coevolve=false"), Phase.JOINT, TASKS, 1, {})
    assert all(s.blueprint is None and s.planner.temperature == s.executor.temperature == 0.8 for s in joint)


def test_sampling_seeds_differ_across_iterations_and_repeat_within_one():
    c = cfg()
    assert [s.seed for s in episode_specs(c, Phase.A, TASKS, 4, {})] == [s.seed for s in episode_specs(c, Phase.A, TASKS, 4, {})]
    assert not {s.seed for s in episode_specs(c, Phase.A, TASKS, 4, {})} & {s.seed for s in episode_specs(c, Phase.A, TASKS, 5, {})}


def record(task, blueprint, ret, aborted=False):
    return EpisodeRecord(task, "all", blueprint, Turn([1], [2]), [Turn([1], [3], reward=ret)], episode_return=ret,
                         aborted=aborted)


def test_the_best_blueprint_memory_keeps_the_highest_return_per_task_across_iterations():
    best = {}
    remember_best(best, [record("t", ["a"], 1.0), record("t", ["b"], 2.0), record("t", ["c"], 2.0),
                         record("u", ["d"], 9.0, aborted=True)])
    assert best == {"t": (["b"], 2.0)}  # the first of equals; aborted episodes never count
    remember_best(best, [record("t", ["e"], 1.5), record("u", ["f"], -1.0)])
    assert best == {"t": (["b"], 2.0), "u": (["f"], -1.0)}


def test_each_phase_builds_samples_for_its_learning_levels_only():
    records = [record("t", ["a"], 0.0), record("t", ["b"], 1.0)]
    a = level_samples(cfg("algorithm.planner_adv_estimator=grpo"), Phase.A, records)
    assert set(a) == {"planner"} and [s.response_ids for s in a["planner"]] == [[2], [2]]
    assert [s.advantage for s in a["planner"]] == pytest.approx([-0.7071, 0.7071], abs=1e-3)  # GRPO over 2 blueprints
    b = level_samples(cfg(), Phase.B, records)
    assert set(b) == {"executor"} and all(s.level == "executor" for s in b["executor"])
    assert set(level_samples(cfg(), Phase.JOINT, records)) == {"planner", "executor"}


def test_samples_go_to_the_model_that_serves_their_level():
    p, e = TrainSample([1], [2], 1.0, "planner"), TrainSample([1], [3], 1.0, "executor")
    shared = route({"planner": [p], "executor": [e]}, {"planner": "executor", "executor": "executor"})
    assert shared == {"executor": [p, e]}  # one model learns both levels
    separate = route({"planner": [p], "executor": [e]}, {"planner": "planner", "executor": "executor"})
    assert separate == {"planner": [p], "executor": [e]}
    assert route({"planner": [], "executor": [e]}, {"planner": "planner", "executor": "executor"}) == {"executor": [e]}


def test_the_expert_blueprint_merges_the_tail_into_the_last_allowed_subgoal():
    plan = [("a", ["1"]), ("b", ["2", "3"]), ("c", ["4"]), ("d", ["5"])]
    assert expert_blueprint(plan, 4) == plan
    assert expert_blueprint(plan, 2) == [("a", ["1"]), ("b", ["2", "3", "4", "5"])]
    assert expert_blueprint(plan, 1) == [("a", ["1", "2", "3", "4", "5"])]

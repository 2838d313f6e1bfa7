"""Task draws of the driver: training, warm start and held-out tasks (pure logic)."""

from himac.driver import TaskSampler


def test_warm_start_tasks_cycle_over_the_first_n_training_tasks():
    sampler = TaskSampler("webshop", seed=0, train_split="train", eval_split="test")
    waves = [sampler.warm_start(wave, 3, first=4) for wave in range(3)]
    assert [[t["options"]["task_index"] for t in w] for w in waves] == [[0, 1, 2], [3, 0, 1], [2, 3, 0]]
    assert all(t["split_kwargs"] == {"split": "train"} for w in waves for t in w)
    # first=0: random training tasks, the draws of iterations -1, -2, ... (disjoint from RL's 0, 1, ...)
    assert sampler.warm_start(1, 3, first=0) == sampler.train(-2, 3)
    assert all(t["options"] is None for t in sampler.warm_start(0, 3, first=0))


def test_held_out_tasks_are_the_eval_split_in_order():
    sampler = TaskSampler("alfworld", seed=0, train_split="train", eval_split="valid_seen")
    tasks = sampler.held_out(3)
    assert [t["options"]["task_index"] for t in tasks] == [0, 1, 2]
    assert tasks[0]["split_kwargs"] == {"split": "valid_seen"} and len({t["seed"] for t in tasks}) == 3

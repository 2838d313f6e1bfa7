"""Task draws: training, warm start and held-out tasks (pure logic)."""

from himac.tasks import EVAL_SEED_OFFSET, Task, TaskSampler


def test_training_draws_depend_only_on_seed_and_iteration():
    a, b = TaskSampler(0, "train", "test"), TaskSampler(0, "train", "test")
    assert a.train(3, 4) == b.train(3, 4) and a.train(3, 4) != a.train(4, 4)
    assert all(t.split == "train" and t.seed < EVAL_SEED_OFFSET and t.task_id == f"train:{t.seed}" for t in a.train(3, 4))
    assert TaskSampler(1, "train", "test").train(3, 4) != a.train(3, 4)


def test_warm_start_tasks_come_in_waves_and_cycle_over_the_first_n_training_tasks():
    sampler = TaskSampler(0, "train", "test")
    waves = sampler.warm_start(7, first=4, wave=3)
    assert [[t.options["task_index"] for t in w] for w in waves] == [[0, 1, 2], [3, 0, 1], [2]]
    assert all(t.split == "train" and t.env_kwargs() == {"split": "train"} for w in waves for t in w)
    # first=0: random training tasks, wave w the draw of iteration -1-w (disjoint from RL's 0, 1, ...)
    assert sampler.warm_start(5, first=0, wave=3) == [sampler.train(-1, 3), sampler.train(-2, 3)[:2]]
    assert all(t.options is None for w in sampler.warm_start(3, first=0, wave=3) for t in w)


def test_held_out_tasks_are_the_eval_split_in_order():
    tasks = TaskSampler(0, "train", "valid_seen").held_out(3)
    assert [t.options["task_index"] for t in tasks] == [0, 1, 2]
    assert tasks[0].split == "valid_seen" and len({t.seed for t in tasks}) == 3


def test_an_env_without_splits_gets_no_split_argument():
    task = TaskSampler(0, None, None).held_out(1)[0]
    assert task == Task("eval:0", EVAL_SEED_OFFSET, {"task_index": 0}, None) and task.env_kwargs() == {}


def test_a_pool_draws_every_training_task_from_its_seeds_distinct_while_it_can():
    sampler = TaskSampler(0, None, None, pool=8)
    for it in range(5):
        seeds = [t.seed for t in sampler.train(it, 8)]
        assert sorted(seeds) == list(range(8))  # all 8, each once
    assert {t.seed for t in sampler.train(0, 20)} <= set(range(8))
    assert TaskSampler(0, None, None, pool=8).train(3, 5) == sampler.train(3, 5)
    assert max(t.seed for t in TaskSampler(0, None, None).train(0, 8)) >= 8  # no pool: the whole seed range

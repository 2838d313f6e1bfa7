"""Policy on scripted Ray actors: the order of sleep, update, wake and sync in colocated GPU mode,
the parity probe's verdict, and weight versions. Tiny actors, a real local Ray."""

import math

import pytest
import torch

from himac.policy import Models, Policy
from himac.protocol import Batch

pytestmark = pytest.mark.integration


def scripted(ray):
    @ray.remote(num_cpus=0)
    class Log:
        def __init__(self):
            self.calls = []

        def add(self, call):
            self.calls.append(call)

        def get(self):
            return self.calls

    @ray.remote(num_cpus=0)
    class Engine:
        def __init__(self, log):
            self.log, self.version = log, 0

        def sleep(self):
            ray.get(self.log.add.remote("engine.sleep"))

        def wake_up(self, tags):
            ray.get(self.log.add.remote(f"engine.wake_up({','.join(tags)})"))

        def set_weights_version(self, v):
            self.version = v

        def get_version(self):
            return self.version

    @ray.remote(num_cpus=0)
    class Learner:
        def __init__(self, log):
            self.log = log

        def update(self, batch):
            ray.get(self.log.add.remote(f"learner.update({len(batch)})"))
            return {"actor/loss": 1.0, "actor/ratio_max": 2.0}

        def sft(self, batch, steps, batch_size, lr):
            ray.get(self.log.add.remote(f"learner.sft({len(batch)}, steps={steps}, batch_size={batch_size}, lr={lr})"))
            return 0.5

    class Sync:
        def __init__(self, log, diff):
            self.log, self.diff = log, diff

        def sync(self):
            ray.get(self.log.add.remote("sync"))
            return 1

        def probe(self, prompt_ids, response_ids):
            ray.get(self.log.add.remote("probe"))
            return self.diff

    return Log, Engine, Learner, Sync


def make_policy(ray, sleep, diff=0.0):
    Log, Engine, Learner, Sync = scripted(ray)
    log = Log.remote()
    engine = Engine.remote(log)
    policy = Policy("executor", [Learner.remote(log)], [engine], Sync(log, diff), probe=([1], [2]),
                    parity_threshold=1e-3, sleep_engines=sleep)
    return policy, log, engine


BATCH = Batch({"input_ids": torch.zeros(3, 4, dtype=torch.long), "loss_mask": torch.ones(3, 4, dtype=torch.long)},
              per_position={"input_ids", "loss_mask"})


def test_colocated_engines_sleep_while_the_learner_trains_and_wake_weights_first(ray_cluster):
    ray = ray_cluster
    policy, log, engine = make_policy(ray, sleep=True)
    assert policy.update(BATCH)["actor/ratio_max"] == 2.0
    assert policy.sync() == 0.0
    assert ray.get(log.get.remote(), timeout=60) == [
        "engine.sleep", "learner.update(3)",  # the GPU is the learner's while it trains
        "engine.wake_up(weights)", "sync",  # weights back in GPU memory before they are overwritten
        "engine.wake_up(kv_cache)", "probe"]  # the KV cache before any generation (the probe's included)
    assert policy.weights_version == 1 and ray.get(engine.get_version.remote(), timeout=60) == 1


def test_without_sleep_mode_the_engines_are_never_told_to_sleep(ray_cluster):
    ray = ray_cluster
    policy, log, _ = make_policy(ray, sleep=False)
    policy.update(BATCH)
    policy.sync()
    assert ray.get(log.get.remote(), timeout=60) == ["learner.update(3)", "sync", "probe"]


@pytest.mark.parametrize("diff", [0.5, math.nan, math.inf])
def test_a_sync_that_fails_the_parity_probe_is_refused(ray_cluster, diff):
    policy, _, engine = make_policy(ray_cluster, sleep=False, diff=diff)
    with pytest.raises(RuntimeError, match="parity probe failed for the executor"):
        policy.sync()
    assert policy.weights_version == 0 and ray_cluster.get(engine.get_version.remote(), timeout=60) == 0


def test_models_hold_each_policy_once_and_say_which_serves_a_level(ray_cluster):
    shared, _, _ = make_policy(ray_cluster, sleep=False)
    models = Models({"executor": shared}, {"planner": "executor", "executor": "executor"})
    assert models.of(("planner",)) == [shared] and models.of({"planner", "executor"}) == [shared]
    planner, _, _ = make_policy(ray_cluster, sleep=False)
    separate = Models({"executor": shared, "planner": planner}, {"planner": "planner", "executor": "executor"})
    assert separate.of(("planner",)) == [planner] and separate.all() == [shared, planner]


def test_behaviour_cloning_gets_its_steps_batch_size_and_learning_rate(ray_cluster):
    ray = ray_cluster
    policy, log, _ = make_policy(ray, sleep=False)
    assert policy.sft(BATCH, 7, 3e-4, batch_size=16) == 0.5
    assert ray.get(log.get.remote(), timeout=60) == ["learner.sft(3, steps=7, batch_size=16, lr=0.0003)"]

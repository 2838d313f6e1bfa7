"""The ALFWorld and WebShop debug configs, shortened, on the real stack (Ray, vLLM, DeepSpeed):
a warm start on the experts' decompositions, then phase A, phase B and an evaluation. No
episode may abort, every blueprint must parse (a 4-step warm start teaches no more than the
format) and subgoal completion is reported."""

import json

import pytest

from himac.config import load_config

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SHORT = [
    "trainer.warm_start_steps=4", "trainer.warm_start_episodes=8", "trainer.iterations=2",
    "trainer.batch_tasks=2", "algorithm.group_size=2", "trainer.eval_every=0", "trainer.eval_at_start=false",
    "trainer.eval_tasks=4", "trainer.time_limit_min=0", "trainer.checkpoint_every_min=0",
    "trainer.progress_bar=false", "env.envs_per_worker=4", "learner.micro_batch_size=8",
    "coevolution.phase_a_iters=1", "coevolution.phase_b_iters=1",
]
EXTRA = {
    "alfworld": ["env.kwargs.data_dir=envs/alfworld/data", "env.max_steps=8"],  # the shipped games
    "webshop": ["env.max_steps=8"],
}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("env", ["alfworld", "webshop"])
def test_debug_config_trains_without_aborts(env, ray_cluster, tiny_model, tmp_path):
    from himac.trainer import Trainer

    cfg = load_config(f"configs/debug/{env}.yaml",
                      [f"model.path={tiny_model}", f"trainer.output_dir={tmp_path}", *SHORT, *EXTRA[env]])
    Trainer(cfg).train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    warm = next(r for r in rows if "warm_start/samples" in r)
    assert warm["warm_start/samples"] > 8  # a planner sample and several executor samples per expert episode
    its = [r for r in rows if "timing/iteration" in r]
    assert [r["phase"] for r in its] == ["A", "B"]
    for r in its:
        assert r["train/aborted"] == 0 and r["train/episodes"] == 4, r
        assert r["train/blueprint_len"] >= 1 and 0 <= r["train/subgoal_completion"] <= 1, r
        assert r["actor/skipped_steps"] == 0 and r["sync/logprob_max_abs_diff"] <= 1e-3, r
    assert its[-1]["eval/episodes"] == 4 and its[-1]["eval/aborted"] == 0
    assert "eval/subgoal_completion" in its[-1]

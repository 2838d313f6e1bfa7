"""Integration tests on a real local Ray: rollout (hf + vLLM), env workers, DeepSpeed learners,
weight sync parity, every training mode, fault handling and placement layouts."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from himac.config import load_config

pytestmark = pytest.mark.integration

SMALL = [
    "trainer.iterations=2", "trainer.batch_tasks=2", "algorithm.group_size=2", "trainer.eval_tasks=4",
    "trainer.eval_every=1", "rollout.planner_max_tokens=6", "rollout.executor_max_tokens=4",
    "rollout.restrict_to_admissible=true", "learner.micro_batch_size=16", "trainer.progress_bar=false",
    "trainer.warm_start_steps=0", "coevolution.hierarchical=true", "algorithm.kl_coef=0.01",
    "coevolution.phase_b_iters=1",
]


def run(tmp_path: Path, model: str, *overrides: str) -> list[dict]:
    from himac.trainer import Trainer

    cfg = load_config("configs/debug/sokoban.yaml",
                      [f"model.path={model}", f"trainer.output_dir={tmp_path}", *SMALL, *overrides])
    Trainer(cfg).train()
    return [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]


def iteration_rows(rows: list[dict]) -> list[dict]:
    return [r for r in rows if "timing/iteration" in r]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("overrides", [
    # HiMAC, one shared model, PPO on both levels (phase A then phase B), after a short BC warm start
    ["rollout.backend=hf", "trainer.warm_start_steps=2", "trainer.warm_start_episodes=4", "trainer.log_train_episodes=3"],
    # HiMAC with separate planner / executor models, DGPO on both levels, KL on
    ["rollout.backend=hf", "model.shared=false", "algorithm.planner_loss=dgpo", "algorithm.executor_loss=dgpo",
     "algorithm.kl_coef=0.01", "resources.rollout_cpus=0.3", "resources.learner_cpus=0.3", "resources.env_cpus=0.2"],
    # flat agent with GiGPO + DGPO
    ["rollout.backend=hf", "coevolution.hierarchical=false", "algorithm.adv_estimator=gigpo",
     "algorithm.executor_loss=dgpo"],
    # no co-evolution, no <sub_done>, RLOO
    ["rollout.backend=hf", "coevolution.coevolve=false", "coevolution.use_sub_done=false",
     "algorithm.adv_estimator=rloo"],
], ids=["himac-shared-ppo", "himac-separate-dgpo", "flat-gigpo-dgpo", "nocoevolve-rloo"])
def test_training_modes(ray_cluster, tiny_model, tmp_path, overrides):
    all_rows = run(tmp_path, tiny_model, *overrides)
    rows = iteration_rows(all_rows)
    warm = [r for r in all_rows if r.get("phase") == "warm_start"]
    if "trainer.warm_start_steps=2" in overrides:
        assert len(warm) == 1 and warm[0]["warm_start/samples"] > 0 and warm[0]["sync/logprob_max_abs_diff"] < 1e-3
        exported = tmp_path / "warm_start" / "hf_executor"  # the warm-started model, reusable as model.path
        assert (exported / "config.json").exists() and (exported / "tokenizer.json").exists()
    else:
        assert not warm
    assert len(rows) == 2
    for r in rows:
        assert r["sync/logprob_max_abs_diff"] < 1e-3
        assert r["train/episodes"] == 4 and r["eval/episodes"] == 4
        assert "actor/approx_kl" in r and all(k in r for k in ("timing/generate_env", "timing/learn", "timing/sync"))
    phases = [r["phase"] for r in rows]
    if "coevolution.hierarchical=false" in overrides:
        assert phases == ["flat", "flat"]
        assert rows[0]["executor/samples"] > 0
    elif "coevolution.coevolve=false" in overrides:
        assert phases == ["AB", "AB"] and rows[0]["planner/samples"] == 4
    else:
        assert phases == ["A", "B"]
        assert rows[0]["planner/samples"] == 4 and rows[1]["executor/samples"] >= 4
    if "algorithm.executor_loss=dgpo" in overrides and phases[-1] != "A":
        assert "dgpo/hellinger_mean" in rows[-1]
    ckpts = list((tmp_path / "checkpoints").iterdir())
    assert ckpts and (ckpts[0] / "COMPLETE").exists()
    train_dumps = tmp_path / "episodes" / "train"
    if "trainer.log_train_episodes=3" in overrides:  # the first 3 training episodes of each iteration, by phase
        dumps = sorted(p.name for p in train_dumps.glob("*.jsonl"))
        assert dumps == ["iter_000000_A.jsonl", "iter_000001_B.jsonl"]
        assert all(len((train_dumps / d).read_text().splitlines()) == 3 for d in dumps)
    else:
        assert not train_dumps.exists()


@pytest.mark.timeout(900)
@pytest.mark.parametrize("tied", [False, True], ids=["untied", "tied-lm-head"])
def test_vllm_rollout_and_weight_sync_parity(ray_cluster, tiny_model, tiny_model_tied, tmp_path, tied):
    """Real vLLM engine: after each learner update the weights reach vLLM exactly (parity probe),
    including the tied lm_head whose packed CPU GEMM must be refreshed."""
    model = tiny_model_tied if tied else tiny_model
    rows = iteration_rows(run(tmp_path, model, "rollout.backend=vllm", "coevolution.hierarchical=false",
                              "learner.lr=0.05"))
    assert all(r["sync/logprob_max_abs_diff"] < 1e-3 for r in rows)
    assert all(r["actor/grad_norm"] > 0 for r in rows)


@pytest.mark.timeout(600)
def test_rollout_backends_agree_and_generate(ray_cluster, tiny_model):
    """hf and vLLM give the same log-probs for the same tokens; greedy generations match."""
    import ray

    from actors.engines import RolloutWorker
    from himac.protocol import GenRequest

    hf = ray.remote(RolloutWorker).options(num_cpus=0.5).remote(tiny_model, "hf", dtype="float32")
    vl = ray.remote(RolloutWorker).options(num_cpus=0.5).remote(tiny_model, "vllm", dtype="float32",
                                                                gpu_memory_utilization=0.05, max_model_len=512)
    try:
        prompt, response = list(range(5, 40)), list(range(40, 50))
        a, b = ray.get([hf.score.remote(prompt, response), vl.score.remote(prompt, response)], timeout=300)
        assert max(abs(x - y) for x, y in zip(a, b)) < 1e-3
        req = [GenRequest(prompt, 6, temperature=0.0)]
        ga, gb = ray.get([hf.generate.remote(req), vl.generate.remote(req)], timeout=300)
        assert ga[0].token_ids == gb[0].token_ids
        assert max(abs(x - y) for x, y in zip(ga[0].logprobs, gb[0].logprobs)) < 1e-3
        # allowed_token_ids restricts sampling on both backends
        req = [GenRequest(prompt, 1, temperature=1.0, allowed_token_ids=[7, 9], seed=s) for s in range(8)]
        for out in ray.get([hf.generate.remote(req), vl.generate.remote(req)], timeout=300):
            assert all(o.token_ids[0] in (7, 9) for o in out)
        # seeded requests whose prompts exceed one engine step's token budget (vLLM on CPU
        # crashes when a seeded prefill is split across steps): sent in waves, order kept
        many = [GenRequest([5 + (i + k) % 900 for k in range(500)], 2, temperature=1.0, seed=i) for i in range(40)]
        out = ray.get(vl.generate.remote(many), timeout=300)
        assert len(out) == 40 and all(len(o.token_ids) == 2 for o in out)
        again = ray.get(vl.generate.remote(many[7:8]), timeout=300)
        assert again[0].token_ids == out[7].token_ids  # same seed, same tokens, whatever the batch
    finally:
        ray.kill(hf)
        ray.kill(vl)


def _runner(ray, tiny_model, fault: str, rollout_cls=None, **env_kwargs):
    from transformers import AutoTokenizer

    from actors.engines import RolloutWorker
    from actors.env_worker import EnvWorker, max_concurrency
    from himac.episodes import EpisodeRunner

    class PidEnvWorker(EnvWorker):
        def pid(self) -> int:
            return os.getpid()

    cfg = load_config("configs/debug/sokoban.yaml", ["rollout.restrict_to_admissible=true", "env.step_timeout_s=3",
                                                     "env.envs_per_worker=4"])
    rollout = ray.remote(rollout_cls or RolloutWorker).options(num_cpus=0.25).remote(tiny_model, "hf", dtype="float32")
    env = ray.remote(PidEnvWorker).options(num_cpus=0.25, max_restarts=3, max_concurrency=max_concurrency(4)).remote(
        "himac/Faulty-v0", 4, {"fault": fault, "fault_seed": 1, "fault_step": 2, "max_steps": 5, **env_kwargs},
        step_timeout_s=3)
    tok = AutoTokenizer.from_pretrained(tiny_model)
    runner = EpisodeRunner(cfg, tok, {"executor": [rollout]}, {"planner": "executor", "executor": "executor"}, [env])
    return runner, [rollout, env]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("fault", ["crash", "hang", "raise"])
def test_env_fault_aborts_episode_and_run_continues(ray_cluster, tiny_model, fault):
    """A killed env worker (crash), a hung env (timeout) or a raising env aborts exactly the
    affected episodes; they are returned and counted, and the next rollout works."""
    from himac.episodes import EpisodeSpec, Sampling
    from himac.records import episode_metrics
    from himac.tasks import Task

    runner, actors = _runner(ray_cluster, tiny_model, fault)
    try:
        specs = [EpisodeSpec(Task(f"t{s}", s), [], Sampling(1.0), seed=s) for s in range(4)]
        records = runner.run(specs).records
        assert len(records) == 4
        aborted = [r.task_id for r in records if r.aborted]
        if fault == "crash":  # the whole worker died: every episode it hosted is aborted
            assert aborted == ["t0", "t1", "t2", "t3"]
        else:
            assert aborted == ["t1"]
        assert episode_metrics(records, "train")["train/aborted"] == len(aborted)
        again = runner.run([s for s in specs if s.task.seed != 1]).records  # the worker / env was restarted
        assert len(again) == 3 and not any(r.aborted for r in again)
    finally:
        for a in actors:
            ray_cluster.kill(a)


@pytest.mark.timeout(600)
def test_episodes_do_not_wait_for_a_slow_env(ray_cluster, tiny_model):
    """Asynchronous stepping: while one env takes 2 s per step, the other episodes hosted by the
    same env worker keep taking turns (their generations go out before the slow step is back)."""
    from actors.engines import RolloutWorker
    from himac.episodes import EpisodeSpec, Sampling
    from himac.tasks import Task

    class RecordingRolloutWorker(RolloutWorker):
        """Records when each generate call arrived and which requests (by seed) it carried."""

        calls: list = []

        def generate(self, requests):
            self.calls.append((time.monotonic(), [r.seed for r in requests]))
            return super().generate(requests)

        def log(self):
            return self.calls

    runner, actors = _runner(ray_cluster, tiny_model, "slow", rollout_cls=RecordingRolloutWorker, delay_s=2.0,
                             fault_step=1, min_pulls=2)  # every step of seed 1 is slow; no room is won in one step
    try:
        specs = [EpisodeSpec(Task(f"t{s}", s), [], Sampling(1.0), seed=s) for s in range(4)]
        records = runner.run(specs).records
        assert not any(r.aborted for r in records) and all(r.steps >= 2 for r in records)
        calls = ray_cluster.get(actors[0].log.remote(), timeout=60)
        # the slow episode's (seed 1) second turn (request seed 1001) waits for its 2-second first step
        slow_back = next(t for t, seeds in calls if 1001 in seeds)
        others_later_turns = [s for t, seeds in calls if t < slow_back for s in seeds if s // 1000 != 1 and s % 1000 >= 1]
        assert others_later_turns, calls  # fast episodes went on while the slow step ran
    finally:
        for a in actors:
            ray_cluster.kill(a)


def test_placement_layouts_with_fake_gpus(ray_cluster):
    """GPU layouts checked on a CPU machine: Ray pretends to have 8 GPUs."""
    from ray.util.placement_group import placement_group_table, remove_placement_group

    from actors.placement import bundles_for, create_placement_groups, role_specs

    cfg = load_config("configs/alfworld.yaml", [
        "resources.gpus_per_node=8", "resources.colocate=false", "rollout.sleep_when_idle=false",
        "resources.rollout_gpus=1", "resources.learner_gpus=1", "rollout.num_workers=2",
        "rollout.tensor_parallel_size=2", "learner.num_workers=4", "env.num_workers=2",
        "resources.rollout_cpus=0.1", "resources.learner_cpus=0.1", "resources.env_cpus=0.1"])
    specs = role_specs(cfg)
    bundles = bundles_for(specs, colocate=False)
    assert bundles["rollout"] == [{"CPU": 0.1, "GPU": 2.0}] * 2  # one TP=2 engine per bundle
    assert bundles["learner"] == [{"CPU": 0.1, "GPU": 1.0}] * 4
    assert bundles["env"] == [{"CPU": 0.1}] * 2
    pgs = create_placement_groups(cfg, timeout_s=60)
    try:
        table = {pg.id.hex(): placement_group_table(pg) for pg in pgs.values()}
        assert all(t["state"] == "CREATED" for t in table.values())
        gpus = sum(b.get("GPU", 0) for t in table.values() for b in t["bundles"].values())
        assert gpus == 8
    finally:
        for pg in pgs.values():
            remove_placement_group(pg)

    colocated = load_config("configs/alfworld.yaml", ["resources.gpus_per_node=8", "rollout.num_workers=8",
                                                     "learner.num_workers=8"])
    b = bundles_for(role_specs(colocated), colocate=True)
    assert "rollout" not in b and len(b["colocated"]) == 8 and all(x["GPU"] == 1.0 for x in b["colocated"])

    too_big = load_config("configs/alfworld.yaml", ["resources.gpus_per_node=8", "resources.colocate=false",
                                                    "rollout.sleep_when_idle=false", "learner.num_workers=16", "resources.learner_cpus=0.01",
                                                    "resources.rollout_cpus=0.01", "resources.env_cpus=0.01"])
    start = time.time()
    with pytest.raises(RuntimeError, match="not satisfiable"):
        create_placement_groups(too_big, timeout_s=3)
    assert time.time() - start < 60


@pytest.mark.timeout(600)
def test_a_stopped_env_worker_is_detected_killed_and_replaced(ray_cluster, tiny_model):
    """A process-wide hang (SIGSTOP, as C code holding the GIL would do) fires no env timeout
    inside the worker; the env client notices the silence, kills the worker (Ray restarts it),
    aborts its episodes, and the next rollout works."""
    import os
    import signal

    from himac.episodes import EpisodeSpec, Sampling
    from himac.tasks import Task

    runner, actors = _runner(ray_cluster, tiny_model, "raise", fault_seed=-1)
    runner.cfg.env.reset_timeout_s = 1.0
    pid = ray_cluster.get(actors[1].pid.remote(), timeout=60)
    specs = [EpisodeSpec(Task(f"t{s}", s), [], Sampling(1.0), seed=s) for s in range(4)]
    try:
        os.kill(pid, signal.SIGSTOP)
        start = time.monotonic()
        records = runner.run(specs).records
        assert time.monotonic() - start < 60
        assert all(r.aborted and "silent" in r.abort_reason for r in records)
        again = runner.run(specs).records
        assert not any(r.aborted for r in again)
    finally:
        for a in actors:
            ray_cluster.kill(a)


@pytest.mark.timeout(900)
def test_a_killed_rollout_worker_is_restarted_resynced_and_the_iteration_completes(ray_cluster, tiny_model, tmp_path):
    """The engine dies between iterations: Ray restarts it with the weights on disk, its first
    generation reports a stale weights version, the driver gives it the current weights (parity
    probe) and runs the rollout again; training goes on."""
    from himac.trainer import Trainer

    cfg = load_config("configs/debug/sokoban.yaml", [f"model.path={tiny_model}", f"trainer.output_dir={tmp_path}",
                                                     *SMALL, "rollout.backend=hf", "coevolution.hierarchical=false"])
    from himac.launch import launch

    trainer = Trainer(cfg)
    trainer.cluster = launch(cfg)
    try:
        first = trainer.iteration(0)
        ray_cluster.kill(trainer.cluster.models.policies["executor"].engines[0], no_restart=False)  # back with disk weights
        second = trainer.iteration(1)
        assert first["rollout/engine_restarts"] == 0 and second["rollout/engine_restarts"] == 1
        assert second["train/aborted"] == 0 and second["sync/logprob_max_abs_diff"] < 1e-3
    finally:
        trainer.cluster.shutdown()

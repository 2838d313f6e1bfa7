"""Process and disk faults around training: a learner killed mid-run is recovered inside the job (or,
past trainer.max_recoveries, the run stops clearly and resumes), SIGTERM (a preempted pod) and a disk
that fills during a checkpoint end in a resumable checkpoint and a clear stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from himac.checkpoint import complete_checkpoints, verify_files
from himac.config import load_config

pytestmark = pytest.mark.integration

BASE = [
    "rollout.backend=hf", "trainer.batch_tasks=2", "algorithm.group_size=2", "trainer.eval_tasks=4",
    "trainer.eval_every=0", "trainer.eval_at_start=false", "rollout.restrict_to_admissible=true",
    "learner.micro_batch_size=16", "trainer.progress_bar=false", "trainer.warm_start_steps=0",
    "coevolution.hierarchical=false", "trainer.checkpoint_every=1", "trainer.keep_checkpoints=0",
]


def trainer_for(model: str, out: Path, *overrides: str):
    from himac.trainer import Trainer

    return Trainer(load_config("configs/debug/sokoban.yaml",
                               [f"model.path={model}", f"trainer.output_dir={out}", *BASE, *overrides]))


def iteration_rows(out: Path) -> list[int]:
    rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    return [r["iteration"] for r in rows if "timing/iteration" in r]


def dying_updates(monkeypatch, kill, at: set[int]) -> list:
    """Policy.update, with the learner process killed (Ray kills its worker, as an OOM kill or a lost node
    would) as the update calls numbered in `at` (1-based) go out."""
    from himac.policy import Policy

    update, calls = Policy.update, []

    def dying_update(self, *args, **kwargs):
        calls.append(1)
        if len(calls) in at:
            kill(self.learners[0], no_restart=True)
        return update(self, *args, **kwargs)

    monkeypatch.setattr(Policy, "update", dying_update)
    return calls


@pytest.mark.timeout(900)
def test_a_learner_killed_mid_update_is_rebuilt_from_the_last_checkpoint_and_the_run_finishes(
        ray_cluster, tiny_model, tmp_path, monkeypatch):
    """verl and OpenRLHF stop when a rank dies; here the learner group is rebuilt, the last checkpoint
    reloaded and the iterations since it redone, inside the job."""
    dying_updates(monkeypatch, ray_cluster.kill, at={2})  # iteration 1's update
    summary = trainer_for(tiny_model, tmp_path, "trainer.iterations=3").train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    its = [r for r in rows if "timing/iteration" in r]
    assert [r["iteration"] for r in its] == [0, 1, 2] and summary["iterations"] == 3  # iteration 1 redone once
    assert [r["train/recoveries"] for r in its] == [0, 1, 1]
    assert all(r["sync/logprob_max_abs_diff"] <= 1e-3 and r["train/aborted"] == 0 for r in its)
    # the first checkpoint came before the first update; the recovery reloaded iter_000000
    assert [c.name for c in complete_checkpoints(tmp_path)] == ["iter_-00001", "iter_000000", "iter_000001",
                                                                "iter_000002"]


@pytest.mark.timeout(900)
def test_a_learner_lost_more_often_than_the_bound_stops_clearly_and_the_run_resumes(
        ray_cluster, tiny_model, tmp_path, monkeypatch):
    from himac.stops import RunStopped, report_fault

    dying_updates(monkeypatch, ray_cluster.kill, at={2, 3})  # iteration 1, then its redo after the recovery
    with pytest.raises(RunStopped, match=r"iteration 1: an actor died .*trainer.max_recoveries=1 spent") as err:
        trainer_for(tiny_model, tmp_path, "trainer.iterations=3", "trainer.max_recoveries=1").train()
    assert err.value.checkpoint.name == "iter_000000"
    message = report_fault(err.value, tmp_path, ["train", "configs/debug/sokoban.yaml", "trainer.resume=off"],
                           err.value.checkpoint)
    assert "Traceback" not in message and "himac train configs/debug/sokoban.yaml trainer.resume=auto" in message
    assert "Traceback" in (tmp_path / "errors.log").read_text()
    monkeypatch.undo()
    summary = trainer_for(tiny_model, tmp_path, "trainer.iterations=3", "trainer.resume=auto").train()
    assert iteration_rows(tmp_path) == [0, 1, 2] and summary["iterations"] == 3


@pytest.mark.timeout(900)
def test_a_disk_that_fills_during_a_checkpoint_is_named_and_the_previous_one_stays(ray_cluster, tiny_model, tmp_path,
                                                                                   monkeypatch):
    from himac.trainer import Trainer

    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("needs to mount a tmpfs (root)")
    save, saves = Trainer.save, []

    def save_onto_a_full_disk(self, it):
        saves.append(it)
        if len(saves) == 3:  # fill what is left after iteration 0's checkpoint, then save for real
            free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
            (mount / "filler").write_bytes(b"\0" * max(free - (64 << 10), 0))
        return save(self, it)

    monkeypatch.setattr(Trainer, "save", save_onto_a_full_disk)
    try:
        with pytest.raises(RuntimeError, match=r"no space left on device while writing checkpoint .*iter_000001.*"
                                               r"previous checkpoint .*iter_000000 is intact"):
            trainer_for(tiny_model, mount / "run", "trainer.iterations=3").train()
        assert [c.name for c in complete_checkpoints(mount / "run")] == ["iter_-00001", "iter_000000"]
        assert not (mount / "run/checkpoints/iter_000001").exists()
        verify_files(mount / "run/checkpoints/iter_000000")
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigterm_writes_a_checkpoint_and_exits_143(tiny_model, tmp_path):
    """A real `python -m himac.train` process (its own local Ray) gets SIGTERM mid-run."""
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "himac.train", "configs/debug/sokoban.yaml", f"model.path={tiny_model}",
           f"trainer.output_dir={out}", *BASE, "trainer.iterations=500", "trainer.checkpoint_every=0",
           "trainer.checkpoint_every_min=0"]
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    env.pop("RAY_ADDRESS", None)
    with open(tmp_path / "train.log", "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.time() + 400
            while not ((out / "metrics.jsonl").exists() and iteration_rows(out)):
                assert proc.poll() is None and time.time() < deadline, (tmp_path / "train.log").read_text()[-3000:]
                time.sleep(1)
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=180)
        finally:
            proc.kill()
    assert rc == 143, (tmp_path / "train.log").read_text()[-3000:]
    last = iteration_rows(out)[-1]
    assert complete_checkpoints(out)[-1].name == f"iter_{last:06d}"
    assert json.loads((out / "summary.json").read_text())["iterations"] == last + 1
    assert "SIGTERM: stopped after iteration" in (tmp_path / "train.log").read_text()


@pytest.mark.timeout(600)
def test_himac_train_exit_codes_and_one_message_without_traceback(ray_cluster, tiny_model, tmp_path, monkeypatch,
                                                                   capsys):
    from himac.cli import main
    from himac.trainer import Trainer

    args = ["train", "configs/debug/sokoban.yaml", f"model.path={tiny_model}", f"trainer.output_dir={tmp_path}",
            *BASE, "trainer.iterations=2"]
    assert main([*args, "trainer.resume=/no/such/dir"]) == 2
    err = capsys.readouterr().err
    assert "config error: trainer.resume: no checkpoint or run directory at /no/such/dir" in err
    assert "Traceback" not in err

    def broken(self, it):
        raise RuntimeError("the env server went away")

    monkeypatch.setattr(Trainer, "iteration", broken)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "himac: stopped: RuntimeError: the env server went away" in err
    assert "last checkpoint: " + str(tmp_path / "checkpoints" / "iter_-00001") in err  # written before the first update
    assert f"himac train configs/debug/sokoban.yaml model.path={tiny_model}" in err and "trainer.resume=auto" in err
    assert "RuntimeError: the env server went away" in (tmp_path / "errors.log").read_text()


def env_worker_killed_mid_rollout(monkeypatch, kill, iteration: int) -> None:
    """As `iteration`'s rollout starts, env worker 0 is killed for good (as when Ray's restart budget is spent)."""
    from himac.episodes import EpisodeRunner

    run, calls = EpisodeRunner.run, []

    def run_and_kill(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == iteration + 1:
            kill(self.env_workers[0], no_restart=True)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(EpisodeRunner, "run", run_and_kill)


@pytest.mark.timeout(900)
def test_an_env_worker_lost_for_good_is_recreated_and_the_run_finishes(ray_cluster, tiny_model, tmp_path,
                                                                        monkeypatch):
    env_worker_killed_mid_rollout(monkeypatch, ray_cluster.kill, iteration=1)
    summary = trainer_for(tiny_model, tmp_path, "trainer.iterations=3", "env.max_steps=12").train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    its = [r for r in rows if "timing/iteration" in r]
    assert [r["iteration"] for r in its] == [0, 1, 2] and summary["iterations"] == 3
    assert [r["rollout/worker_replacements"] for r in its] == [0, 1, 1]
    assert all(r["train/aborted"] == 0 for r in its)  # iteration 1's rollout was run again on the new worker


@pytest.mark.timeout(900)
def test_env_workers_lost_beyond_the_bound_stop_with_a_checkpoint_of_the_last_good_iteration(
        ray_cluster, tiny_model, tmp_path, monkeypatch):
    from himac.stops import RunStopped

    env_worker_killed_mid_rollout(monkeypatch, ray_cluster.kill, iteration=1)
    with pytest.raises(RunStopped, match=r"lost for good and trainer.max_worker_replacements=0 spent") as err:
        trainer_for(tiny_model, tmp_path, "trainer.iterations=3", "env.max_steps=12",
                    "trainer.max_worker_replacements=0", "trainer.checkpoint_every=0").train()
    assert err.value.checkpoint.name == "iter_000000"  # written on the way out: no work lost beyond one iteration
    assert iteration_rows(tmp_path) == [0]

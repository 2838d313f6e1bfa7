"""Process and disk faults around training end in a resumable checkpoint and a clear stop:
a learner killed mid-run, SIGTERM (a preempted pod), a disk that fills during a checkpoint."""

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


@pytest.mark.timeout(900)
def test_a_learner_killed_mid_update_stops_clearly_and_the_run_resumes(ray_cluster, tiny_model, tmp_path, monkeypatch):
    """We stop rather than rebuild the learner group in place (as verl and OpenRLHF do: a dead rank ends
    the job); the checkpoint of the last finished iteration makes `resume=auto` lose one iteration at most."""
    from himac.policy import Policy

    update, calls = Policy.update, []

    def dying_update(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second iteration's update: its learner dies as the call goes out
            ray_cluster.kill(self.learners[0], no_restart=True)
        return update(self, *args, **kwargs)

    monkeypatch.setattr(Policy, "update", dying_update)
    with pytest.raises(RuntimeError, match=r"(?s)iteration 1: an actor died.*trainer.resume=auto.*iter_000000"):
        trainer_for(tiny_model, tmp_path, "trainer.iterations=3").train()
    assert [c.name for c in complete_checkpoints(tmp_path)] == ["iter_000000"]
    monkeypatch.setattr(Policy, "update", update)
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
        if len(saves) == 2:  # fill what is left after the first checkpoint, then save for real
            free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
            (mount / "filler").write_bytes(b"\0" * max(free - (64 << 10), 0))
        return save(self, it)

    monkeypatch.setattr(Trainer, "save", save_onto_a_full_disk)
    try:
        with pytest.raises(RuntimeError, match=r"no space left on device while writing checkpoint .*iter_000001.*"
                                               r"previous checkpoint .*iter_000000 is intact"):
            trainer_for(tiny_model, mount / "run", "trainer.iterations=3").train()
        assert [c.name for c in complete_checkpoints(mount / "run")] == ["iter_000000"]
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
    assert [c.name for c in complete_checkpoints(out)] == [f"iter_{last:06d}"]
    assert json.loads((out / "summary.json").read_text())["iterations"] == last + 1
    assert "SIGTERM: stopped after iteration" in (tmp_path / "train.log").read_text()

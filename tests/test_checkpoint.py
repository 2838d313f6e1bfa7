"""Checkpoints: exact resume, clear errors for damaged or foreign checkpoints, `himac eval`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from himac.checkpoint import (
    CheckpointDamaged,
    check_checkpoint,
    complete_checkpoints,
    latest_checkpoint,
    resolve_resume,
)
from himac.config import ConfigError, load_config

pytestmark = pytest.mark.integration

BASE = [
    "rollout.backend=hf", "trainer.batch_tasks=2", "algorithm.group_size=2", "trainer.eval_tasks=4",
    "trainer.eval_every=0", "trainer.eval_at_start=false", "rollout.planner_max_tokens=4",
    "rollout.restrict_to_admissible=true", "learner.micro_batch_size=16", "trainer.progress_bar=false",
    "trainer.warm_start_steps=0", "coevolution.hierarchical=true", "algorithm.kl_coef=0.01",
    "coevolution.phase_b_iters=1",
    "learner.lr=0.01",
]
VOLATILE = ("timing/", "perf/")


def train(model: str, out: Path, *overrides: str) -> list[dict]:
    from himac.trainer import Trainer

    cfg = load_config("configs/debug/sokoban.yaml", [f"model.path={model}", f"trainer.output_dir={out}", *BASE, *overrides])
    Trainer(cfg).train()
    return [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]


def stable(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith(VOLATILE) and not k.startswith("eval/")}


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.timeout(900)
def test_resume_is_exact_and_checkpoints_are_checked(ray_cluster, tiny_model, tmp_path):
    full = train(tiny_model, tmp_path / "full", "trainer.iterations=4")
    train(tiny_model, tmp_path / "split", "trainer.iterations=2", "trainer.checkpoint_every=1")
    # the run "died" while its last checkpoint was damaged: resume=auto falls back to the one before, and
    # the rows logged after that one are redone, not repeated
    truncate(tmp_path / "split/checkpoints/iter_000001/learner_executor/learner/mp_rank_00_model_states.pt")
    with pytest.warns(UserWarning, match="(?s)skipping damaged.*iter_000000.*mp_rank_00_model_states.pt has"):
        resumed = train(tiny_model, tmp_path / "split", "trainer.iterations=4", "trainer.resume=auto")
    by_iter = lambda rows: {r["iteration"]: stable(r) for r in rows if "timing/iteration" in r}  # noqa: E731
    a, b = by_iter(full), by_iter(resumed)
    assert [r["iteration"] for r in resumed if "timing/iteration" in r] == [0, 1, 2, 3]
    assert [r["phase"] for r in b.values()] == ["A", "B"] * 2
    for it in (1, 2, 3):  # iterations after the restart match the uninterrupted run exactly
        assert a[it] == b[it], f"iteration {it} differs after resume"
    assert a[1] != a[2]  # the compared metrics do change between iterations
    assert json.loads((tmp_path / "split/summary.json").read_text())["iterations"] == 4
    episodes = [json.loads(x) for x in (tmp_path / "full/episodes/iter_000003.jsonl").read_text().splitlines()]
    assert len(episodes) == 4 and all(e["turns"] and e["steps"] == len(e["turns"]) for e in episodes)
    assert all(t["action"] in ("up", "down", "left", "right") for e in episodes for t in e["turns"])

    ckpt = latest_checkpoint(tmp_path / "split")
    cfg = load_config(str(ckpt / "config.yaml"))
    check_checkpoint(ckpt, cfg)
    other = load_config(str(ckpt / "config.yaml"), ["algorithm.clip_low=0.3"])
    with pytest.raises(RuntimeError, match="(?s)another config.*algorithm.clip_low: checkpoint 0.2 vs now 0.3"):
        check_checkpoint(ckpt, other)
    learner = "learner_executor/learner/mp_rank_00_model_states.pt"
    damages = {  # each damage is named by its file
        "driver_state.pt": lambda c: truncate(c / "driver_state.pt"),
        learner: lambda c: truncate(c / learner),
        "config.yaml": lambda c: (c / "config.yaml").write_text("model: [unclosed\n"),
        "learner_executor/": lambda c: [p.unlink() for p in (c / "learner_executor").rglob("*") if p.is_file()],
        "model.safetensors": lambda c: truncate(c / "hf_executor/model.safetensors"),
    }
    for name, damage in damages.items():
        broken = tmp_path / f"broken-{len(list(tmp_path.glob('broken-*')))}"
        shutil.copytree(ckpt, broken)
        damage(broken)
        with pytest.raises(CheckpointDamaged, match=f"damaged: {re.escape(str(broken))}/.*{re.escape(name)}"):
            check_checkpoint(broken, cfg)
    (broken / "COMPLETE").unlink()
    with pytest.raises(RuntimeError, match="incomplete"):
        check_checkpoint(broken, cfg)
    with pytest.raises(ConfigError, match="trainer.resume: no checkpoint or run directory"):
        resolve_resume(str(tmp_path / "nowhere"), tmp_path)

    from himac.evaluate import run_eval

    result = run_eval(str(tmp_path / "split"), tasks=6, out=str(tmp_path / "eval.json"))
    assert result["eval/episodes"] == 6 and 0.0 <= result["eval/success_rate"] <= 1.0
    assert json.loads((tmp_path / "eval.json").read_text())["eval/episodes"] == 6

    for c in complete_checkpoints(tmp_path / "split"):
        truncate(c / "driver_state.pt")
    with pytest.raises(CheckpointDamaged, match="every checkpoint"):
        resolve_resume("auto", tmp_path / "split")

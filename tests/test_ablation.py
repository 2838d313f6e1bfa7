"""Tests for bench/ablation.py: numbers and tables from hand-made run directories (no training)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("ablation", Path(__file__).parent.parent / "bench" / "ablation.py")
ablation = sys.modules["ablation"] = importlib.util.module_from_spec(_spec)  # dataclasses look the module up
_spec.loader.exec_module(ablation)


def _iteration(it: int, phase: str, seconds: float, blueprint_len: float, **evals: float) -> dict:
    return {"iteration": it, "phase": phase, "train/blueprint_len": blueprint_len, "timing/iteration": seconds,
            **{f"eval/{k}": v for k, v in evals.items()}}


def _write_run(run_dir: Path, start: float, evals: list[float], *, returncode: int = 0, summary: bool = True,
               score: bool = False) -> None:
    """A run as `himac train` logs it: init eval, warm start, eval after it, then iterations (A, B, A, ...),
    every second one evaluated with the next of `evals`; 2 s per iteration."""
    run_dir.mkdir(parents=True)
    extra = {"eval/score": start / 2} if score else {}
    rows = [{"iteration": -1, "phase": "init", "eval/success_rate": 0.0, "timing/eval": 1.0},
            {"iteration": -1, "phase": "warm_start", "warm_start/nll": 0.5, "timing/warm_start": 30.0},
            {"iteration": 0, "phase": "eval", "eval/success_rate": start, "timing/eval": 1.0, **extra}]
    for k, success in enumerate(evals):
        rows.append(_iteration(2 * k, "A", 2.0, 3.0))
        extra = {"score": success / 2} if score else {}
        rows.append(_iteration(2 * k + 1, "B", 2.0, 1.0, success_rate=success, **extra))
    (run_dir / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    if summary:
        (run_dir / "summary.json").write_text("{}")
    (run_dir / ablation.RECORD).write_text(json.dumps({"returncode": returncode, "wall_s": 120.0}))


def test_variant_overrides_come_after_the_extra_ones_with_seed_budget_and_output():
    run_dir = Path("runs/x/flat-s3")
    got = ablation.run_overrides("flat", 3, 4.0, run_dir, ["trainer.eval_tasks=8"])
    assert got == ["trainer.eval_tasks=8", "coevolution.hierarchical=false", "trainer.seed=3", "learner.seed=3",
                   "trainer.time_limit_min=4.0", f"trainer.output_dir={run_dir}", "trainer.resume=off",
                   "trainer.progress_bar=false"]
    assert ablation.run_overrides("himac", 0, 1.0, run_dir, [])[0] == "trainer.seed=0"
    assert ablation.VARIANTS["no_coevo"] == ["coevolution.coevolve=false"]
    assert ablation.VARIANTS["no_sub_done"] == ["coevolution.use_sub_done=false"]
    assert ablation.VARIANTS["random_blueprint"] == ["coevolution.random_blueprint=true"]


def test_read_run_takes_the_post_warm_start_eval_the_last_and_the_best(tmp_path):
    _write_run(tmp_path / "r", 0.4, [0.5, 0.7, 0.6], score=True)
    r = ablation.read_run(tmp_path / "r", "himac", 0)
    assert (r.init, r.start, r.final, r.best) == (0.0, 0.4, 0.6, 0.7)
    assert r.gain == pytest.approx(0.2)
    assert (r.score_start, r.score_final) == (0.2, 0.3)
    assert (r.iterations, r.rl_s, r.warm_start_s, r.wall_s) == (6, 12.0, 30.0, 120.0)
    assert r.blueprint_len == pytest.approx(2.0)  # A rows 3.0, B rows 1.0
    assert r.finished and r.status == "ok"


def test_failed_and_missing_runs(tmp_path):
    _write_run(tmp_path / "crashed", 0.4, [0.5], returncode=1, summary=False)
    crashed = ablation.read_run(tmp_path / "crashed", "flat", 1)
    assert not crashed.finished and crashed.status == "failed (rc=1)" and crashed.final == 0.5
    (tmp_path / "empty").mkdir()
    empty = ablation.read_run(tmp_path / "empty", "flat", 2)
    assert (empty.start, empty.final, empty.iterations, empty.status) == (None, None, 0, "failed (no summary.json)")


def test_table_mean_and_half_range_over_finished_seeds_and_failed_runs_shown(tmp_path):
    _write_run(tmp_path / "himac-s0", 0.40, [0.60])
    _write_run(tmp_path / "himac-s1", 0.50, [0.80])
    _write_run(tmp_path / "flat-s0", 0.30, [0.35])
    _write_run(tmp_path / "flat-s1", 0.90, [0.90], returncode=2, summary=False)
    runs = [ablation.read_run(tmp_path / f"{v}-s{s}", v, s) for v in ("himac", "flat") for s in (0, 1)]

    stats = ablation.summarise(runs)
    assert stats["himac"]["start"] == pytest.approx((0.45, 0.05))
    assert stats["himac"]["final"] == pytest.approx((0.70, 0.10))
    assert stats["himac"]["gain"] == pytest.approx((0.25, 0.05))
    assert stats["flat"]["final"] == pytest.approx((0.35, 0.0))  # the failed seed is left out

    md = ablation.markdown(runs, "configs/debug/webshop.yaml", 4, "python bench/ablation.py ...", "2026-12-02")
    variant_table = md.split("## Per seed")[0]
    rows = {line.split(" | ")[0].strip("| "): line for line in variant_table.splitlines() if line.startswith("| ")}
    assert "| 2/2 | 45.0 ± 5.0 | 70.0 ± 10.0 | +25.0 ± 5.0 | 70.0 ± 10.0 |" in rows["himac"]
    assert "| 1/2; s1 failed (rc=2) | 30.0 | 35.0 | +5.0 | 35.0 |" in rows["flat"]
    assert "| flat | 1 | failed (rc=2) | 0.0 | 90.0 | 90.0 | +0.0 | 90.0 |" in md
    assert "half the range" in md and "python bench/ablation.py ..." in md and "2026-12-02" in md


def test_clear_errors_for_an_unknown_variant_and_a_missing_config(tmp_path, capsys):
    with pytest.raises(SystemExit):
        ablation.main(["--config", "configs/debug/webshop.yaml", "--variants", "himac", "nope", "--minutes", "1",
                       "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert "unknown variant(s) nope" in err and "himac, flat, no_coevo, no_sub_done, random_blueprint" in err
    with pytest.raises(SystemExit):
        ablation.main(["--config", str(tmp_path / "missing.yaml"), "--minutes", "1", "--out", str(tmp_path)])
    assert "config not found" in capsys.readouterr().err


def test_share_warm_start_starts_later_runs_of_a_kind_from_the_first_ones_export(tmp_path, monkeypatch):
    calls = []

    def fake_train(config: str, overrides: list[str], run_dir: Path) -> None:
        calls.append((run_dir.name, [o for o in overrides if o.startswith(("model.path=", "trainer.warm_start_steps="))]))
        _write_run(run_dir, 0.5, [0.6])
        if "trainer.warm_start_steps=0" not in overrides:  # a run that warm-started exports its model
            (run_dir / "warm_start" / "hf_executor").mkdir(parents=True)

    monkeypatch.setattr(ablation, "train", fake_train)
    ablation.main(["--config", "configs/debug/webshop.yaml", "--variants", "himac", "flat", "no_coevo",
                   "--seeds", "0", "1", "--minutes", "1", "--out", str(tmp_path), "--share-warm-start"])
    hier, flat = (f"{(tmp_path / f'{v}-s0' / 'warm_start' / 'hf_executor').resolve()}" for v in ("himac", "flat"))
    assert calls == [("himac-s0", []), ("himac-s1", [f"model.path={hier}", "trainer.warm_start_steps=0"]),
                     ("flat-s0", []), ("flat-s1", [f"model.path={flat}", "trainer.warm_start_steps=0"]),
                     ("no_coevo-s0", [f"model.path={hier}", "trainer.warm_start_steps=0"]),
                     ("no_coevo-s1", [f"model.path={hier}", "trainer.warm_start_steps=0"])]
    calls.clear()
    ablation.main(["--config", "configs/debug/webshop.yaml", "--variants", "himac", "--seeds", "0", "1",
                   "--minutes", "1", "--out", str(tmp_path / "own")])
    assert calls == [("himac-s0", []), ("himac-s1", [])]  # without the flag every run warm-starts


def test_warm_start_option_seeds_a_kind_and_is_checked(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(ablation, "train", lambda config, overrides, run_dir: (
        calls.append([o for o in overrides if o.startswith("model.path=")]), _write_run(run_dir, 0.5, [0.6])))
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    ablation.main(["--config", "configs/debug/webshop.yaml", "--variants", "himac", "flat", "--minutes", "1",
                   "--out", str(tmp_path / "out"), "--share-warm-start", f"--warm-start=hierarchical={model}"])
    assert calls == [[f"model.path={model.resolve()}"], []]  # flat is another kind: it warm-starts itself
    for bad in ([f"--warm-start=hierarchical={tmp_path}"], ["--warm-start=nope=x"], [f"--warm-start=flat={model}"]):
        with pytest.raises(SystemExit):
            ablation.main(["--config", "configs/debug/webshop.yaml", "--minutes", "1", "--out", str(tmp_path), *bad])
        assert "--warm-start" in capsys.readouterr().err

"""Tests for `himac report`: plots and markdown numbers from a hand-made metrics.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from himac.cli import main
from himac.report import iteration_rows, report


def _eval(success: float, ret: float, steps: float, valid: float, pick: float, clean: float) -> dict:
    return {"eval/success_rate": success, "eval/return": ret, "eval/steps": steps, "eval/valid_action_ratio": valid,
            "eval/success/pick": pick, "eval/success/clean": clean}


def _timing(gen: float, learn: float, logprob: float, update: float, sync: float, total: float, **more) -> dict:
    return {"timing/generate_env": gen, "timing/advantage": 0.0, "timing/learn": learn, "timing/logprob": logprob,
            "timing/update": update, "timing/sync": sync, "timing/overhead": 0.0, "timing/iteration": total,
            **{f"timing/{k}": v for k, v in more.items()}}


def _train(success: float, ret: float, steps: float) -> dict:
    return {"train/success_rate": success, "train/return": ret, "train/steps": steps}


# Eval before the warm start, the warm start, the eval after it, three iterations (two evaluated).
ROWS = [
    {"iteration": -1, "phase": "init", **_eval(0.1, -1.0, 12.0, 0.5, 0.0, 0.2), "timing/eval": 2.0},
    {"iteration": -1, "phase": "warm_start", "warm_start/nll": 1.25, "warm_start/samples": 40,
     "timing/warm_start": 3.0, "timing/sync": 0.1, "sync/logprob_max_abs_diff": 0.0},
    {"iteration": 0, "phase": "eval", **_eval(0.3, 0.5, 10.0, 0.8, 0.2, 0.4), "timing/eval": 2.0},
    {"iteration": 0, "phase": "A", **_train(0.25, 0.0, 11.0), **_timing(4, 3, 1, 2, 1, 8)},
    {"iteration": 1, "phase": "B", **_train(0.5, 1.0, 9.0), **_eval(0.6, 2.0, 8.0, 0.9, 0.5, 0.7),
     **_timing(6, 5, 2, 3, 1, 16, eval=4)},
    {"iteration": 2, "phase": "A", **_train(0.75, 2.0, 7.0), **_eval(0.5, 1.5, 9.0, 0.95, 0.3, 0.6),
     **_timing(5, 4, 1, 3, 1, 12, eval=2)},
]


def _run(tmp_path: Path, rows: list[dict], tail: str = "") -> Path:
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows) + tail)
    (run / "config.yaml").write_text("env: {name: sokoban}\nmodel: {path: /m}\nalgorithm: {adv_estimator: grpo}\n"
                                     "trainer: {iterations: 3}\n")
    return run


def _png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        assert im.format == "PNG"
        return im.size


def test_report_plots_and_numbers(tmp_path):
    run = _run(tmp_path, ROWS)
    md_path = report(run)
    assert md_path == run / "report" / "report.md"
    for name in ("eval_success.png", "train.png", "timing.png"):
        w, h = _png_size(run / "report" / name)
        assert w > 400 and h > 300
        assert f"]({name})" in md_path.read_text()
    lines = md_path.read_text().splitlines()
    assert "Environment: sokoban, model: `/m`, advantage estimator: grpo, iterations planned: 3  " in lines
    assert "Iterations logged: 3 (6 metric rows)  " in lines
    # eval: first is the post-warm-start eval at 0; eval after iteration i is at i + 1
    assert "| first | 0 | 0.300 | 0.50 | 10.0 | 0.800 |" in lines
    assert "| final | 3 | 0.500 | 1.50 | 9.0 | 0.950 |" in lines
    assert "| best | 2 | 0.600 | 2.00 | 8.0 | 0.900 |" in lines
    assert ("Final eval success **0.500**, best 0.600 (iteration 2); change from the first evaluation: +0.200 "
            "over 3 evaluations.") in lines
    # warm start: 0.1 -> 0.3
    assert "Expert samples: 40, final NLL 1.250, time 3.0 s." in lines
    assert any(line.startswith("Eval success before warm start 0.100, after 0.300 (warm-start effect +0.200")
               for line in lines)
    assert "| clean | 0.400 | 0.600 | 0.700 | +0.200 |" in lines
    assert "| pick | 0.200 | 0.300 | 0.500 | +0.100 |" in lines
    # train means over 3 iterations: (0.25+0.5+0.75)/3, (0+1+2)/3, (11+9+7)/3
    assert "| mean over 3 iterations | 0.500 | 1.00 | 9.0 |" in lines
    assert "| last iteration (3) | 0.750 | 2.00 | 7.0 |" in lines
    # time: means over 3 iterations, % of the mean iteration (8+16+12)/3 = 12 s; eval counts 0 where absent
    table = lines[lines.index("| stage | seconds | % of iteration |") + 2:]
    assert table[:9] == [
        "| generate_env | 5.00 | 41.7 |",
        "| advantage | 0.00 | 0.0 |",
        "| learn | 4.00 | 33.3 |",
        "| learn / logprob | 1.33 | 11.1 |",
        "| learn / update | 2.67 | 22.2 |",
        "| sync | 1.00 | 8.3 |",
        "| eval | 2.00 | 16.7 |",
        "| overhead | 0.00 | 0.0 |",
        "| **iteration** | **12.00** | 100.0 |",
    ]


def test_no_eval_rows_and_truncated_line(tmp_path):
    rows = [r for r in ROWS if r.get("phase") in ("A", "B")]
    rows = [{k: v for k, v in r.items() if not k.startswith(("eval/", "timing/eval"))} for r in rows]
    run = _run(tmp_path, rows, tail='{"iteration": 3, "timing/itera')
    text = report(run).read_text()
    assert "No evaluation rows in metrics.jsonl" in text
    assert "Skipped 1 unreadable line(s)" in text
    assert "| **iteration** | **12.00** | 100.0 |" in text
    assert not (run / "report" / "eval_success.png").exists()
    assert "## Eval success per task type" not in text and "## Behaviour-cloning warm start" not in text
    _png_size(run / "report" / "timing.png")


def test_empty_metrics(tmp_path, capsys):
    run = _run(tmp_path, [])
    assert main(["report", str(run)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {run / 'report' / 'report.md'}"
    text = (run / "report" / "report.md").read_text()
    assert "metrics.jsonl is empty" in text and "No training iterations logged yet." in text
    assert not list((run / "report").glob("*.png"))


def test_single_eval_row(tmp_path):
    run = _run(tmp_path, [ROWS[2]])
    text = report(run).read_text()
    assert "| first | 0 | 0.300 |" in text and "change from the first evaluation: +0.000 over 1 evaluations" in text
    _png_size(run / "report" / "eval_success.png")


def test_resumed_run_keeps_the_last_row_per_iteration():
    rows = [{"iteration": 0, "timing/iteration": 1.0}, {"iteration": 1, "timing/iteration": 2.0},
            {"iteration": 1, "timing/iteration": 3.0}, {"iteration": 2, "timing/iteration": 4.0}]
    assert [r["timing/iteration"] for r in iteration_rows(rows)] == [1.0, 3.0, 4.0]


def test_missing_metrics_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="metrics.jsonl not found"):
        report(tmp_path)


def test_run_summary_reports_the_warm_start_and_the_rl_gain_apart(tmp_path, capsys):
    from himac.config import load_config
    from himac.logging import MetricsLogger

    cfg = load_config("configs/debug/sokoban.yaml", ["trainer.tensorboard=false"])
    logger = MetricsLogger(tmp_path, cfg)
    for row in ROWS:
        row = dict(row)
        logger.log(row.pop("iteration"), row)
    s = logger.summary()
    logger.close()
    assert (s["eval_success_first"], s["eval_success_after_warm_start"], s["eval_success_last"]) == (0.1, 0.3, 0.5)
    out = capsys.readouterr().out
    assert "0.100 -> 0.300 after the warm start" in out and "0.300 -> 0.500 (+20.0 points; best 0.600)" in out
    assert json.loads((tmp_path / "summary.json").read_text())["eval_success_best"] == 0.6


def test_time_plot_stacks_parts_and_what_they_leave_over():
    from himac.report import stacked_stages

    iters = [{"iteration": 0, **_timing(4, 3, 1, 2, 1, 9, generate=2.5, env=0.5)},
             {"iteration": 1, **_timing(6, 5, 2, 3, 1, 13, generate=4, env=1.5)}]
    st = stacked_stages(iters)
    assert st["generate"] == [2.5, 4] and st["env"] == [0.5, 1.5] and st["generate_env: rest"] == [1.0, 0.5]
    assert st["logprob"] == [1, 2] and st["update"] == [2, 3] and st["learn: rest"] == [0, 0]
    assert "generate_env" not in st and "learn" not in st
    totals = [sum(v[i] for v in st.values()) for i in range(2)]
    assert totals == [4 + 3 + 1, 6 + 5 + 1]  # generate_env + learn + sync: the stacked parts add up to them


def test_warm_start_progress_is_a_table_and_a_plot(tmp_path):
    progress = [{"iteration": -1, "phase": "warm_start_progress", "warm_start/step": s, "warm_start/train_nll": t,
                 "warm_start/val_nll": v, **({"warm_start/valid_action_ratio": r, "warm_start/success_rate": w}
                                              if r is not None else {})}
                for s, t, v, r, w in ((50, 0.9, 1.1, 0.42, 0.05), (100, 0.5, 0.7, None, None))]
    run = _run(tmp_path, ROWS[:1] + progress + ROWS[1:])
    md = report(run).read_text()
    assert "| 50 | 0.900 | 1.100 | 0.420 | 0.050 |" in md
    assert "| 100 | 0.500 | 0.700 | n/a | n/a |" in md
    assert _png_size(run / "report" / "warm_start.png")[0] > 300
    assert "(warm_start.png)" in md

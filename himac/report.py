"""`himac report RUN_DIR`: learning-curve plots and a markdown summary of a run.

Reads `<run>/metrics.jsonl` and writes `<run>/report/` with `report.md` and PNG plots.
The x axis follows the TensorBoard steps: a training row of iteration i is plotted at i + 1
(so its evaluation is the policy after i + 1 updates) and the evaluations before RL
(phases "init" and "eval", iteration -1 or 0) at 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from matplotlib.figure import Figure  # no pyplot: PNGs are drawn by the Agg canvas, no display needed
from matplotlib.ticker import MaxNLocator

Row = dict[str, Any]
# Stages timed inside another stage: listed under their parent, never stacked on top of it.
NESTED_STAGES = {"generate": "generate_env", "env": "generate_env", "logprob": "learn", "update": "learn"}
STAGE_ORDER = ("generate_env", "advantage", "learn", "sync", "eval", "overhead")


def report(run_dir: str | Path) -> Path:
    """Write `<run_dir>/report/report.md` and its plots; return the markdown path."""
    run = Path(run_dir)
    rows, skipped = load_metrics(run / "metrics.jsonl")
    out = run / "report"
    out.mkdir(exist_ok=True)
    iters = iteration_rows(rows)
    evals = eval_points(rows)
    types = sorted({k.removeprefix("eval/success/") for _, r in evals for k in r if k.startswith("eval/success/")})

    plots = []
    if evals:
        before = _phase_eval(rows, "init")
        plots.append(("Evaluation success", plot_eval(evals, types, before, out / "eval_success.png")))
    if any("train/success_rate" in r for r in iters):
        plots.append(("Training rollouts", plot_train(iters, out / "train.png")))
    if iters:
        plots.append(("Time per stage", plot_timing(iters, out / "timing.png")))
    if progress := warm_start_rows(rows):
        plots.append(("Warm start", plot_warm_start(progress, out / "warm_start.png")))

    md = [f"# HiMAC-RL run report: {run.resolve().name}", "", *_header(run, rows, iters, skipped), ""]
    md += _eval_section(evals) + _warm_start_section(rows) + _task_type_section(evals, types)
    md += _train_section(iters) + _timing_section(iters)
    if plots:
        md += ["## Plots", ""] + [f"![{title}]({path.name})\n" for title, path in plots]
    path = out / "report.md"
    path.write_text("\n".join(md).rstrip() + "\n")
    return path


# .. reading ...................................................................................
def load_metrics(path: Path) -> tuple[list[Row], int]:
    """The rows of a metrics.jsonl, and how many lines were unreadable (a run killed mid-write)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: is {path.parent} a himac run directory?")
    rows, skipped = [], 0
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            skipped += 1
    return rows, skipped


def iteration_rows(rows: list[Row]) -> list[Row]:
    """One row per training iteration (the last one logged: a resumed run logs some twice), in order."""
    by_iter = {r["iteration"]: r for r in rows if "timing/iteration" in r}
    return [by_iter[i] for i in sorted(by_iter)]


def eval_points(rows: list[Row]) -> list[tuple[int, Row]]:
    """(x, row) for every evaluation except the one before the warm start, by x; the last row per x wins."""
    by_x = {_x(r): r for r in rows if "eval/success_rate" in r and r.get("phase") != "init"}
    return sorted(by_x.items(), key=lambda p: p[0])


def _phase_eval(rows: list[Row], phase: str) -> Row | None:
    """The first evaluation row of a phase: "init" is before the warm start, "eval" the one after it."""
    return next((r for r in rows if r.get("phase") == phase and "eval/success_rate" in r), None)


def _x(row: Row) -> int:
    return row["iteration"] + 1 if "timing/iteration" in row else 0


def stage_means(iters: list[Row]) -> dict[str, float]:
    """Mean seconds per iteration of every timed stage; a stage an iteration lacks counts as 0."""
    names = {k.removeprefix("timing/") for r in iters for k in r if k.startswith("timing/")} - {"iteration"}
    return {s: sum(r.get(f"timing/{s}", 0.0) for r in iters) / len(iters) for s in _ordered(names)}


def _ordered(stages: set[str]) -> list[str]:
    """Pipeline order, unknown stages after, each nested stage right after its parent."""
    top = [s for s in STAGE_ORDER if s in stages] + sorted(stages - set(STAGE_ORDER) - set(NESTED_STAGES))
    nested = sorted(stages & set(NESTED_STAGES))
    orphans = [n for n in nested if NESTED_STAGES[n] not in top]
    return [s for p in top for s in (p, *(n for n in nested if NESTED_STAGES[n] == p))] + orphans


# .. plots .....................................................................................
def plot_eval(evals: list[tuple[int, Row]], types: list[str], before: Row | None, path: Path) -> Path:
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.add_subplot()
    xs = [x for x, _ in evals]
    ax.plot(xs, [r["eval/success_rate"] for _, r in evals], "o-", color="black", lw=2.2, label="overall")
    for t in types:
        pts = [(x, r[f"eval/success/{t}"]) for x, r in evals if f"eval/success/{t}" in r]
        ax.plot(*zip(*pts), "o--", lw=1.2, ms=4, label=t)
    if before is not None:
        ax.plot([0], [before["eval/success_rate"]], "o", mfc="none", mec="k", ms=9, label="before warm start")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="iteration (0 = before RL)", ylabel="success rate", title="Evaluation success", ylim=(-0.03, 1.03))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.savefig(path, dpi=110)
    return path


def plot_train(iters: list[Row], path: Path) -> Path:
    fig = Figure(figsize=(7, 5.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    for ax, key, label in ((top, "train/success_rate", "success rate"), (bottom, "train/return", "mean return")):
        pts = [(_x(r), r[key]) for r in iters if key in r]
        if pts:
            ax.plot(*zip(*pts), "o-", ms=3)
        ax.set(ylabel=label)
        ax.grid(alpha=0.3)
    top.set(title="Training rollouts", ylim=(-0.03, 1.03))
    bottom.set(xlabel="iteration")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.savefig(path, dpi=110)
    return path


def stacked_stages(iters: list[Row]) -> dict[str, list[float]]:
    """Per-iteration seconds of the stages that add up to an iteration: a stage timed in parts
    (generate_env, learn) is replaced by its parts plus what its parts leave over ("<stage>: rest")."""
    means = stage_means(iters)
    out: dict[str, list[float]] = {}
    for stage in (s for s in means if s not in NESTED_STAGES):
        whole = [r.get(f"timing/{stage}", 0.0) for r in iters]
        parts = [c for c, p in NESTED_STAGES.items() if p == stage and c in means]
        for c in parts:
            out[c] = [r.get(f"timing/{c}", 0.0) for r in iters]
        if parts:
            whole = [max(0.0, w - sum(out[c][i] for c in parts)) for i, w in enumerate(whole)]
            stage = f"{stage}: rest"
        out[stage] = whole
    return out


def plot_timing(iters: list[Row], path: Path) -> Path:
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    xs = [_x(r) for r in iters]
    base = [0.0] * len(iters)
    for stage, h in stacked_stages(iters).items():
        ax.bar(xs, h, bottom=base, width=1.0, linewidth=0, label=stage)
        base = [b + v for b, v in zip(base, h)]
    ax.plot(xs, [r["timing/iteration"] for r in iters], "k_", ms=14 if len(iters) < 60 else 4, mew=2,
            label="iteration total")
    ax.set(xlabel="iteration", ylabel="seconds", title="Time per stage")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.savefig(path, dpi=110)
    return path


# .. markdown ..................................................................................
def _f(v: Any, spec: str = ".3f") -> str:
    return "n/a" if v is None else format(v, spec)


def _header(run: Path, rows: list[Row], iters: list[Row], skipped: int) -> list[str]:
    lines = [f"Run directory: `{run}`"]
    cfg_path = run / "config.yaml"
    if cfg_path.is_file():
        cfg = yaml.safe_load(cfg_path.read_text()) or {}
        get = lambda s, k: cfg.get(s, {}).get(k)  # noqa: E731
        lines += [f"Environment: {get('env', 'name')}, model: `{get('model', 'path')}`, "
                  f"advantage estimator: {get('algorithm', 'adv_estimator')}, "
                  f"iterations planned: {get('trainer', 'iterations')}"]
    lines += [f"Iterations logged: {len(iters)} ({len(rows)} metric rows)"]
    if skipped:
        lines += [f"Skipped {skipped} unreadable line(s) of metrics.jsonl (a run interrupted while logging)."]
    if not rows:
        lines += ["", "**metrics.jsonl is empty: the run has not logged anything yet.**"]
    return [line + "  " for line in lines]


def _eval_section(evals: list[tuple[int, Row]]) -> list[str]:
    md = ["## Evaluation", ""]
    if not evals:
        return md + ["No evaluation rows in metrics.jsonl (set trainer.eval_every or trainer.eval_at_start).", ""]
    (x0, first), (xn, final) = evals[0], evals[-1]
    xb, best = max(evals, key=lambda p: p[1]["eval/success_rate"])
    md += ["| | iteration | success | return | steps | valid action ratio |", "|---|---:|---:|---:|---:|---:|"]
    for name, x, r in (("first", x0, first), ("final", xn, final), ("best", xb, best)):
        md.append(f"| {name} | {x} | {_f(r['eval/success_rate'])} | {_f(r.get('eval/return'), '.2f')} | "
                  f"{_f(r.get('eval/steps'), '.1f')} | {_f(r.get('eval/valid_action_ratio'))} |")
    change = final["eval/success_rate"] - first["eval/success_rate"]
    md += ["", f"Final eval success **{final['eval/success_rate']:.3f}**, best {best['eval/success_rate']:.3f} "
           f"(iteration {xb}); change from the first evaluation: {change:+.3f} over {len(evals)} evaluations.", ""]
    return md


def warm_start_rows(rows: list[Row]) -> list[Row]:
    """The warm start's progress rows (after each chunk of `trainer.warm_start_eval_every` steps), in order."""
    return [r for r in rows if r.get("phase") == "warm_start_progress"]


def plot_warm_start(progress: list[Row], path: Path) -> Path:
    fig = Figure(figsize=(7, 5.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    for key, label in (("warm_start/train_nll", "train (last mini-batch)"), ("warm_start/val_nll", "held-out")):
        pts = [(r["warm_start/step"], r[key]) for r in progress if key in r]
        if pts:
            top.plot(*zip(*pts), "o-", ms=3, label=label)
    for key, label in (("warm_start/valid_action_ratio", "valid-action ratio"), ("warm_start/success_rate", "success")):
        pts = [(r["warm_start/step"], r[key]) for r in progress if key in r]
        if pts:
            bottom.plot(*zip(*pts), "o-", ms=3, label=label)
    top.set(ylabel="NLL per response token", title="Behaviour-cloning warm start")
    bottom.set(xlabel="step", ylabel="held-out, greedy", ylim=(-0.03, 1.03))
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    fig.savefig(path, dpi=110)
    return path


def _warm_start_section(rows: list[Row]) -> list[str]:
    warm = next((r for r in rows if r.get("phase") == "warm_start"), None)
    if warm is None:
        return []
    md = ["## Behaviour-cloning warm start", "",
          f"Expert samples: {warm.get('warm_start/samples', 'n/a')}, final NLL {_f(warm.get('warm_start/nll'))}, "
          f"time {_f(warm.get('timing/warm_start'), '.1f')} s."]
    progress = warm_start_rows(rows)
    if progress:
        md += ["", "| step | train NLL | held-out NLL | held-out valid-action ratio | held-out success |",
               "| --- | --- | --- | --- | --- |"]
        md += [f"| {r['warm_start/step']} | {_f(r.get('warm_start/train_nll'))} | {_f(r.get('warm_start/val_nll'))} | "
               f"{_f(r.get('warm_start/valid_action_ratio'))} | {_f(r.get('warm_start/success_rate'))} |"
               for r in progress]
        md.append("")
    before, after = _phase_eval(rows, "init"), _phase_eval(rows, "eval")
    if before is not None and after is not None:
        a, b = before["eval/success_rate"], after["eval/success_rate"]
        md.append(f"Eval success before warm start {a:.3f}, after {b:.3f} (warm-start effect {b - a:+.3f}; "
                  "the RL change above is measured from after the warm start).")
    return md + [""]


def _task_type_section(evals: list[tuple[int, Row]], types: list[str]) -> list[str]:
    if not types:
        return []
    md = ["## Eval success per task type", "", "| task type | first | final | best | change |",
          "|---|---:|---:|---:|---:|"]
    for t in types:
        vals = [r[f"eval/success/{t}"] for _, r in evals if f"eval/success/{t}" in r]
        md.append(f"| {t} | {vals[0]:.3f} | {vals[-1]:.3f} | {max(vals):.3f} | {vals[-1] - vals[0]:+.3f} |")
    return md + [""]


def _train_section(iters: list[Row]) -> list[str]:
    rows = [r for r in iters if "train/success_rate" in r]
    if not rows:
        return []
    md = ["## Training rollouts", "", "| | success | return | steps |", "|---|---:|---:|---:|"]

    def mean(key: str) -> float | None:
        vals = [r[key] for r in rows if key in r]
        return sum(vals) / len(vals) if vals else None

    last = rows[-1]
    md.append(f"| mean over {len(rows)} iterations | {_f(mean('train/success_rate'))} | "
              f"{_f(mean('train/return'), '.2f')} | {_f(mean('train/steps'), '.1f')} |")
    md.append(f"| last iteration ({_x(last)}) | {_f(last.get('train/success_rate'))} | "
              f"{_f(last.get('train/return'), '.2f')} | {_f(last.get('train/steps'), '.1f')} |")
    return md + [""]


def _timing_section(iters: list[Row]) -> list[str]:
    md = ["## Time per iteration", ""]
    if not iters:
        return md + ["No training iterations logged yet.", ""]
    means = stage_means(iters)
    total = sum(r["timing/iteration"] for r in iters) / len(iters)
    md += [f"Mean over {len(iters)} iterations (evaluation time averaged over all iterations).", "",
           "| stage | seconds | % of iteration |", "|---|---:|---:|"]
    for stage, sec in means.items():
        name = f"{NESTED_STAGES[stage]} / {stage}" if stage in NESTED_STAGES else stage
        share = f"{100 * sec / total:.1f}" if total > 0 else "n/a"
        md.append(f"| {name} | {sec:.2f} | {share} |")
    md.append(f"| **iteration** | **{total:.2f}** | 100.0 |")
    return md + ["", "Stages named parent / child run inside their parent and are not added to the total.", ""]

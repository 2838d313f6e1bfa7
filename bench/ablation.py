"""Ablation table: HiMAC and its ablations (flat agent, no co-evolution, no <sub_done>, random
blueprints), each over a few seeds with the same RL time budget after the warm start.

Every (variant, seed) is one `himac train` subprocess, run one after another, into
`<out>/<variant>-s<seed>/` (its console output in `train.log`); a failed run is recorded and
shown as failed, the others go on. Writes `<out>/ablation.md` (held-out success after the warm
start and at the end, mean ± half the range over seeds; per-seed numbers) and `<out>/ablation.json`.

    python bench/ablation.py --config configs/debug/webshop.yaml --seeds 0 1 \\
        --variants himac flat no_coevo --minutes 4 --out runs/ablation-webshop [key=value ...]

Extra key=value overrides apply to every run (the variant's own and the seed / budget / output
keys are applied after them). `--skip-existing` reuses runs whose summary.json exists.
`--share-warm-start` warm-starts once per kind of warm start (it depends only on
`coevolution.hierarchical` and `use_sub_done`: HiMAC, no co-evolution and random blueprints
share one) and starts the other runs of that kind from its export
(`model.path=<run>/warm_start/hf_executor trainer.warm_start_steps=0`): seeds then vary the RL
only, and a 13-minute WebShop warm start is paid twice instead of once per run.
`--warm-start KIND=DIR` (with it) starts every run of that kind from an existing export, e.g.
`--warm-start hierarchical=runs/debug-webshop/warm_start/hf_executor`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from himac.report import eval_points, iteration_rows, load_metrics  # noqa: E402

VARIANTS: dict[str, list[str]] = {
    "himac": [],  # the config as it is
    "flat": ["coevolution.hierarchical=false"],
    "no_coevo": ["coevolution.coevolve=false"],
    "no_sub_done": ["coevolution.use_sub_done=false"],
    "random_blueprint": ["coevolution.random_blueprint=true"],
}
WARM_START_KIND = {"himac": "hierarchical", "no_coevo": "hierarchical", "random_blueprint": "hierarchical",
                   "flat": "flat", "no_sub_done": "no_sub_done"}  # variants whose warm starts are identical
KINDS = ", ".join(dict.fromkeys(WARM_START_KIND.values()))
RECORD = "ablation_run.json"  # how this script's subprocess ended: return code, wall time
BLUEPRINT_TAIL = 10  # train/blueprint_len is averaged over this many last iterations


def run_overrides(variant: str, seed: int, minutes: float, run_dir: Path, extra: list[str]) -> list[str]:
    """The `himac train` overrides of one run: `extra`, then the variant's, then seed, budget and output."""
    return [*extra, *VARIANTS[variant], f"trainer.seed={seed}", f"learner.seed={seed}",
            f"trainer.time_limit_min={minutes}", f"trainer.output_dir={run_dir}", "trainer.resume=off",
            "trainer.progress_bar=false"]


@dataclass
class Run:
    """One (variant, seed) run as read back from its directory; success rates in [0, 1]."""

    variant: str
    seed: int
    returncode: int | None  # None: the run was not started by this script (no ablation_run.json)
    finished: bool  # summary.json written and the process exited 0
    init: float | None  # held-out success before the warm start ("init" row)
    start: float | None  # after the warm start, before RL ("eval" row, iteration 0)
    final: float | None  # the last evaluation
    best: float | None  # the best evaluation from `start` on
    score_start: float | None  # eval/score (WebShop's purchase score) at `start` and at the end
    score_final: float | None
    blueprint_len: float | None  # mean train/blueprint_len over the last BLUEPRINT_TAIL iterations
    iterations: int
    warm_start_s: float | None
    rl_s: float  # sum of timing/iteration
    wall_s: float | None  # the whole subprocess (start-up, warm start, RL, checkpoint)

    @property
    def gain(self) -> float | None:
        return None if self.start is None or self.final is None else self.final - self.start

    @property
    def status(self) -> str:
        if self.finished:
            return "ok"
        return f"failed (rc={self.returncode})" if self.returncode else "failed (no summary.json)"


def read_run(run_dir: Path, variant: str, seed: int) -> Run:
    """Extract a run's numbers from `<run_dir>/metrics.jsonl` (missing or partial files give None / 0)."""
    metrics = run_dir / "metrics.jsonl"
    rows = load_metrics(metrics)[0] if metrics.is_file() else []
    record = json.loads((run_dir / RECORD).read_text()) if (run_dir / RECORD).is_file() else {}
    returncode = record.get("returncode")
    evals = [r for _, r in eval_points(rows)]  # from the post-warm-start eval on, in order
    iters = iteration_rows(rows)

    def phase_value(phase: str, key: str) -> float | None:
        return next((r[key] for r in rows if r.get("phase") == phase and key in r), None)

    lens = [r["train/blueprint_len"] for r in iters if "train/blueprint_len" in r][-BLUEPRINT_TAIL:]
    return Run(
        variant=variant, seed=seed, returncode=returncode,
        finished=(run_dir / "summary.json").is_file() and not returncode,
        init=phase_value("init", "eval/success_rate"),
        start=phase_value("eval", "eval/success_rate"),
        final=evals[-1]["eval/success_rate"] if evals else None,
        best=max((r["eval/success_rate"] for r in evals), default=None),
        score_start=phase_value("eval", "eval/score"),
        score_final=evals[-1].get("eval/score") if evals else None,
        blueprint_len=statistics.fmean(lens) if lens else None,
        iterations=len(iters),
        warm_start_s=phase_value("warm_start", "timing/warm_start"),
        rl_s=sum(r["timing/iteration"] for r in iters),
        wall_s=record.get("wall_s"),
    )


def shared_warm_start(variant: str, exports: dict[str, Path]) -> list[str]:
    """Overrides that start `variant` from an earlier run's warm-started model of its kind ([] if none)."""
    src = exports.get(WARM_START_KIND[variant])
    return [] if src is None else [f"model.path={src}", "trainer.warm_start_steps=0"]


def train(config: str, overrides: list[str], run_dir: Path) -> None:
    """Run `himac train` into `run_dir`, output to train.log; record its return code and wall time."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("summary.json", "metrics.jsonl", RECORD):  # a failed rerun must not show an older run
        (run_dir / stale).unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "himac.train", config, *overrides]
    env = {"RAY_AUTH_MODE": "disabled", "VLLM_ALLOW_INSECURE_SERIALIZATION": "1", **os.environ}
    t0 = time.time()
    with open(run_dir / "train.log", "w") as log:
        log.write(f"$ {shlex.join(cmd)}\n")
        log.flush()
        returncode = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env).returncode
    record = {"command": cmd, "returncode": returncode, "wall_s": time.time() - t0}
    (run_dir / RECORD).write_text(json.dumps(record, indent=2))


# .. the table .................................................................................
class Spread(NamedTuple):
    mean: float
    half_range: float  # (max - min) / 2 over the seeds


def mean_spread(values: list[float]) -> Spread | None:
    """Mean and half the range of `values`; None when empty."""
    return Spread(statistics.fmean(values), (max(values) - min(values)) / 2) if values else None


def summarise(runs: list[Run]) -> dict[str, dict[str, Spread | None]]:
    """Per variant, over its finished runs: (mean, half range) of each reported number."""
    keys = ("start", "final", "gain", "best", "score_final", "blueprint_len", "iterations", "rl_s", "wall_s")
    out = {}
    for variant in dict.fromkeys(r.variant for r in runs):
        ok = [r for r in runs if r.variant == variant and r.finished]
        out[variant] = {k: mean_spread([v for r in ok if (v := getattr(r, k)) is not None]) for k in keys}
    return out


def _fmt(ms: Spread | None, scale: float = 1.0, spec: str = ".1f", spread: bool = False) -> str:
    """'mean' or 'mean ± half range' (both times `scale`), or '—'."""
    if ms is None:
        return "—"
    return f"{ms.mean * scale:{spec}}" + (f" ± {ms.half_range * scale:{spec.lstrip('+')}}" if spread else "")


def _num(v: float | None, scale: float = 1.0, spec: str = ".1f") -> str:
    return "—" if v is None else f"{v * scale:{spec}}"


def markdown(runs: list[Run], config: str, minutes: float, command: str, date: str) -> str:
    """The ablation report: one row per variant, then one per (variant, seed)."""
    stats = summarise(runs)
    score = any(r.score_final is not None for r in runs)
    head = ["variant", "overrides", "finished", "after warm start (%)", "final (%)", "gain (points)", "best (%)"]
    head += ["final score"] * score + ["blueprint len", "iterations", "RL min", "wall min"]
    lines = [f"# Ablation: {config}", "",
             f"{date}; {minutes:g} min of RL per run after the warm start (`trainer.time_limit_min`).", "",
             "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for variant, s in stats.items():
        mine = [r for r in runs if r.variant == variant]
        ok = [r for r in mine if r.finished]
        finished = f"{len(ok)}/{len(mine)}" + "".join(
            f"; s{r.seed} {r.status}" for r in mine if not r.finished)
        seeds = len(ok) > 1
        cells = [variant, " ".join(f"`{o}`" for o in VARIANTS[variant]) or "(config)", finished,
                 _fmt(s["start"], 100, spread=seeds), _fmt(s["final"], 100, spread=seeds),
                 _fmt(s["gain"], 100, "+.1f", seeds), _fmt(s["best"], 100, spread=seeds)]
        cells += [_fmt(s["score_final"], 1, ".3f", seeds)] * score
        cells += [_fmt(s["blueprint_len"], 1, ".2f"), _fmt(s["iterations"], 1, ".0f"),
                  _fmt(s["rl_s"], 1 / 60), _fmt(s["wall_s"], 1 / 60)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Held-out success (`eval/success_rate`): mean ± half the range (max − min) / 2 over the "
              "seeds that finished; gain = final − after warm start per seed, then averaged. "
              "Blueprint length (`train/blueprint_len`, mean of the last "
              f"{BLUEPRINT_TAIL} iterations), iterations and minutes are means.", "",
              "## Per seed", ""]
    head = ["variant", "seed", "status", "init (%)", "after warm start (%)", "final (%)", "gain (points)",
            "best (%)"] + ["score start → final"] * score + ["iterations", "warm start min", "RL min", "wall min"]
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in runs:
        cells = [r.variant, str(r.seed), r.status, _num(r.init, 100), _num(r.start, 100), _num(r.final, 100),
                 _num(r.gain, 100, "+.1f"), _num(r.best, 100)]
        cells += [f"{_num(r.score_start, 1, '.3f')} → {_num(r.score_final, 1, '.3f')}"] * score
        cells += [str(r.iterations), _num(r.warm_start_s, 1 / 60), _num(r.rl_s, 1 / 60), _num(r.wall_s, 1 / 60)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Command (each run's own `himac train` command is the first line of its `train.log`):", "",
              f"```\n{command}\n```"]
    return "\n".join(lines) + "\n"


def _shown_path(path: str) -> str:
    """A path as the results page shows it: relative to the working directory (the project root)
    when it lies below it, so the command reads the same in any clone."""
    rel = os.path.relpath(os.path.abspath(path))
    return path if rel.startswith("..") else rel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="YAML config, e.g. configs/debug/webshop.yaml")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--variants", nargs="+", default=["himac", "flat", "no_coevo"], metavar="VARIANT",
                        help=f"any of: {', '.join(VARIANTS)}")
    parser.add_argument("--minutes", type=float, required=True, help="RL minutes per run after the warm start")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skip-existing", action="store_true", help="reuse runs whose summary.json exists")
    parser.add_argument("--share-warm-start", action="store_true",
                        help="warm-start once per kind of warm start; the other runs start from its export")
    parser.add_argument("--warm-start", action="append", default=[], metavar="KIND=DIR",
                        help=f"with --share-warm-start: an existing export for a kind ({KINDS})")
    parser.add_argument("overrides", nargs="*", help="key=value overrides for every run")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        hint = "; key=value overrides go after the options" if any("=" in v for v in unknown) else ""
        parser.error(f"unknown variant(s) {', '.join(unknown)}; allowed: {', '.join(VARIANTS)}{hint}")
    if not Path(args.config).is_file():
        parser.error(f"config not found: {args.config}")
    exports = {}
    for spec in args.warm_start:
        kind, _, path = spec.partition("=")
        if kind not in WARM_START_KIND.values() or not (Path(path) / "config.json").is_file():
            parser.error(f"--warm-start {spec}: want KIND=DIR with KIND one of {KINDS} and DIR a model "
                         "directory (config.json)")
        exports[kind] = Path(path).resolve()
    if exports and not args.share_warm_start:
        parser.error("--warm-start needs --share-warm-start")
    if args.minutes <= 0:
        parser.error("--minutes must be > 0 (trainer.time_limit_min=0 would mean no time limit)")

    command = shlex.join([_shown_path(sys.executable), _shown_path(sys.argv[0]), *argv])
    date = datetime.now().astimezone().isoformat(timespec="seconds")
    pairs = [(v, s) for v in dict.fromkeys(args.variants) for s in dict.fromkeys(args.seeds)]
    runs = []
    for i, (variant, seed) in enumerate(pairs, 1):
        run_dir = args.out / f"{variant}-s{seed}"
        reuse = shared_warm_start(variant, exports) if args.share_warm_start else []
        if args.skip_existing and (run_dir / "summary.json").is_file():
            print(f"[{i}/{len(pairs)}] {variant} seed {seed}: reusing {run_dir}", flush=True)
        else:
            print(f"[{i}/{len(pairs)}] {variant} seed {seed}: training, log in {run_dir / 'train.log'}", flush=True)
            train(args.config, run_overrides(variant, seed, args.minutes, run_dir, [*args.overrides, *reuse]), run_dir)
        runs.append(read_run(run_dir, variant, seed))
        export = run_dir / "warm_start" / "hf_executor"  # one model (model.shared); hf_planner beside it: two
        if args.share_warm_start and not reuse and export.is_dir() and not export.with_name("hf_planner").exists():
            exports.setdefault(WARM_START_KIND[variant], export.resolve())
        print(f"    {runs[-1].status}", flush=True)

    md = markdown(runs, args.config, args.minutes, command, date)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ablation.md").write_text(md)
    raw = {"command": command, "date": date, "config": args.config, "minutes": args.minutes,
           "overrides": args.overrides, "variants": {v: VARIANTS[v] for v in dict.fromkeys(args.variants)},
           "runs": [{**asdict(r), "gain": r.gain, "status": r.status} for r in runs],
           "summary": {v: {k: ms and ms._asdict() for k, ms in s.items()} for v, s in summarise(runs).items()}}
    (args.out / "ablation.json").write_text(json.dumps(raw, indent=2))
    print("\n" + md)
    return 0


if __name__ == "__main__":
    sys.exit(main())

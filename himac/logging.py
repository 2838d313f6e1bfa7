"""Metrics sinks: console progress bar, JSONL, TensorBoard, and W&B / MLflow when configured."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from himac.config import HiMACConfig, to_dict

SHOWN = {"train/success_rate": "train_success", "eval/success_rate": "eval_success", "timing/iteration": "s_per_it"}


class MetricsLogger:
    """One JSON object per line in `<output_dir>/metrics.jsonl`, plus optional sinks."""

    def __init__(self, out_dir: Path, cfg: HiMACConfig, *, resume_after: int | None = None) -> None:
        """A fresh run starts a new metrics file. A run resumed from the checkpoint of iteration
        `resume_after` keeps the rows up to it (rows logged after that checkpoint, before the run
        died, are dropped: they are about to be redone) and counts them in the summary."""
        self.out = Path(out_dir)
        self.cfg = cfg
        path = self.out / "metrics.jsonl"
        self.history: list[dict[str, Any]] = []
        if resume_after is not None and path.exists():
            self.history = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        self.bar: tqdm | None = None
        self.jsonl = self.tb = self.wandb = self.mlflow = None
        self._open_files(resume_after)
        if cfg.trainer.wandb_project:
            import wandb

            self.wandb = wandb.init(project=cfg.trainer.wandb_project, config=to_dict(cfg), dir=str(self.out))
        if cfg.trainer.mlflow_tracking_uri:
            import mlflow

            mlflow.set_tracking_uri(cfg.trainer.mlflow_tracking_uri)
            mlflow.start_run()
            self.mlflow = mlflow

    def progress(self, total: int, initial: int) -> tqdm:
        """The iteration progress bar (the loop calls `update`; a rewind sets `n`)."""
        self.bar = tqdm(total=total, initial=initial, desc="himac", unit="it", dynamic_ncols=True, file=sys.stdout,
                        disable=not self.cfg.trainer.progress_bar)
        return self.bar

    def rewind(self, iteration: int) -> None:
        """Forget the rows logged after `iteration` (a checkpoint about to be resumed in this job): they are
        redone, as after a resume."""
        self.jsonl.close()
        if self.tb is not None:
            self.tb.close()
        self._open_files(iteration)

    def _open_files(self, keep_until: int | None) -> None:
        """(Re)write metrics.jsonl with the history rows up to iteration `keep_until` (all: None) and open
        TensorBoard, which drops its own events from the first step after it on."""
        if keep_until is not None:
            self.history = [r for r in self.history if r.get("iteration", -1) <= keep_until]
        self.jsonl = open(self.out / "metrics.jsonl", "w")
        for row in self.history:
            self.jsonl.write(json.dumps(row, default=float) + "\n")
        self.jsonl.flush()
        if self.cfg.trainer.tensorboard:
            from torch.utils.tensorboard import SummaryWriter

            purge = keep_until + 2 if keep_until is not None else None
            self.tb = SummaryWriter(str(self.out / "tensorboard"), purge_step=purge)

    def info(self, msg: str) -> None:
        (self.bar.write if self.bar is not None else print)(msg)

    def log(self, iteration: int, metrics: dict[str, Any], step_offset: bool = True) -> None:
        row = {"iteration": iteration, **metrics}
        self.history.append(row)
        self.jsonl.write(json.dumps(row, default=float) + "\n")
        self.jsonl.flush()
        numeric = {k: float(v) for k, v in metrics.items() if isinstance(v, (int, float)) and math.isfinite(v)}
        step = iteration + 1 if step_offset else iteration
        if self.tb is not None:
            for k, v in numeric.items():
                self.tb.add_scalar(k, v, step)
        if self.wandb is not None:
            self.wandb.log(numeric, step=max(step, 0))
        if self.mlflow is not None:
            self.mlflow.log_metrics({k.replace("/", "."): v for k, v in numeric.items()}, step=max(step, 0))
        shown = {name: f"{numeric[k]:.3g}" for k, name in SHOWN.items() if k in numeric}
        if self.bar is not None and not self.bar.disable:
            self.bar.set_postfix(phase=metrics.get("phase", ""), **shown)
        if "eval/success_rate" in numeric:
            self.info(f"[iter {iteration}] eval success {numeric['eval/success_rate']:.3f} "
                      f"(return {numeric.get('eval/return', float('nan')):.2f}, "
                      f"valid {numeric.get('eval/valid_action_ratio', float('nan')):.2f})")

    def summary(self) -> dict[str, Any]:
        """First and last evaluation, best success, mean stage times; also printed and saved."""
        evals = [r for r in self.history if "eval/success_rate" in r]
        iters = [r for r in self.history if "timing/iteration" in r]
        s: dict[str, Any] = {"iterations": len(iters)}
        if evals:
            s.update(eval_success_first=evals[0]["eval/success_rate"], eval_success_last=evals[-1]["eval/success_rate"],
                     eval_success_best=max(r["eval/success_rate"] for r in evals))
        warm = [r for r in self.history if r.get("phase") == "warm_start"]
        if warm and len(evals) > 1:
            s["eval_success_after_warm_start"] = evals[1]["eval/success_rate"]
        if iters:
            keys = sorted({k for r in iters for k in r if k.startswith("timing/")})
            s["mean_timing_s"] = {k[7:]: sum(r.get(k, 0.0) for r in iters) / len(iters) for k in keys}
        (self.out / "summary.json").write_text(json.dumps(s, indent=2))
        lines = ["", "== HiMAC-RL run summary ==", f"output: {self.out}", f"iterations: {s['iterations']}"]
        if "eval_success_after_warm_start" in s:  # the warm start's gain and the RL gain, apart
            start = s["eval_success_after_warm_start"]
            lines.append(f"eval success: {s['eval_success_first']:.3f} -> {start:.3f} after the warm start")
            lines.append(f"RL:           {start:.3f} -> {s['eval_success_last']:.3f} "
                         f"({100 * (s['eval_success_last'] - start):+.1f} points; best {s['eval_success_best']:.3f})")
        elif evals:
            lines.append(f"eval success: {s['eval_success_first']:.3f} -> {s['eval_success_last']:.3f} "
                         f"(best {s['eval_success_best']:.3f})")
        for k, v in s.get("mean_timing_s", {}).items():
            lines.append(f"  {k:<14} {v:7.2f} s/iter")
        self.info("\n".join(lines))
        return s

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.jsonl.close()
        if self.tb is not None:
            self.tb.close()
        if self.wandb is not None:
            self.wandb.finish()
        if self.mlflow is not None:
            self.mlflow.end_run()


NESTED_TIMINGS = ("timing/iteration", "timing/eval", "timing/generate", "timing/env",  # inside generate_env
                  "timing/logprob", "timing/update")  # inside learn


def with_timing(m: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The iteration's wall time, the part no stage accounts for, and learner tokens per second."""
    m["timing/iteration"] = seconds
    stages = sum(v for k, v in m.items() if k.startswith("timing/") and k not in NESTED_TIMINGS)
    m["timing/overhead"] = max(0.0, seconds - stages - m.get("timing/eval", 0.0))
    m["perf/tokens_per_s"] = m.get("learn/tokens", 0) / max(seconds, 1e-9)
    return m

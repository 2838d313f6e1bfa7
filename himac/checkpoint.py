"""Checkpoint discovery and checks: `trainer.resume=auto|off|<path>`.

A checkpoint directory holds learner_<role>/ (DeepSpeed states), hf_<role>/ (safetensors
weights + tokenizer), driver_state.pt, config.yaml and a COMPLETE marker written last, so
a half-written checkpoint is never mistaken for a good one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from himac.config import HiMACConfig, to_dict

# Keys that may differ between the run that wrote a checkpoint and the one resuming it.
MAY_DIFFER = {("trainer", "iterations"), ("trainer", "resume"), ("trainer", "eval_every"), ("trainer", "progress_bar"),
              ("trainer", "time_limit_min"), ("trainer", "output_dir"), ("resources", "ray_address"),
              ("trainer", "tensorboard"), ("trainer", "wandb_project"), ("trainer", "mlflow_tracking_uri"),
              ("trainer", "checkpoint_every"), ("trainer", "keep_checkpoints"),
              ("trainer", "checkpoint_every_min"), ("trainer", "max_aborted_fraction"), ("trainer", "max_skipped_steps")}


def latest_checkpoint(out_dir: Path) -> Path | None:
    root = Path(out_dir) / "checkpoints"
    if not root.is_dir():
        return None
    done = sorted(p for p in root.iterdir() if (p / "COMPLETE").exists())
    return done[-1] if done else None


def resolve_resume(resume: str, out_dir: Path) -> Path | None:
    if resume == "off":
        return None
    if resume == "auto":
        return latest_checkpoint(out_dir)
    path = Path(resume)
    if (path / "checkpoints").is_dir():
        path = latest_checkpoint(path) or path
    if not path.is_dir():
        raise FileNotFoundError(f"trainer.resume: no checkpoint directory at {path}")
    return path


def check_checkpoint(ckpt: Path, cfg: HiMACConfig) -> None:
    """Refuse damaged checkpoints and checkpoints written under another config."""
    ckpt = Path(ckpt)
    if not (ckpt / "COMPLETE").exists():
        raise RuntimeError(f"checkpoint {ckpt} is incomplete (no COMPLETE marker): it was interrupted while saving")
    missing = [n for n in ("driver_state.pt", "config.yaml") if not (ckpt / n).exists()]
    if missing or not any(ckpt.glob("learner_*")):
        raise RuntimeError(f"checkpoint {ckpt} is damaged: missing {missing or ['learner_*']}")
    saved = yaml.safe_load((ckpt / "config.yaml").read_text())
    now = to_dict(cfg)
    diffs = [f"{s}.{k}: checkpoint {saved.get(s, {}).get(k)!r} vs now {v!r}"
             for s, sec in now.items() for k, v in sec.items()
             if (s, k) not in MAY_DIFFER and saved.get(s, {}).get(k) != v]
    if diffs:
        raise RuntimeError(f"checkpoint {ckpt} was written under another config; differing keys:\n  " + "\n  ".join(diffs))

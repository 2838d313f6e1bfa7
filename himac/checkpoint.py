"""Checkpoints: writing and loading them (learners, run state, RNGs), and finding and checking
them for `trainer.resume=auto|off|<path>`.

A checkpoint directory holds learner_<model>/ (DeepSpeed states), hf_<model>/ (safetensors
weights + tokenizer), driver_state.pt, config.yaml, MANIFEST.json (every file's size, and
its sha256 up to HASH_LIMIT bytes) and a COMPLETE marker written last, so a half-written
checkpoint is never mistaken for a good one and a damaged one is named before it is loaded.
`resume=auto` takes the newest checkpoint that passes these checks, warning about the others.
"""

from __future__ import annotations

import errno
import hashlib
import json
import random
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import yaml

from himac.config import ConfigError, HiMACConfig, to_dict, to_yaml
from himac.tasks import Task

if TYPE_CHECKING:
    from himac.policy import Models

# Keys that may differ between the run that wrote a checkpoint and the one resuming it.
MAY_DIFFER = {("trainer", "iterations"), ("trainer", "resume"), ("trainer", "eval_every"), ("trainer", "progress_bar"),
              ("trainer", "time_limit_min"), ("trainer", "output_dir"), ("resources", "ray_address"),
              ("trainer", "tensorboard"), ("trainer", "wandb_project"), ("trainer", "mlflow_tracking_uri"),
              ("trainer", "checkpoint_every"), ("trainer", "keep_checkpoints"),
              ("trainer", "checkpoint_every_min"), ("trainer", "max_aborted_fraction"), ("trainer", "max_skipped_steps"),
              ("trainer", "log_episodes"), ("trainer", "log_train_episodes"), ("trainer", "max_recoveries"),
              ("trainer", "max_worker_replacements"), ("rollout", "cpu_runtime"), ("rollout", "kv_cache_gib"),
              ("rollout", "kv_block_size")}


MANIFEST = "MANIFEST.json"
HASH_LIMIT = 256 << 20  # larger files (multi-GB optimizer states) are checked by size only


class CheckpointDamaged(RuntimeError):
    """A checkpoint file is missing, truncated or altered since it was written."""


def complete_checkpoints(out_dir: Path) -> list[Path]:
    """Checkpoints under `<out_dir>/checkpoints` with a COMPLETE marker, oldest first."""
    root = Path(out_dir) / "checkpoints"
    return sorted(p for p in root.iterdir() if (p / "COMPLETE").exists()) if root.is_dir() else []


def latest_checkpoint(out_dir: Path) -> Path | None:
    done = complete_checkpoints(out_dir)
    return done[-1] if done else None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(ckpt: Path) -> None:
    """Record every file's size (and sha256 up to HASH_LIMIT); written just before COMPLETE."""
    files = {}
    for p in sorted(Path(ckpt).rglob("*")):
        if p.is_file() and p.name not in (MANIFEST, "COMPLETE"):
            size = p.stat().st_size
            files[p.relative_to(ckpt).as_posix()] = {"size": size, "sha256": _sha256(p) if size <= HASH_LIMIT else None}
    (Path(ckpt) / MANIFEST).write_text(json.dumps(files, indent=1))


def verify_files(ckpt: Path) -> None:
    """Raise CheckpointDamaged naming the first file that is missing, truncated or altered."""
    ckpt = Path(ckpt)
    if not (ckpt / "COMPLETE").exists():
        raise CheckpointDamaged(f"checkpoint {ckpt} is incomplete (no COMPLETE marker): it was interrupted while saving")
    try:
        files = json.loads((ckpt / MANIFEST).read_text())
    except FileNotFoundError:
        files = None
    except (ValueError, OSError) as e:
        raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: {ckpt / MANIFEST} is unreadable ({e})") from e
    if files is None:  # written before manifests existed: only the presence of the parts is checked
        missing = [n for n in ("driver_state.pt", "config.yaml") if not (ckpt / n).exists()]
        if missing or not any(ckpt.glob("learner_*")):
            raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: missing {missing or ['learner_*']}")
        return
    for rel, want in files.items():
        path = ckpt / rel
        if not path.is_file():
            raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: {path} is missing")
        size = path.stat().st_size
        if size != want["size"]:
            raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: {path} has {size} bytes, "
                                    f"{want['size']} were written")
        if want["sha256"] is not None and _sha256(path) != want["sha256"]:
            raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: {path} differs from what was written (sha256)")


def resolve_resume(resume: str, out_dir: Path) -> Path | None:
    """`off` -> None; `auto` -> the newest intact checkpoint in out_dir (None if there is none);
    a path -> that checkpoint (or the newest intact one, for a run directory)."""
    if resume == "off":
        return None
    root = Path(out_dir) if resume == "auto" else Path(resume)
    if resume != "auto" and not (root / "checkpoints").is_dir():
        if not root.is_dir():
            raise ConfigError(f"trainer.resume: no checkpoint or run directory at {root}; use trainer.resume=auto "
                              "(the newest checkpoint in trainer.output_dir), off, or an existing checkpoint path")
        verify_files(root)
        return root
    done = complete_checkpoints(root)
    damaged = []
    for ckpt in reversed(done):
        try:
            verify_files(ckpt)
        except CheckpointDamaged as e:
            damaged.append(str(e))
            continue
        if damaged:
            warnings.warn("skipping damaged checkpoints, resuming from the previous intact one, "
                          f"{ckpt}:\n  " + "\n  ".join(damaged), stacklevel=2)
        return ckpt
    if damaged:
        raise CheckpointDamaged(f"every checkpoint in {root / 'checkpoints'} is damaged:\n  " + "\n  ".join(damaged))
    if resume != "auto":
        raise ConfigError(f"trainer.resume: no complete checkpoint in {root / 'checkpoints'}; use "
                          "trainer.resume=off to start afresh")
    return None


def check_checkpoint(ckpt: Path, cfg: HiMACConfig) -> None:
    """Refuse damaged checkpoints and checkpoints written under another config."""
    ckpt = Path(ckpt)
    verify_files(ckpt)
    try:
        saved = yaml.safe_load((ckpt / "config.yaml").read_text())
        if not isinstance(saved, dict):
            raise ValueError(f"a mapping was expected, got {type(saved).__name__}")
    except (yaml.YAMLError, ValueError) as e:
        raise CheckpointDamaged(f"checkpoint {ckpt} is damaged: {ckpt / 'config.yaml'} is not a valid config "
                                f"({str(e).splitlines()[0]})") from e
    now = to_dict(cfg)
    diffs = [f"{s}.{k}: checkpoint {saved.get(s, {}).get(k)!r} vs now {v!r}"
             for s, sec in now.items() for k, v in sec.items()
             if (s, k) not in MAY_DIFFER and saved.get(s, {}).get(k) != v]
    if diffs:
        raise RuntimeError(f"checkpoint {ckpt} was written under another config; differing keys:\n  " + "\n  ".join(diffs))


@dataclass
class RunState:
    """Everything besides the learners that a resumed run needs to continue exactly."""

    iteration: int = 0
    best_blueprints: dict[str, tuple[list[str], float]] = field(default_factory=dict)  # task id -> (blueprint, return)
    last_phase_a_tasks: list[Task] = field(default_factory=list)
    warm_started: bool = False


def save_checkpoint(out_dir: Path, it: int, models: Models, state: RunState, cfg: HiMACConfig, tok: Any) -> Path:
    """Write <out_dir>/checkpoints/iter_<it>/ (a MANIFEST of sizes and hashes, then COMPLETE last) and
    prune old ones. On a full disk the partial checkpoint is removed and the error names the intact one."""
    ckpt = Path(out_dir) / "checkpoints" / f"iter_{it:06d}"
    try:
        ckpt.mkdir(parents=True, exist_ok=True)
        for policy in models.all():
            policy.save(ckpt, tok)
        rng = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
        torch.save({"iteration": it, "best_blueprints": state.best_blueprints, "warm_started": state.warm_started,
                    "last_phase_a_tasks": state.last_phase_a_tasks, "rng": rng}, ckpt / "driver_state.pt")
        (ckpt / "config.yaml").write_text(to_yaml(cfg))
        write_manifest(ckpt)
        (ckpt / "COMPLETE").write_text(str(it))
    except Exception as e:
        if not _out_of_space(e, ckpt):
            raise
        shutil.rmtree(ckpt, ignore_errors=True)  # never COMPLETE: free what it took
        raise RuntimeError(
            f"no space left on device while writing checkpoint {ckpt} ({shutil.disk_usage(ckpt.parent).free} "
            f"bytes free there); the previous checkpoint {latest_checkpoint(out_dir)} is intact: free "
            "space and resume with trainer.resume=auto") from e
    keep = cfg.trainer.keep_checkpoints
    for old in complete_checkpoints(out_dir)[:-keep] if keep > 0 else []:
        shutil.rmtree(old)
    return ckpt


def load_checkpoint(ckpt: Path, models: Models) -> RunState:
    """Restore the learners, the run state and the RNGs from a checkpoint that passed check_checkpoint
    (the caller then syncs the engines)."""
    import ray

    for policy in models.all():
        try:
            policy.load(ckpt)
        except ray.exceptions.RayTaskError as e:
            raise CheckpointDamaged(f"checkpoint {ckpt}: learner_{policy.name}/ could not be loaded "
                                    f"({str(e).strip().splitlines()[-1]})") from e
    try:
        st = torch.load(ckpt / "driver_state.pt", weights_only=False)
    except Exception as e:
        raise CheckpointDamaged(f"checkpoint {ckpt}: {ckpt / 'driver_state.pt'} could not be read ({e})") from e
    random.setstate(st["rng"]["python"])
    np.random.set_state(st["rng"]["numpy"])
    torch.set_rng_state(st["rng"]["torch"])
    return RunState(st["iteration"], st["best_blueprints"], st["last_phase_a_tasks"], st["warm_started"])


def _out_of_space(e: BaseException, path: Path) -> bool:
    """Whether a failed write met a full disk: ENOSPC or its message anywhere in the exception chain (a
    learner's error arrives wrapped by Ray), or no room left where it wrote (torch.save's C++ stream only
    says `basic_ios::clear`)."""
    cause: BaseException | None = e
    while cause is not None:
        if getattr(cause, "errno", None) == errno.ENOSPC or "No space left on device" in str(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    try:
        return shutil.disk_usage(path.parent).free < 16 << 20
    except OSError:
        return False

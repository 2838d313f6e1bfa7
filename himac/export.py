"""`himac export --checkpoint X --out Y`: a checkpoint's policies as standalone Hugging Face models.

Writes `Y/executor/` and `Y/planner/`, each a complete model directory (config, safetensors
weights, tokenizer with its chat template, generation config) that transformers and vLLM
load with no HiMAC code. In shared-model mode (`model.shared=true`) one network plays both
levels and the checkpoint holds only `hf_executor/`: `Y/planner/` is then a full copy of the
same model, so that both paths always exist and serve alone. `Y/export.json` records the
source checkpoint, its iteration and whether the two directories hold the same weights.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from himac.checkpoint import latest_checkpoint, verify_files

LEVELS = ("executor", "planner")


def export(checkpoint: str | Path, out: str | Path) -> list[Path]:
    """Export the planner and executor of a checkpoint (or of a run's latest complete one);
    a checkpoint whose files differ from its MANIFEST is refused (`CheckpointDamaged`)."""
    ckpt = resolve_checkpoint(Path(checkpoint))
    verify_files(ckpt)
    out = Path(out)
    taken = [out / level for level in LEVELS if (out / level).exists()]
    if taken:
        raise FileExistsError(f"export target already exists: {', '.join(map(str, taken))} (remove it first)")
    sources = {level: ckpt / f"hf_{level}" for level in LEVELS}
    shared = not sources["planner"].exists()
    if shared:
        sources["planner"] = sources["executor"]
    for src in dict.fromkeys(sources.values()):
        check_hf_dir(src)

    out.mkdir(parents=True, exist_ok=True)
    written = [Path(shutil.copytree(src, out / level)) for level, src in sources.items()]
    manifest = {
        "checkpoint": str(ckpt.resolve()),
        "iteration": _iteration(ckpt),
        "shared_model": shared,
        **{level: {"path": level, "source": src.name} for level, src in sources.items()},
    }
    (out / "export.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return written


def resolve_checkpoint(path: Path) -> Path:
    """A checkpoint directory itself, or a run directory's latest checkpoint with a COMPLETE marker."""
    if not path.is_dir():
        raise FileNotFoundError(f"no checkpoint or run directory at {path}")
    if (path / "checkpoints").is_dir():
        latest = latest_checkpoint(path)
        if latest is None:
            raise FileNotFoundError(f"run {path} has no complete checkpoint under {path / 'checkpoints'}")
        return latest
    if not (path / "COMPLETE").exists():
        raise RuntimeError(
            f"checkpoint {path} is incomplete (no COMPLETE marker): it was interrupted while saving, "
            "or it is not a checkpoint directory"
        )
    return path


def _iteration(ckpt: Path) -> int | None:
    """The iteration the trainer wrote into the COMPLETE marker."""
    text = (ckpt / "COMPLETE").read_text().strip()
    return int(text) if text.isdigit() else None


def check_hf_dir(path: Path) -> None:
    """Refuse a model directory that could not be loaded alone: config, safetensors weights, tokenizer."""
    if not path.is_dir():
        raise FileNotFoundError(f"no model directory at {path}")
    missing = [name for name in ("config.json", "tokenizer_config.json") if not (path / name).is_file()]
    if not any(path.glob("*.safetensors")):
        missing.append("*.safetensors")
    if not any((path / name).is_file() for name in ("tokenizer.json", "vocab.json", "tokenizer.model")):
        missing.append("tokenizer.json (or vocab.json / tokenizer.model)")
    if missing:
        raise FileNotFoundError(f"model directory {path} is incomplete: missing {', '.join(missing)}")

"""Tests for `himac export`: standalone Hugging Face directories from a checkpoint, and its errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from himac.checkpoint import CheckpointDamaged, write_manifest
from himac.cli import main
from himac.export import export
from himac.tiny_model import CHAT_TEMPLATE, make_tiny_model

TEXT = "<plan><subgoal>push the box up</subgoal></plan><action>left</action>"
MESSAGES = [{"role": "user", "content": "push the box"}]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return make_tiny_model(str(tmp_path_factory.mktemp("tiny")))


@pytest.fixture(scope="module")
def planner_model(tiny, tmp_path_factory) -> Path:
    """The tiny model with a shifted output head: a planner that differs from the executor."""
    out = tmp_path_factory.mktemp("planner")
    model = AutoModelForCausalLM.from_pretrained(tiny)
    with torch.no_grad():
        model.lm_head.weight.add_(0.5 * torch.randn_like(model.lm_head.weight))
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(tiny).save_pretrained(out)
    return out


def _checkpoint(root: Path, it: int, executor: Path, planner: Path | None = None, complete: bool = True) -> Path:
    ckpt = root / "checkpoints" / f"iter_{it:06d}"
    shutil.copytree(executor, ckpt / "hf_executor")
    if planner is not None:
        shutil.copytree(planner, ckpt / "hf_planner")
    (ckpt / "learner_executor").mkdir()
    (ckpt / "config.yaml").write_text("model: {shared: true}\n")
    (ckpt / "driver_state.pt").write_bytes(b"state")
    write_manifest(ckpt)
    if complete:
        (ckpt / "COMPLETE").write_text(str(it))
    return ckpt


def _logits(model_dir: Path) -> torch.Tensor:
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    ids = tok(TEXT, return_tensors="pt").input_ids
    with torch.no_grad():
        return model(ids).logits


def test_shared_model_run_dir_exports_latest_complete(tiny, tmp_path):
    run = tmp_path / "run"
    _checkpoint(run, 1, tiny)
    _checkpoint(run, 3, tiny)
    _checkpoint(run, 5, tiny, complete=False)  # interrupted while saving: never exported
    out = tmp_path / "export"
    assert export(run, out) == [out / "executor", out / "planner"]
    manifest = json.loads((out / "export.json").read_text())
    assert manifest["checkpoint"] == str((run / "checkpoints" / "iter_000003").resolve())
    assert manifest["iteration"] == 3 and manifest["shared_model"] is True
    assert manifest["planner"] == {"path": "planner", "source": "hf_executor"}

    source = _logits(tiny)
    for role in ("executor", "planner"):
        assert torch.equal(_logits(out / role), source)
        tok = AutoTokenizer.from_pretrained(out / role)
        assert tok.chat_template == CHAT_TEMPLATE
        assert tok.apply_chat_template(MESSAGES, tokenize=False, add_generation_prompt=True) == (
            "<|im_start|>user\npush the box<|im_end|>\n<|im_start|>assistant\n")
        assert (out / role / "model.safetensors").is_file()


def test_separate_models_checkpoint_dir(tiny, planner_model, tmp_path, capsys):
    ckpt = _checkpoint(tmp_path / "run", 7, tiny, planner=planner_model)
    out = tmp_path / "export"
    assert main(["export", "--checkpoint", str(ckpt), "--out", str(out)]) == 0
    assert capsys.readouterr().out.split() == ["exported", str(out / "executor"), "exported", str(out / "planner")]
    assert json.loads((out / "export.json").read_text())["shared_model"] is False
    executor, planner = _logits(out / "executor"), _logits(out / "planner")
    assert torch.equal(executor, _logits(tiny))
    assert torch.equal(planner, _logits(planner_model))
    assert not torch.allclose(executor, planner)


def test_errors(tiny, tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint or run directory"):
        export(tmp_path / "nowhere", tmp_path / "out")

    run = tmp_path / "run"
    _checkpoint(run, 2, tiny, complete=False)
    with pytest.raises(FileNotFoundError, match="has no complete checkpoint"):
        export(run, tmp_path / "out")
    with pytest.raises(RuntimeError, match="incomplete \\(no COMPLETE marker\\)"):
        export(run / "checkpoints" / "iter_000002", tmp_path / "out")

    ckpt = _checkpoint(tmp_path / "run2", 4, tiny)
    (ckpt / "hf_executor" / "model.safetensors").unlink()
    with pytest.raises(CheckpointDamaged, match="model.safetensors is missing"):  # not as written
        export(ckpt, tmp_path / "out")
    (ckpt / "hf_executor" / "tokenizer.json").unlink()
    write_manifest(ckpt)  # written without them: intact, but not a loadable model directory
    with pytest.raises(FileNotFoundError, match="missing \\*.safetensors, tokenizer.json"):
        export(ckpt, tmp_path / "out")
    shutil.rmtree(ckpt / "hf_executor")
    write_manifest(ckpt)
    with pytest.raises(FileNotFoundError, match="no model directory at .*hf_executor"):
        export(ckpt, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written on error

    good = _checkpoint(tmp_path / "run3", 1, tiny)
    export(good, tmp_path / "out")
    with pytest.raises(FileExistsError, match="already exists"):
        export(good, tmp_path / "out")


def test_damaged_checkpoint_is_refused_naming_the_file(tiny, tmp_path):
    ckpt = _checkpoint(tmp_path / "run", 2, tiny)
    weights = ckpt / "hf_executor" / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in the weights, same size
    weights.write_bytes(bytes(data))
    with pytest.raises(CheckpointDamaged, match=r"model\.safetensors differs from what was written"):
        export(ckpt, tmp_path / "export")
    assert not (tmp_path / "export").exists()

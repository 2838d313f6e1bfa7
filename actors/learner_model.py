"""The learner's model: its dtype, frozen lower blocks, LoRA adapters (peft), and the merged
Hugging Face weights that exports and weight syncs send.

What trains, by config (`learner.*`):
  - full fine-tuning (default): every parameter;
  - `freeze_layers: N`: the input embeddings (with tied embeddings, the lm_head too) and the
    bottom N transformer blocks take no gradient, so they get no optimizer state and the
    backward pass stops above block N;
  - `lora_rank: r`: peft LoRA adapters on `lora_targets` (linear layers of every block above the
    frozen ones); the base weights are frozen and only the adapters have optimizer state.
    Embeddings and the lm_head are never adapted: vLLM serves no LoRA on them, and with
    SmolLM2's tied embeddings an adapted head would also change the input embeddings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

import torch

from himac.config import HiMACConfig

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def learner_dtype(name: str, cuda: bool) -> torch.dtype:
    """`model.dtype` -> the learner's weight dtype (auto: bf16 on GPU, fp32 on CPU)."""
    if name == "auto":
        return torch.bfloat16 if cuda else torch.float32
    return _DTYPES[name]


def build_policy_model(model_path: str, cfg: HiMACConfig, dtype: torch.dtype) -> torch.nn.Module:
    """The trainable policy: the checkpoint in `dtype`, lower blocks frozen, LoRA wrapped if configured."""
    from transformers import AutoModelForCausalLM

    lc = cfg.learner
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=dtype)
    blocks = decoder_blocks(model)
    if lc.freeze_layers > len(blocks):
        raise ValueError(f"learner.freeze_layers={lc.freeze_layers} but {model_path} has {len(blocks)} blocks")
    if lc.freeze_layers:
        model.get_input_embeddings().requires_grad_(False)
        for block in blocks[: lc.freeze_layers]:
            block.requires_grad_(False)
    if lc.lora_rank:
        model = _with_lora(model, cfg, len(blocks))
    if cfg.model.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        if lc.freeze_layers or lc.lora_rank:  # frozen inputs: checkpointed blocks still need a grad path
            model.enable_input_require_grads()
    return model


def _with_lora(model: torch.nn.Module, cfg: HiMACConfig, n_blocks: int) -> torch.nn.Module:
    from peft import LoraConfig, get_peft_model

    lc = cfg.learner
    present = {name.rsplit(".", 1)[-1] for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    missing = sorted(set(lc.lora_targets) - present)
    if missing:
        raise ValueError(f"learner.lora_targets {missing} name no linear layer of {cfg.model.path} "
                         f"(it has {sorted(present - {'lm_head'})})")
    layers = list(range(lc.freeze_layers, n_blocks)) if lc.freeze_layers else None
    config = LoraConfig(r=lc.lora_rank, lora_alpha=lc.lora_alpha, lora_dropout=0.0, bias="none",
                        target_modules=list(lc.lora_targets), layers_to_transform=layers, task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def decoder_blocks(model: torch.nn.Module) -> torch.nn.ModuleList:
    """The transformer blocks, bottom first (Llama/Qwen/Mistral `model.layers`, GPT-2 `transformer.h`)."""
    decoder = model.get_decoder() if hasattr(model, "get_decoder") else model.model
    for attr in ("layers", "h", "blocks"):
        if isinstance(getattr(decoder, attr, None), torch.nn.ModuleList):
            return getattr(decoder, attr)
    raise ValueError(f"cannot find the transformer blocks of {type(model).__name__} (learner.freeze_layers)")


def is_lora(model: torch.nn.Module) -> bool:
    from peft import PeftModel

    return isinstance(model, PeftModel)


def hf_model(model: torch.nn.Module) -> torch.nn.Module:
    """The transformers model under a peft wrapper (the model itself otherwise)."""
    return model.get_base_model() if is_lora(model) else model


def merged_weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """Hugging Face weights on CPU with LoRA merged in (peft's merge_and_unload on a copy, so the
    live adapters stay as they are); a tied lm_head is left out (the engines tie it themselves)."""
    if is_lora(model):
        merged = copy.deepcopy(model).merge_and_unload()
    else:
        merged = model
    out = {k: v.detach().cpu().clone() for k, v in merged.state_dict().items()}
    if merged.config.tie_word_embeddings:
        out.pop("lm_head.weight", None)
    return out


def trainable(model: torch.nn.Module) -> Iterator[torch.nn.Parameter]:
    return (p for p in model.parameters() if p.requires_grad)


def deepspeed_config(lc: Any, *, bf16: bool, cuda: bool) -> dict[str, Any]:
    """The learner's DeepSpeed config: one micro-batch per step call (accumulation is the caller's)."""
    ds = {
        "train_micro_batch_size_per_gpu": lc.micro_batch_size,
        "gradient_accumulation_steps": 1,
        "managed_gradient_accumulation": False,
        "gradient_clipping": lc.grad_clip,
        "zero_optimization": {"stage": lc.zero_stage},
        # bf16: bf16 weights and compute, fp32 master weights and optimizer state (DeepSpeed's
        # mixed-precision optimizer wrapper, which also runs on CPU with ZeRO stage 0)
        "bf16": {"enabled": bf16},
        "zero_allow_untested_optimizer": True,
        "steps_per_print": 10**9,
        "wall_clock_breakdown": False,
    }
    if lc.offload:
        ds["zero_optimization"]["offload_optimizer"] = {"device": "cpu", "pin_memory": cuda}
    return ds


def refuse_nonfinite(named: Iterable[tuple[str, torch.Tensor]], action: str) -> None:
    """Raise RuntimeError naming the non-finite weights, if there are any."""
    counts = ((name, int((~torch.isfinite(t.detach())).sum())) for name, t in named)
    bad = {name: n for name, n in counts if n}
    if bad:
        shown = ", ".join(f"{name} ({n})" for name, n in list(bad.items())[:5])
        raise RuntimeError(f"refusing to {action}: {sum(bad.values())} non-finite value(s) in {len(bad)} "
                           f"parameter tensor(s): {shown}{', ...' if len(bad) > 5 else ''}")


def full_parameters(model: torch.nn.Module, zero_stage: int) -> Iterator[tuple[str, torch.Tensor]]:
    """(name, whole parameter) pairs; under ZeRO-3 each is gathered while it is yielded."""
    if zero_stage != 3:
        yield from model.named_parameters()
        return
    import deepspeed

    for name, p in model.named_parameters():
        with deepspeed.zero.GatheredParameters([p]):
            yield name, p

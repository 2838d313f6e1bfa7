"""Functions that run inside a vLLM worker process (sent via `LLM.collective_rpc`).

They must live in an importable module so the engine process can unpickle them.
"""

from __future__ import annotations

import logging

import torch


class _RotaryReloadFilter(logging.Filter):
    """vLLM warns "RotaryEmbedding: Failed to load weights" on every reload: the rotary cache is
    a buffer, not a checkpoint weight, and is kept as it is. Harmless (the parity probe after
    each sync checks the served weights), so keep it out of every iteration's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "RotaryEmbedding: Failed to load weights" not in record.getMessage()


def load_weights(worker, named_tensors: list[tuple[str, torch.Tensor]]) -> int:
    """Reload weights in place; returns the number of tensors loaded.

    On CPU, vLLM keeps a pre-packed copy of some GEMM weights. `reload_weights` refreshes
    them for ordinary layers, but a tied lm_head (it shares the embedding) keeps its stale
    packed copy until its GEMM is dispatched again, so re-dispatch it after every reload.
    """
    reload_log = logging.getLogger("vllm.model_executor.model_loader.reload.layerwise")
    if not any(isinstance(f, _RotaryReloadFilter) for f in reload_log.filters):
        reload_log.addFilter(_RotaryReloadFilter())
    worker.reload_weights(weights_iterator=iter(named_tensors), is_checkpoint_format=True)
    model = worker.get_model() if hasattr(worker, "get_model") else worker.model_runner.model
    lm_head = getattr(model, "lm_head", None)
    if lm_head is not None and hasattr(lm_head, "cpu_linear"):
        from vllm.model_executor.layers.utils import dispatch_cpu_unquantized_gemm

        dispatch_cpu_unquantized_gemm(lm_head, remove_weight=False)
    return len(named_tensors)


def receive_broadcast(worker, specs: list[tuple[str, str, tuple[int, ...]]], group_name: str) -> int:
    """GPU path: receive every tensor from the learner's NCCL broadcast and load it."""
    from actors.weight_sync import get_group

    group = get_group(group_name)
    weights = []
    for name, dtype, shape in specs:
        buf = torch.empty(shape, dtype=getattr(torch, dtype), device="cuda")
        group.broadcast(buf, src=0)
        weights.append((name, buf))
    torch.cuda.synchronize()
    return load_weights(worker, weights)


def join_group(worker, group_name: str, master_addr: str, master_port: int, rank_offset: int, world_size: int) -> None:
    """GPU path: this vLLM worker joins the learner -> rollout NCCL group `group_name`."""
    from actors.weight_sync import init_group

    rank = rank_offset + getattr(worker, "rank", 0)
    init_group(group_name, master_addr, master_port, rank, world_size, torch.device("cuda", torch.cuda.current_device()))

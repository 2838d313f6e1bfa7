"""Learner -> rollout weight transfer.

CPU (and the fallback everywhere): the learner's rank 0 exports its weights once into
Ray's object store; every rollout worker reads the same object (`ObjectStoreSync`).

GPU: one NCCL group per policy ("himac-sync-planner", "himac-sync-executor") joins the
learner's rank 0 (rank 0 of the group) with every vLLM worker; the learner broadcasts
each tensor and the workers load them in place (`NcclSync`). Groups are built on vLLM's
`StatelessProcessGroup`, so they do not touch the learner's own torch.distributed world.

Either way the Policy runs a parity probe afterwards (`probe`), so stale weights
are never served silently.
"""

from __future__ import annotations

import math
from typing import Any

import ray
import torch

_GROUPS: dict[str, Any] = {}


def init_group(name: str, master_addr: str, master_port: int, rank: int, world_size: int, device: torch.device):
    """Create (once per process) the NCCL communicator for sync group `name`."""
    from vllm.distributed.device_communicators.pynccl import PyNcclCommunicator
    from vllm.distributed.utils import StatelessProcessGroup

    pg = StatelessProcessGroup.create(host=master_addr, port=master_port, rank=rank, world_size=world_size)
    _GROUPS[name] = PyNcclCommunicator(pg, device=device)
    return _GROUPS[name]


def get_group(name: str):
    if name not in _GROUPS:
        raise RuntimeError(f"weight-sync group {name!r} was not initialised in this process")
    return _GROUPS[name]


class NcclSender:
    """The learner's side of the GPU sync (a LearnerWorker mixin): its rank 0 joins the group and
    broadcasts `export_weights()` tensor by tensor."""

    def free_address(self) -> tuple[str, int]:
        from actors.placement import free_port

        return ray.util.get_node_ip_address(), free_port()

    def join_sync_group(self, name: str, addr: str, port: int, rank: int, world: int) -> None:
        init_group(name, addr, port, rank, world, self.device)

    def weight_specs(self) -> list[tuple[str, str, tuple[int, ...]]]:
        return [(n, str(t.dtype).removeprefix("torch."), tuple(t.shape)) for n, t in self.export_weights().items()]

    def broadcast_weights(self, name: str) -> int:
        group = get_group(name)
        weights = self.export_weights()
        for t in weights.values():
            group.broadcast(t.to(self.device), src=0)
        torch.cuda.synchronize()
        return len(weights)


class ObjectStoreSync:
    """One `ray.put` of the learner's weights; every rollout worker loads the same object."""

    def __init__(self, learner_rank0, rollout_workers: list) -> None:
        self.learner = learner_rank0
        self.workers = rollout_workers

    def sync(self, timeout: float = 600.0) -> int:
        ref = self.learner.export_weights.remote()
        # Passing the ObjectRef inside a list keeps it a reference: each worker fetches the
        # one stored copy instead of the driver re-sending it.
        counts = ray.get([w.load_weights_from_store.remote([ref]) for w in self.workers], timeout=timeout)
        return counts[0]

    def probe(self, prompt_ids: list[int], response_ids: list[int]) -> float:
        """The parity probe on the first engine: max |log-prob difference| against the learner."""
        return parity_probe(self.learner, self.workers[0], prompt_ids, response_ids)


class NcclSync:
    """NCCL broadcast from learner rank 0 to all vLLM workers of one policy (GPU only)."""

    def __init__(self, name: str, learner_rank0, rollout_workers: list, tp_size: int) -> None:
        self.name, self.learner, self.workers = name, learner_rank0, rollout_workers
        master_addr, master_port = ray.get(self.learner.free_address.remote())
        world = 1 + len(rollout_workers) * tp_size
        joins = [
            w.join_sync_group.remote(name, master_addr, master_port, 1 + i * tp_size, world)
            for i, w in enumerate(rollout_workers)
        ]
        ray.get([self.learner.join_sync_group.remote(name, master_addr, master_port, 0, world)] + joins)

    def sync(self, timeout: float = 600.0) -> int:
        specs = ray.get(self.learner.weight_specs.remote(), timeout=timeout)
        recv = [w.receive_broadcast.remote(specs, self.name) for w in self.workers]
        ray.get(self.learner.broadcast_weights.remote(self.name), timeout=timeout)
        return ray.get(recv, timeout=timeout)[0]

    def probe(self, prompt_ids: list[int], response_ids: list[int]) -> float:
        """The parity probe on the first engine: max |log-prob difference| against the learner."""
        return parity_probe(self.learner, self.workers[0], prompt_ids, response_ids)


def max_logprob_diff(a: list[float], b: list[float]) -> float:
    """Max |a_t - b_t| over two log-prob lists; inf when any value is NaN or infinite, or the lengths differ.

    A probe that cannot be compared (broken weights, a truncated answer, nothing scored) fails.
    """
    if not a or len(a) != len(b) or not all(math.isfinite(x) for x in a + b):
        return math.inf
    return max(abs(x - y) for x, y in zip(a, b))


def parity_probe(learner_rank0, rollout_worker, prompt_ids: list[int], response_ids: list[int],
                 timeout: float = 300.0) -> float:
    """Max |logp_rollout - logp_learner| over the response tokens of a fixed probe (inf if not comparable)."""
    a, b = ray.get(
        [learner_rank0.score.remote(prompt_ids, response_ids), rollout_worker.score.remote(prompt_ids, response_ids)],
        timeout=timeout,
    )
    return max_logprob_diff(a, b)

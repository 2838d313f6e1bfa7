"""Data passed between stages: engine requests/results (rollout) and the `Batch` (learner).

A `Batch` holds tensors that share a leading batch dimension, per-sample non-tensor
fields (Python lists of equal length: task ids, texts, roles, ...) and free-form `meta`
(scalars about the whole batch). Every operation keeps the three in step, so a sample's
tokens, advantage and task id can never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch


def reduce_metric(key: str, values: Sequence[float]) -> float:
    """One learner metric over micro-batches or data-parallel ranks: `*_max` keys take the
    max, every other key the mean."""
    return float(max(values)) if key.endswith("_max") else float(sum(values) / len(values))


@dataclass
class GenRequest:
    """One generation: a prompt as token ids (token-in/token-out, never re-tokenised)."""

    prompt_ids: list[int]
    max_tokens: int
    temperature: float = 1.0  # 0: greedy
    top_p: float = 1.0
    stop: list[str] = field(default_factory=list)
    allowed_token_ids: list[int] | None = None
    seed: int | None = None
    allowed_sequences: list[list[int]] | None = None  # the response must be one of these (an ActionTrie)


@dataclass
class GenResult:
    """The sampled tokens, their log-probs under the raw (untempered) logits, text, finish reason."""

    token_ids: list[int]
    logprobs: list[float]
    text: str
    finish_reason: str  # "stop" | "length"
    weights_version: int = 0  # the engine's weights (0: as loaded from disk; each sync sets the next)


@dataclass
class Batch:
    tensors: dict[str, torch.Tensor] = field(default_factory=dict)
    fields: dict[str, list[Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sizes = {k: int(v.shape[0]) for k, v in self.tensors.items()}
        sizes.update({k: len(v) for k, v in self.fields.items()})
        if len(set(sizes.values())) > 1:
            raise ValueError(f"batch members disagree on the batch size: {sizes}")
        self.fields = {k: list(v) for k, v in self.fields.items()}

    def __len__(self) -> int:
        for v in self.tensors.values():
            return int(v.shape[0])
        for v in self.fields.values():
            return len(v)
        return 0

    def __getitem__(self, key: str) -> Any:
        return self.tensors[key] if key in self.tensors else self.fields[key]

    def __contains__(self, key: str) -> bool:
        return key in self.tensors or key in self.fields

    def select(self, indices: Sequence[int] | torch.Tensor) -> Batch:
        """Samples at `indices` (in that order, repeats allowed)."""
        idx = torch.as_tensor(indices, dtype=torch.long)
        pos = idx.tolist()
        return Batch(
            {k: v[idx] for k, v in self.tensors.items()},
            {k: [v[i] for i in pos] for k, v in self.fields.items()},
            dict(self.meta),
        )

    @staticmethod
    def concat(batches: Sequence[Batch]) -> Batch:
        """Stack batches with the same keys; meta comes from the first."""
        if not batches:
            raise ValueError("concat of no batches")
        keys_t, keys_f = set(batches[0].tensors), set(batches[0].fields)
        for b in batches[1:]:
            if set(b.tensors) != keys_t or set(b.fields) != keys_f:
                raise ValueError(
                    f"concat: keys differ: {sorted(keys_t | keys_f)} vs {sorted(set(b.tensors) | set(b.fields))}"
                )
        return Batch(
            {k: torch.cat([b.tensors[k] for b in batches]) for k in keys_t},
            {k: [x for b in batches for x in b.fields[k]] for k in keys_f},
            dict(batches[0].meta),
        )

    def chunk(self, n: int) -> list[Batch]:
        """Split into `n` contiguous parts (sizes differ by at most one; empty parts dropped)."""
        if n < 1:
            raise ValueError(f"chunk count must be >= 1, got {n}")
        size = len(self)
        bounds = [size * i // n for i in range(n + 1)]
        return [self.select(range(a, b)) for a, b in zip(bounds, bounds[1:]) if b > a]

    def micro_batches(self, size: int) -> Iterator[Batch]:
        """Consecutive micro-batches of at most `size` samples."""
        if size < 1:
            raise ValueError(f"micro-batch size must be >= 1, got {size}")
        for start in range(0, len(self), size):
            yield self.select(range(start, min(start + size, len(self))))

    def repeat(self, times: int, interleave: bool = True) -> Batch:
        """Repeat every sample: interleaved gives a,a,b,b; otherwise a,b,a,b."""
        n = len(self)
        if interleave:
            idx = torch.arange(n).repeat_interleave(times)
        else:
            idx = torch.arange(n).repeat(times)
        return self.select(idx)

    def pad_to_divisor(self, divisor: int) -> tuple[Batch, int]:
        """Pad (by repeating leading samples) so len is a multiple of `divisor`.

        Returns the padded batch and the pad count for `unpad`; used to split work evenly
        over data-parallel ranks.
        """
        n = len(self)
        if n == 0:
            raise ValueError("cannot pad an empty batch")
        pad = (-n) % divisor
        if pad == 0:
            return self, 0
        idx = list(range(n)) + [i % n for i in range(pad)]
        return self.select(idx), pad

    def unpad(self, pad: int) -> Batch:
        return self if pad == 0 else self.select(range(len(self) - pad))

    def to(self, device: str | torch.device) -> Batch:
        return Batch({k: v.to(device) for k, v in self.tensors.items()}, self.fields, self.meta)

"""Data passed between stages: engine requests/results (rollout), the train `Batch` and the
learner's `TokenStats`.

A `Batch` holds tensors that share a leading batch dimension and declares which of them run
along the sequence; every operation keeps them in step, so a sample's tokens, mask and
advantage can never drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
    """The sampled tokens, text, finish reason, and per token the log-prob of the sampled token
    under the distribution it was sampled from: softmax(logits / temperature) restricted to the
    request's `allowed_token_ids` or to its trie's continuations (`allowed_sequences`; a forced
    position has log-prob 0), cut by top-p; greedy (temperature 0) reports temperature 1. With
    top_p = 1 that is what the learner scores (constrained, at the rollout temperature). A
    constrained response is exactly one of its `allowed_sequences`."""

    token_ids: list[int]
    logprobs: list[float]
    text: str
    finish_reason: str  # "stop" | "length"
    weights_version: int = 0  # the engine's weights (0: as loaded from disk; each sync sets the next)


@dataclass
class Batch:
    """A train batch: tensors that share a leading batch dimension [B, ...].

    `per_position` declares the tensors that run along the sequence, [B, L] (input_ids,
    attention_mask, loss_mask): a micro-batch cuts exactly those to its longest row. Every
    other tensor is per sample ([B], or [B, R, K] for the action constraint's allowed tokens).
    """

    tensors: dict[str, torch.Tensor] = field(default_factory=dict)
    per_position: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        sizes = {k: int(v.shape[0]) for k, v in self.tensors.items()}
        if len(set(sizes.values())) > 1:
            raise ValueError(f"batch members disagree on the batch size: {sizes}")
        undeclared = set(self.per_position) - set(self.tensors)
        if undeclared:
            raise ValueError(f"per-position fields {sorted(undeclared)} are not in the batch")
        self.per_position = frozenset(self.per_position)

    def __len__(self) -> int:
        return next((int(v.shape[0]) for v in self.tensors.values()), 0)

    def __getitem__(self, key: str) -> torch.Tensor:
        return self.tensors[key]

    def __contains__(self, key: str) -> bool:
        return key in self.tensors

    def select(self, indices: Sequence[int] | torch.Tensor) -> Batch:
        """Samples at `indices` (in that order, repeats allowed)."""
        idx = torch.as_tensor(indices, dtype=torch.long)
        return Batch({k: v[idx] for k, v in self.tensors.items()}, self.per_position)

    def cut(self, length: int) -> Batch:
        """The per-position tensors cut to their first `length` positions (the rest unchanged)."""
        return Batch({k: v[:, :length] if k in self.per_position else v for k, v in self.tensors.items()},
                     self.per_position)

    def chunk(self, n: int) -> list[Batch]:
        """Split into `n` contiguous parts (sizes differ by at most one; empty parts dropped)."""
        if n < 1:
            raise ValueError(f"chunk count must be >= 1, got {n}")
        size = len(self)
        bounds = [size * i // n for i in range(n + 1)]
        return [self.select(range(a, b)) for a, b in zip(bounds, bounds[1:]) if b > a]

    def pad_to_divisor(self, divisor: int) -> tuple[Batch, int]:
        """Pad (by repeating leading samples) so len is a multiple of `divisor`; returns the pad count
        too (used to split work evenly over data-parallel ranks)."""
        n = len(self)
        if n == 0:
            raise ValueError("cannot pad an empty batch")
        pad = (-n) % divisor
        if pad == 0:
            return self, 0
        return self.select(list(range(n)) + [i % n for i in range(pad)]), pad

    def to(self, device: str | torch.device) -> Batch:
        return Batch({k: v.to(device) for k, v in self.tensors.items()}, self.per_position)


@dataclass
class TokenStats:
    """The learner's statistics of a batch at its scored response positions, each [B, L] (0 elsewhere):
    the rollout policy's log-probs (`old_logp`, recomputed), the float loss mask, and when the loss
    needs them the reference's log-probs, the squared Hellinger deviation and normalised entropy (DGPO),
    and with truncated importance sampling (`algorithm.tis_cap`) each token's importance weight."""

    old_logp: torch.Tensor
    mask: torch.Tensor
    ref_logp: torch.Tensor | None = None
    hellinger: torch.Tensor | None = None
    norm_entropy: torch.Tensor | None = None
    is_weight: torch.Tensor | None = None

    def select(self, idx: torch.Tensor, length: int) -> TokenStats:
        """The rows `idx`, cut to the first `length` positions (a micro-batch's view)."""
        def part(t: torch.Tensor | None) -> torch.Tensor | None:
            return None if t is None else t[idx, :length]

        return TokenStats(part(self.old_logp), part(self.mask), part(self.ref_logp), part(self.hellinger),
                          part(self.norm_entropy), part(self.is_weight))

"""Sampling inside an ActionTrie, in the engine: one generation per constrained response.

A constrained request (`GenRequest.allowed_sequences`) must answer with exactly one of its
token sequences. The engine samples it in one generation, masking at every step the tokens
that do not continue the trie after the tokens generated so far; the sampling distribution at
a position is softmax(logits / temperature) over the allowed continuations only, so a forced
position (one continuation) has probability 1.

Ending exactly at the end of the sequence (vLLM; the HF backend checks the trie itself):
a logits processor cannot end a generation, so the engine stops on tokens (`stop_token_ids`,
see `stop_tokens`). When no sequence holds its own last token anywhere but at its end (the
usual case: every action ends in `</action>` or the newline), the last tokens are the stop
tokens: the generation stops on the token that completes its sequence. Otherwise each request
carries an end token that is in none of its sequences: once the trie is complete the mask
allows only that token, the engine stops on it, and `finish_sequence` takes it off again with
its log-prob (0). The end token is always set, for a row the engine steps once more after its
stop (async scheduling): the mask then allows only it.

This module is engine-agnostic (it never imports vLLM); `actors/vllm_trie.py` holds the vLLM
logits processor built on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from himac.agent.constraints import ActionTrie

TRIE_KEY = "himac_action_trie"  # the key of a constrained request's entry in SamplingParams.extra_args


def end_token(sequences: Sequence[Sequence[int]], preferred: int | None) -> int:
    """The token that ends a constrained generation: `preferred` (the EOS) unless some sequence
    holds it, else the smallest token id that none holds."""
    used = {int(t) for s in sequences for t in s}
    if preferred is not None and preferred not in used:
        return preferred
    return next(t for t in range(len(used) + 1) if t not in used)


def stop_tokens(sequences: Sequence[Sequence[int]], end: int) -> list[int]:
    """What the engine stops on: the sequences' last tokens when none of them occurs anywhere
    but at a sequence's end (a sampled one then always completes its sequence; this saves the
    end token's step), else the end token alone."""
    last = {int(s[-1]) for s in sequences}
    inner = {int(t) for s in sequences for t in s[:-1]}
    return sorted(last) if not last & inner else [end]


def trie_extra_args(sequences: Sequence[Sequence[int]], end: int) -> dict[str, Any]:
    """`SamplingParams.extra_args` that put a request under its trie (plain lists: the engine
    core may run in another process)."""
    return {TRIE_KEY: {"sequences": [[int(t) for t in s] for s in sequences], "end": int(end)}}


class TrieWalk:
    """One generation's place in its trie, read from its output token list (a live reference:
    the engine appends to it; the walk follows incrementally)."""

    def __init__(self, trie: ActionTrie, end: int | None, output_ids: list[int]) -> None:
        self.trie, self.end, self.output_ids = trie, end, output_ids
        self.node: dict[int, dict] = trie.root
        self.seen = 0

    def _advance(self) -> None:
        while self.seen < len(self.output_ids) and self.node:
            t = int(self.output_ids[self.seen])
            if t not in self.node:
                raise RuntimeError(f"constrained generation left its trie at token {t} "
                                   f"(output {list(self.output_ids)})")
            self.node = self.node[t]
            self.seen += 1

    @property
    def complete(self) -> bool:
        self._advance()
        return not self.node

    def allowed(self) -> list[int]:
        """The tokens that may come next: the trie's continuations, or the end token once complete."""
        if self.complete:
            if self.end is None:
                raise RuntimeError("the trie is complete and this generation has no end token")
            return [self.end]
        return list(self.node)


def mask_rows(logits: torch.Tensor, rows: Sequence[int], allowed: Sequence[Sequence[int]]) -> torch.Tensor:
    """`logits` [N, V] with every token outside `allowed[k]` set to -inf in row `rows[k]`
    (in place: one -inf/0 bias added to those rows); other rows untouched."""
    if not rows:
        return logits
    pos = [k for k, toks in enumerate(allowed) for _ in toks]
    cols = [t for toks in allowed for t in toks]
    bias = torch.full((len(rows), logits.shape[-1]), float("-inf"), dtype=logits.dtype, device=logits.device)
    bias[pos, cols] = 0.0
    if len(rows) == logits.shape[0] and list(rows) == list(range(len(rows))):
        return logits.add_(bias)
    return logits.index_add_(0, torch.tensor(list(rows), device=logits.device), bias)


def finish_sequence(token_ids: Sequence[int], logprobs: Sequence[float], trie: ActionTrie,
                    end: int) -> tuple[list[int], list[float]]:
    """The engine's output without the end token if it wrote one: exactly one of the trie's sequences."""
    ids, lps = list(token_ids), list(logprobs)
    if ids and ids[-1] == end and trie.complete(ids[:-1]):
        ids, lps = ids[:-1], lps[:-1]
    if not trie.complete(ids):
        raise RuntimeError(f"constrained generation ended outside its trie: {ids} (the prompt left no "
                           "room for the response within max_model_len?)")
    return ids, lps


def parse_extra_args(extra_args: dict[str, Any] | None) -> tuple[ActionTrie, int] | None:
    """The trie and end token a request's `extra_args` carry (None: an unconstrained request)."""
    entry = (extra_args or {}).get(TRIE_KEY)
    if entry is None:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("end"), int):
        raise ValueError(f"extra_args[{TRIE_KEY!r}] must be {{'sequences': [[int, ...], ...], 'end': int}}")
    trie = ActionTrie(entry["sequences"])
    if any(entry["end"] in s for s in trie.leaves):
        raise ValueError(f"the end token {entry['end']} occurs in an admissible sequence")
    return trie, entry["end"]

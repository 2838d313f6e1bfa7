"""The vLLM (V1) side of trie sampling (`actors/trie_sampling.py`): a logits processor.

Registered once per engine with `LLM(logits_processors=[TrieLogitsProcessor])`; a request opts in
with `SamplingParams(extra_args=trie_extra_args(sequences, end))`. Requests without that entry
pass untouched. vLLM hands the processor each new request's live output-token list (on GPU with
async scheduling, placeholder ids are filled in before logits processors run), so the mask always
follows the tokens generated so far, also after a preemption re-adds the request.
"""

from __future__ import annotations

from typing import Any

import torch
from vllm.v1.sample.logits_processor import BatchUpdate, LogitsProcessor
from vllm.v1.sample.logits_processor.builtin import process_dict_updates

from actors.trie_sampling import TrieWalk, mask_rows, parse_extra_args


class TrieLogitsProcessor(LogitsProcessor):
    """Each request with a trie samples only the trie's continuations of its output so far, then
    its end token. Not argmax-invariant (it changes greedy choices), so vLLM's sampler applies it
    with the other masks (after `allowed_token_ids`), before temperature, top-p and the
    "processed" log-probs."""

    @classmethod
    def validate_params(cls, sampling_params: Any) -> None:
        """A malformed trie fails its request when it is submitted, not the engine mid-step."""
        parse_extra_args(sampling_params.extra_args)

    def __init__(self, vllm_config: Any, device: torch.device, is_pin_memory: bool) -> None:
        self.walks: dict[int, TrieWalk] = {}  # persistent-batch row -> that request's walk

    def is_argmax_invariant(self) -> bool:
        return False

    def update_state(self, batch_update: BatchUpdate | None) -> None:
        process_dict_updates(self.walks, batch_update, _new_walk)

    def apply(self, logits: torch.Tensor) -> torch.Tensor:
        rows = sorted(self.walks)
        return mask_rows(logits, rows, [self.walks[r].allowed() for r in rows])


def _new_walk(params: Any, prompt_ids: list[int] | None, output_ids: list[int]) -> TrieWalk | None:
    parsed = parse_extra_args(params.extra_args)
    return None if parsed is None else TrieWalk(*parsed, output_ids)

"""Constrained executor turns: each turn may only write one of that turn's admissible actions.

For small models (a random-init model never finds the action format by chance) the
executor's response can be restricted to the admissible actions of the turn. The choices
are whole response texts — the action wrapped the way the prompt style expects, with the
`<sub_done>` variant when subgoal completion is on — tokenised piece by piece into a token
prefix tree (`ActionTrie`). At each position only the tokens that continue some choice are
allowed. The rollout engine samples under exactly that mask, and the learner scores the
same positions under the same mask, so the trained and the sampled policy are one
distribution. Positions with a single allowed token are forced: they carry no decision and
no loss.

Free-text slots: an admissible action may hold a placeholder for text of the agent's choosing
(a search query). The env that writes it declares the placeholder and the text that fills it
for a task (`metadata["action_placeholders"]`, collected by `envs.action_placeholders`); the
action becomes one choice, filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from envs import action_placeholders
from himac.agent.parsing import ACTION_CLOSE, ACTION_OPEN, SUB_DONE


def fill_placeholders(action: str, task: str) -> str:
    """`action` with every env-declared placeholder in it replaced by the env's text for `task`."""
    for placeholder, fill in action_placeholders().items():
        if placeholder in action:
            action = action.replace(placeholder, fill(task))
    return action


def response_pieces(action: str, *, sub_done: bool, style: str, use_sub_done: bool) -> list[str]:
    """The executor's response for `action`, as text pieces (also the warm start's expert answer).

    compact (the prompt has opened `<action>`): `a</action>`, or with `<sub_done>` enabled
    `a</action>\n` / `a</action><sub_done>\n` (the newline ends the turn, as the stop string).
    verbose: `<action>a</action>`, or `<sub_done><action>a</action>` when the subgoal is done.
    """
    if style == "compact":
        if not use_sub_done:
            return [action, ACTION_CLOSE]
        return [action, ACTION_CLOSE, SUB_DONE, "\n"] if sub_done else [action, ACTION_CLOSE, "\n"]
    return ([SUB_DONE] if sub_done and use_sub_done else []) + [ACTION_OPEN, action, ACTION_CLOSE]


def response_choices(admissible: Sequence[str], task: str, *, style: str, use_sub_done: bool) -> list[list[str]]:
    """Every allowed response of a turn: each admissible action, with and without `<sub_done>`."""
    actions = list(dict.fromkeys(fill_placeholders(a, task) for a in admissible))
    marks = (False, True) if use_sub_done else (False,)
    return [response_pieces(a, sub_done=d, style=style, use_sub_done=use_sub_done) for a in actions for d in marks]


def turn_constraint(admissible: Sequence[str], task: str, tok: Any, *, style: str, use_sub_done: bool) -> list[list[int]]:
    """The token sequences a constrained executor turn may write (built once per turn, for RL and BC alike)."""
    return choice_sequences(response_choices(admissible, task, style=style, use_sub_done=use_sub_done), tok)


def choice_sequences(choices: list[list[str]], tok: Any) -> list[list[int]]:
    """Token ids of each choice, its pieces tokenised separately (a fixed, prefix-stable split)."""
    return [[t for piece in c for t in tok.encode(piece, add_special_tokens=False)] for c in choices]


class ActionTrie:
    """A token prefix tree over complete response sequences (none may be a prefix of another)."""

    def __init__(self, sequences: Sequence[Sequence[int]]) -> None:
        if not sequences:
            raise ValueError("an action constraint needs at least one admissible response")
        self.root: dict[int, dict] = {}
        for seq in sequences:
            if not seq:
                raise ValueError("an admissible response tokenised to nothing")
            node = self.root
            for t in seq:
                node = node.setdefault(int(t), {})
        self.leaves = {tuple(int(t) for t in s) for s in sequences}
        for seq in self.leaves:
            if self._node(seq):
                raise ValueError(f"admissible response {list(seq)} is a prefix of another; add a terminator")

    def _node(self, prefix: Sequence[int]) -> dict[int, dict]:
        node = self.root
        for t in prefix:
            node = node[int(t)]
        return node

    def allowed(self, prefix: Sequence[int]) -> list[int]:
        """Tokens that continue some admissible response after `prefix` (empty when it is complete)."""
        return sorted(self._node(prefix))

    def complete(self, prefix: Sequence[int]) -> bool:
        return tuple(prefix) in self.leaves

    def allowed_per_position(self, response: Sequence[int]) -> list[list[int]]:
        """The allowed set at every position of a response the trie produced (the learner's mask)."""
        return [self.allowed(response[:i]) for i in range(len(response))]

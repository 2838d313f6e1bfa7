"""From finished episodes to a training batch: advantages per level, then padded tensors.

Pure logic (torch only): `himac.episodes.run_episode` produces `EpisodeRecord`s, this module turns them
into `TrainSample`s with advantages (HiMAC's planner and executor groups, or a flat
agent's; or, for the warm start, the expert's turns as they are) and packs them into a
`Batch` for the learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from himac.agent.constraints import ActionTrie
from himac.agent.episode import Turn
from himac.algorithms import advantages as adv
from himac.protocol import Batch
from himac.records import EpisodeRecord

PLANNER_ESTIMATORS = ("grpo", "grpo_no_std", "rloo")  # episode-level: a blueprint is one decision per episode


@dataclass
class TrainSample:
    prompt_ids: list[int]
    response_ids: list[int]
    advantage: float
    level: str  # "planner" | "executor"
    allowed: list[list[int]] | None = None  # per response token: the tokens the constraint allowed there
    weight: float = 1.0  # how many identical samples this one stands for (`merge_duplicates`)
    rollout_logp: list[float] | None = None  # the engine's log-prob per response token (None: not sampled by one)


def _episode_advantages(returns: list[float], groups: Sequence, estimator: str) -> list[float]:
    if not returns:
        return []
    return adv.ESTIMATORS[estimator](torch.tensor(returns, dtype=torch.float), list(groups)).tolist()


def planner_samples(records: list[EpisodeRecord], estimator: str) -> list[TrainSample]:
    """HiMAC macro level: blueprints of one task compete on the frozen executor's return
    (`estimator`: one of PLANNER_ESTIMATORS, `algorithm.planner_adv_estimator`)."""
    if estimator not in PLANNER_ESTIMATORS:
        raise ValueError(f"the planner's advantage estimator must be one of {PLANNER_ESTIMATORS}, got {estimator!r}")
    eps = [r for r in records if r.planner_turn is not None and not r.aborted]
    a = _episode_advantages([r.episode_return for r in eps], [r.task_id for r in eps], estimator)
    return [TrainSample(r.planner_turn.prompt_ids, r.planner_turn.response_ids, x, "planner",
                        rollout_logp=r.planner_turn.rollout_logprobs) for r, x in zip(eps, a)]


def executor_samples(records: list[EpisodeRecord], estimator: str, *, gamma: float, omega: float,
                     normalize_by_turns: bool) -> list[TrainSample]:
    """HiMAC micro level: executions under one (task, blueprint) compete; every turn gets its
    episode's advantage (GiGPO adds a step term over identical anchor states).

    GiGPO's anchor state is (active subgoal, observation): the executor acts on both, and a
    page seen under two subgoals (a WebShop item page before and after choosing an option)
    is two decisions with different returns to go.

    With `normalize_by_turns`, turn advantages are scaled by mean_turns / turns(episode) so
    every episode carries the same total weight; otherwise long (usually failed) episodes
    contribute most of the gradient and drown the short successful ones.
    """
    eps = [r for r in records if r.turns and not r.aborted]
    groups = [(r.task_id, tuple(r.blueprint)) for r in eps]
    returns = [r.episode_return for r in eps]
    if estimator in ("gigpo", "gigpo_no_std"):
        per_step = adv.gigpo(torch.tensor(returns), groups, [[t.reward for t in r.turns] for r in eps],
                             [[(t.subgoal_index, t.observation) for t in r.turns] for r in eps], gamma=gamma, omega=omega,
                             norm_by_std=estimator == "gigpo")
        values = [s.tolist() for s in per_step]
    elif estimator == "reinforce_pp":
        # Turn-level REINFORCE++: discounted return-to-go per turn, whitened over the batch.
        rtg = [adv.discounted_returns([t.reward for t in r.turns], gamma) for r in eps]
        flat = torch.tensor([x for xs in rtg for x in xs])[:, None]
        white = adv.reinforce_pp(flat, torch.ones_like(flat))[:, 0].tolist()
        it = iter(white)
        values = [[next(it) for _ in xs] for xs in rtg]
    else:
        values = [[a] * len(r.turns) for r, a in zip(eps, _episode_advantages(returns, groups, estimator))]
    if normalize_by_turns and eps:
        mean_turns = sum(len(r.turns) for r in eps) / len(eps)
        values = [[v * mean_turns / len(r.turns) for v in vs] for r, vs in zip(eps, values)]
    return [TrainSample(t.prompt_ids, t.response_ids, v, "executor", allowed_tokens(t), rollout_logp=t.rollout_logprobs)
            for r, vs in zip(eps, values) for t, v in zip(r.turns, vs)]


def sft_samples(records: list[EpisodeRecord]) -> tuple[list[TrainSample], int]:
    """The warm start's behaviour-cloning samples: every recorded turn of the expert's episodes
    (advantage 0: the SFT loss reads only the tokens), the planners' first, then turn by turn
    across the episodes. A constrained turn whose expert response is not one of the
    constraint's choices cannot be learned under it: it is left out and counted (the second value)."""
    samples = [TrainSample(r.planner_turn.prompt_ids, r.planner_turn.response_ids, 0.0, "planner")
               for r in records if r.planner_turn is not None]
    inexpressible = 0
    for k in range(max((len(r.turns) for r in records), default=0)):
        for t in (r.turns[k] for r in records if k < len(r.turns)):
            if t.constraint is not None and t.response_ids not in t.constraint:
                inexpressible += 1
                continue
            samples.append(TrainSample(t.prompt_ids, t.response_ids, 0.0, "executor", allowed_tokens(t)))
    return samples, inexpressible


def allowed_tokens(turn: Turn) -> list[list[int]] | None:
    """The constraint's allowed set at each response position of a constrained turn (else None)."""
    return ActionTrie(turn.constraint).allowed_per_position(turn.response_ids) if turn.constraint else None


def merge_duplicates(samples: list[TrainSample]) -> list[TrainSample]:
    """Merge samples with the same prompt, response and level into weighted ones — exactly.

    Episodes of one group revisit the same states (every rollout of a task starts from the
    same observation), so many turns are identical (prompt, response) pairs. For a fixed
    sign of A the PPO-clip term is linear in A (A·min(r, clip r) for A >= 0, A·max(r, clip r)
    for A < 0, dual clip included), and the ratio is the same for identical samples, so the
    samples of one sign merge into one with weight = their count and A = their mean A. The
    KL and entropy terms are per-sample means, which the weight reproduces too. The learner
    then runs one forward/backward per distinct pair instead of one per turn.
    """
    merged: dict[tuple, list[TrainSample]] = {}
    for s in samples:
        allowed = None if s.allowed is None else tuple(map(tuple, s.allowed))
        key = (tuple(s.prompt_ids), tuple(s.response_ids), s.level, allowed, s.advantage >= 0)
        merged.setdefault(key, []).append(s)
    out = []
    for same in merged.values():
        weight = sum(s.weight for s in same)
        advantage = sum(s.advantage * s.weight for s in same) / weight
        out.append(TrainSample(same[0].prompt_ids, same[0].response_ids, advantage, same[0].level,
                               same[0].allowed, weight, same[0].rollout_logp))
    return out


def to_batch(samples: list[TrainSample], pad_id: int, *, dgpo_levels: set[str] = frozenset()) -> Batch:
    """Right-padded [B, L] tensors; loss_mask marks the response tokens that carry a decision.

    `rollout_logp` [B, L]: the engine's log-prob of each response token (NaN where unknown: prompts,
    padding, samples no engine sampled). Constrained samples add `allowed` [B, R, K] (the allowed token ids at response position r,
    -1 padded; all -1 where a row is unconstrained) and `response_start` [B]; their forced
    positions (one allowed token) are left out of the loss mask.
    """
    length = max(len(s.prompt_ids) + len(s.response_ids) for s in samples)
    n = len(samples)
    ids = torch.full((n, length), pad_id, dtype=torch.long)
    attn = torch.zeros((n, length), dtype=torch.long)
    loss_mask = torch.zeros((n, length), dtype=torch.long)
    rollout_logp = torch.full((n, length), float("nan"))
    for i, s in enumerate(samples):
        p, r = len(s.prompt_ids), len(s.response_ids)
        ids[i, : p + r] = torch.tensor(s.prompt_ids + s.response_ids)
        attn[i, : p + r] = 1
        loss_mask[i, p : p + r] = 1 if s.allowed is None else torch.tensor([len(a) > 1 for a in s.allowed])
        if s.rollout_logp is not None and len(s.rollout_logp) == r:
            rollout_logp[i, p : p + r] = torch.tensor(s.rollout_logp, dtype=torch.float)
    tensors = {
        "input_ids": ids, "attention_mask": attn, "loss_mask": loss_mask, "rollout_logp": rollout_logp,
        "advantages": torch.tensor([s.advantage for s in samples], dtype=torch.float),
        "weights": torch.tensor([s.weight for s in samples], dtype=torch.float),
        "use_dgpo": torch.tensor([s.level in dgpo_levels for s in samples]),
    }
    if any(s.allowed is not None for s in samples):
        resp = max(len(s.response_ids) for s in samples)
        k = max(len(a) for s in samples if s.allowed is not None for a in s.allowed)
        allowed = torch.full((n, resp, k), -1, dtype=torch.long)
        for i, s in enumerate(samples):
            for j, a in enumerate(s.allowed or []):
                allowed[i, j, : len(a)] = torch.tensor(a)
        tensors["allowed"] = allowed
        tensors["response_start"] = torch.tensor([len(s.prompt_ids) for s in samples])
    return Batch(tensors, per_position={"input_ids", "attention_mask", "loss_mask", "rollout_logp"})


def shard(batch: Batch, ranks: int) -> list[Batch]:
    """Equal shards for data-parallel ranks; padding duplicates carry no loss."""
    padded, pad = batch.pad_to_divisor(ranks)
    if pad:
        padded["loss_mask"][len(batch):] = 0
    return padded.chunk(ranks)


def route(by_level: dict[str, list[TrainSample]], serves: dict[str, str]) -> dict[str, list[TrainSample]]:
    """Samples by the model that trains on them (a shared model takes both levels' samples)."""
    by_model: dict[str, list[TrainSample]] = {}
    for level, samples in by_level.items():
        by_model.setdefault(serves[level], []).extend(samples)
    return {name: samples for name, samples in by_model.items() if samples}


def mini_batch_rows(n: int, parts: int, seed: int) -> list[torch.Tensor]:
    """Row indices of each optimizer step of a PPO epoch: all `n` rows in order (`parts` = 1), or a random
    split into `parts` near-equal shares drawn from `seed` (a resumed run draws the same split)."""
    if parts == 1:
        return [torch.arange(n)]
    return list(torch.tensor_split(torch.randperm(n, generator=torch.Generator().manual_seed(seed)), parts))

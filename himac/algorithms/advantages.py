"""Critic-free advantage estimators: GRPO, RLOO, REINFORCE++ and GiGPO.

A *group* is the set of samples that share a task (same env seed / game / goal); group ids
are any hashables. Every estimator returns constants (no gradient flows through them).
HiMAC's hierarchical advantages are these estimators over its groups: blueprints of one task
(planner), executions of one (task, blueprint) (executor) — `himac/samples.py` forms them.

References: GRPO (DeepSeekMath, arXiv 2402.03300), RLOO (arXiv 2402.14740), REINFORCE++
(arXiv 2501.03262), GiGPO (arXiv 2505.10978), HiMAC (arXiv 2603.00977).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import partial

import torch
from torch import Tensor


def _group_index(group_ids: Sequence[Hashable]) -> tuple[Tensor, int]:
    """Map hashable group ids to dense indices 0..G-1 (in order of first appearance)."""
    dense: dict[Hashable, int] = {}
    index = [dense.setdefault(g, len(dense)) for g in group_ids]
    return torch.tensor(index, dtype=torch.long), len(dense)


def _group_sum(values: Tensor, index: Tensor, num_groups: int) -> Tensor:
    """Per-group sum of a 1-D tensor: [N] -> [G]."""
    return torch.zeros(num_groups, dtype=values.dtype, device=values.device).index_add_(0, index, values)


def _check(scores: Tensor, group_ids: Sequence[Hashable]) -> None:
    assert scores.dim() == 1, f"scores must be 1-D, got shape {tuple(scores.shape)}"
    assert len(group_ids) == scores.numel(), f"{len(group_ids)} group ids for {scores.numel()} scores"


@torch.no_grad()
def grpo(
    scores: Tensor, group_ids: Sequence[Hashable], *, eps: float = 1e-6, norm_by_std: bool = True
) -> Tensor:
    """GRPO advantage A_i = (R_i - mean_g R) / (std_g R + eps), std with Bessel's correction.

    `norm_by_std=False` gives A_i = R_i - mean_g R (the "w/o std" variant of GiGPO's tables).
    A group of one has no baseline: its advantage is 0. scores: [N] -> [N].
    """
    _check(scores, group_ids)
    index, num_groups = _group_index(group_ids)
    index = index.to(scores.device)
    scores = scores.detach().to(torch.promote_types(scores.dtype, torch.float32))
    count = torch.bincount(index, minlength=num_groups).to(scores.dtype)  # [G]
    centered = scores - (_group_sum(scores, index, num_groups) / count)[index]
    if norm_by_std:
        var = _group_sum(centered**2, index, num_groups) / (count - 1).clamp(min=1)
        centered = centered / (var.sqrt()[index] + eps)
    return torch.where(count[index] > 1, centered, torch.zeros_like(centered))


@torch.no_grad()
def rloo(scores: Tensor, group_ids: Sequence[Hashable]) -> Tensor:
    """RLOO advantage A_i = R_i - mean_{j != i} R_j = n/(n-1) (R_i - mean_g R); a group of one gets 0."""
    _check(scores, group_ids)
    index, num_groups = _group_index(group_ids)
    index = index.to(scores.device)
    scores = scores.detach().to(torch.promote_types(scores.dtype, torch.float32))
    count = torch.bincount(index, minlength=num_groups).to(scores.dtype)[index]  # [N]
    centered = scores - (_group_sum(scores, index, num_groups)[index] / count)
    return torch.where(count > 1, centered * count / (count - 1).clamp(min=1), torch.zeros_like(centered))


@torch.no_grad()
def reinforce_pp(token_rewards: Tensor, mask: Tensor, *, gamma: float = 1.0, eps: float = 1e-8) -> Tensor:
    """REINFORCE++ token advantages: discounted returns within each response, whitened over the batch.

    G_t = sum_{k>=t} gamma^(k-t) r_k m_k along each row (rewards outside the mask are ignored,
    so a return never crosses a response's end), then (G - mean) / (std + eps) over all masked
    tokens of the batch (Bessel std). token_rewards, mask: [B, T] -> [B, T], 0 on padding.
    """
    assert token_rewards.shape == mask.shape, (
        f"rewards {tuple(token_rewards.shape)} vs mask {tuple(mask.shape)}"
    )
    valid = mask.bool()
    rewards = torch.where(valid, token_rewards.detach().float(), 0.0)
    returns = torch.zeros_like(rewards)  # [B, T]
    running = torch.zeros_like(rewards[:, 0])  # [B]
    for t in reversed(range(rewards.shape[1])):
        running = rewards[:, t] + gamma * running
        returns[:, t] = running
    n = valid.sum()
    mean = returns[valid].sum() / n.clamp(min=1)
    var = ((returns - mean) ** 2)[valid].sum() / (n - 1).clamp(min=1)
    whitened = (returns - mean) / (var.sqrt() + eps)
    return torch.where(valid, whitened, 0.0)


def discounted_returns(rewards: Sequence[float], gamma: float) -> list[float]:
    """R_t = sum_{k>=t} gamma^(k-t) r_k for one episode's step rewards."""
    returns, running = [0.0] * len(rewards), 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * running
        returns[t] = running
    return returns


@torch.no_grad()
def gigpo(
    episode_returns: Tensor,
    group_ids: Sequence[Hashable],
    step_rewards: Sequence[Sequence[float]],
    anchors: Sequence[Sequence[Hashable]],
    *,
    gamma: float = 0.95,
    omega: float = 1.0,
    norm_by_std: bool = True,
    eps: float = 1e-6,
) -> list[Tensor]:
    """GiGPO per-step advantages A = A^E + omega * A^S (arXiv 2505.10978).

    episode_returns: [N], one per episode; group_ids: the episode group (task) of each episode.
    step_rewards[i][t], anchors[i][t]: reward and anchor observation (the env observation
    without history; any hashable) of step t of episode i.
    A^E is the GRPO episode advantage. A^S: steps with an identical anchor inside the same
    episode group form a step group; each step's discounted return R_t is normalised within
    its step group like GRPO (a step group of one gets 0).
    Returns one tensor [len(step_rewards[i])] per episode.
    """
    _check(episode_returns, group_ids)
    assert len(step_rewards) == len(anchors) == len(group_ids), "one reward and anchor list per episode"
    episode_adv = grpo(episode_returns, group_ids, eps=eps, norm_by_std=norm_by_std)  # [N]
    step_returns: list[float] = []
    step_groups: list[tuple[Hashable, Hashable]] = []
    for group, rewards, episode_anchors in zip(group_ids, step_rewards, anchors):
        assert len(rewards) == len(episode_anchors), "one anchor per step"
        step_returns += discounted_returns(rewards, gamma)
        step_groups += [(group, anchor) for anchor in episode_anchors]
    step_adv = grpo(
        torch.tensor(step_returns, dtype=torch.float32, device=episode_returns.device),
        step_groups,
        eps=eps,
        norm_by_std=norm_by_std,
    )
    lengths = [len(rewards) for rewards in step_rewards]
    return [
        episode_adv[i].to(steps.dtype) + omega * steps
        for i, steps in enumerate(torch.split(step_adv, lengths))
    ]


# Config name -> episode-level estimator `(scores [N], group_ids) -> advantages [N]`: the choices of
# `algorithm.planner_adv_estimator`, and the executor's `algorithm.adv_estimator` values besides gigpo* / reinforce_pp.
ESTIMATORS: dict[str, Callable[[Tensor, Sequence[Hashable]], Tensor]] = {
    "grpo": grpo,
    "grpo_no_std": partial(grpo, norm_by_std=False),
    "rloo": rloo,
}

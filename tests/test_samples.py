"""Records -> HiMAC advantages -> padded training batch (pure logic, hand-checked)."""

import pytest
import torch

from himac.agent.episode import Turn
from himac.algorithms import losses
from himac.records import EpisodeRecord
from himac.samples import (
    TrainSample,
    executor_samples,
    merge_duplicates,
    planner_samples,
    sft_samples,
    shard,
    to_batch,
)


def executor(records, estimator, *, gamma=0.95, omega=1.0, normalize_by_turns=False):
    return executor_samples(records, estimator, gamma=gamma, omega=omega, normalize_by_turns=normalize_by_turns)


def rec(task, ret, blueprint=("a",), turns=2, planner=True, aborted=False):
    t = [Turn([1, 2], [3], observation=f"obs{k}", reward=ret / turns) for k in range(turns)]
    return EpisodeRecord(task, "all", list(blueprint), Turn([9], [8, 7]) if planner else None, t,
                         episode_return=ret, aborted=aborted)


def test_planner_advantages_group_by_task():
    records = [rec("t1", 1.0), rec("t1", 3.0), rec("t2", 5.0), rec("t2", 5.0), rec("t2", 0.0, aborted=True)]
    s = planner_samples(records, "grpo")
    # t1: mean 2, Bessel std sqrt(2) -> -1/sqrt2, +1/sqrt2; t2: identical returns -> 0; aborted dropped
    assert [x.advantage for x in s] == pytest.approx([-2**-0.5, 2**-0.5, 0.0, 0.0], abs=1e-5)
    assert all(x.level == "planner" and x.response_ids == [8, 7] for x in s)


def test_executor_advantages_group_by_task_and_blueprint_and_broadcast_to_turns():
    records = [rec("t", 0.0, ("x",), turns=3), rec("t", 2.0, ("x",), turns=1), rec("t", 10.0, ("y",), turns=2),
               rec("t", 10.0, ("y",), turns=2)]
    s = executor(records, "grpo_no_std")
    # group (t, x): mean 1 -> -1 on 3 turns, +1 on 1 turn; group (t, y): identical -> 0
    assert [x.advantage for x in s] == pytest.approx([-1, -1, -1, 1, 0, 0, 0, 0])


def test_rloo_and_gigpo_estimators():
    records = [rec("t", 0.0, turns=1), rec("t", 3.0, turns=1), rec("t", 6.0, turns=1)]
    assert [x.advantage for x in executor(records, "rloo")] == pytest.approx([-4.5, 0.0, 4.5])
    g = executor(records, "gigpo", gamma=1.0)  # all first steps share anchor "obs0"
    e = executor(records, "grpo")
    assert len(g) == 3 and [a.advantage for a in g] == pytest.approx([2 * b.advantage for b in e], abs=1e-4)
    # without std: episode term R - mean = (-3, 0, 3), step term the same (one step, gamma 1)
    n = executor(records, "gigpo_no_std", gamma=1.0)
    assert [a.advantage for a in n] == pytest.approx([-6.0, 0.0, 6.0])
    planner = planner_samples(records, "grpo_no_std")  # the planner's own estimator: episode-level
    assert [a.advantage for a in planner] == pytest.approx([-3.0, 0.0, 3.0])
    with pytest.raises(ValueError, match="planner's advantage estimator"):  # never a silent substitution
        planner_samples(records, "gigpo_no_std")


def test_gigpo_anchor_is_the_active_subgoal_and_the_observation():
    # Two executions of one blueprint see "page" twice: under subgoal 0, then under subgoal 1.
    def execution(ret, rewards):
        turns = [Turn([1], [2], observation="page", subgoal_index=k, reward=r) for k, r in enumerate(rewards)]
        return EpisodeRecord("t", "all", ["s0", "s1"], None, turns, episode_return=ret)

    s = executor([execution(0.0, [0.0, 0.0]), execution(4.0, [0.0, 4.0])], "gigpo_no_std", gamma=0.5)
    # episode term (-2, +2); step groups (0, page): returns (0, 2) -> (-1, +1); (1, page): (0, 4) -> (-2, +2)
    assert [x.advantage for x in s] == pytest.approx([-3.0, -4.0, 3.0, 4.0])


def test_to_batch_masks_response_tokens_and_shard_pads_without_loss():
    records = [rec("t", 1.0, turns=1), rec("t", 2.0, turns=2)]
    s = executor(records, "grpo")
    b = to_batch(s, pad_id=0, dgpo_levels={"executor"})
    assert b["input_ids"].tolist() == [[1, 2, 3]] * 3 and b["loss_mask"].tolist() == [[0, 0, 1]] * 3
    assert b["use_dgpo"].all() and "allowed" not in b
    assert b.per_position == {"input_ids", "attention_mask", "loss_mask", "rollout_logp"}  # what a micro-batch cuts
    assert b["rollout_logp"].isnan().all()  # these turns carry no engine log-probs
    parts = shard(b, 2)
    assert [len(p) for p in parts] == [2, 2] and parts[1]["loss_mask"][1].sum() == 0
    assert torch.equal(parts[0]["advantages"], b["advantages"][:2])


def test_normalize_by_turns_gives_every_episode_equal_weight():
    records = [rec("t", 0.0, turns=4), rec("t", 2.0, turns=1)]
    s = executor(records, "grpo_no_std", normalize_by_turns=True)
    # advantages -1 (4 turns) and +1 (1 turn); mean turns 2.5 -> per-turn -0.625 and +2.5
    assert [x.advantage for x in s] == pytest.approx([-0.625] * 4 + [2.5])
    assert sum(x.advantage for x in s[:4]) == pytest.approx(-s[4].advantage)


def _weighted_loss(samples, theta, agg, clip_c):
    """PPO + KL-style loss of a batch whose log-prob of each response token is theta[token id]."""
    b = to_batch(samples, pad_id=0)
    logp = theta[b["input_ids"]] * b["loss_mask"]
    old = (theta.detach() * 0.9)[b["input_ids"]] * b["loss_mask"]
    w = b["weights"]
    loss, m = losses.ppo_clip_loss(logp, old, b["advantages"], b["loss_mask"], agg=agg, clip_c=clip_c,
                                   clip_low=0.1, clip_high=0.1, weights=w)
    extra = losses.aggregate(logp ** 2, b["loss_mask"], agg, w)  # a per-sample term like KL or entropy
    return loss + 0.3 * extra, m


@pytest.mark.parametrize("agg", ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm"])
@pytest.mark.parametrize("clip_c", [None, 3.0])
def test_merging_duplicates_is_exact(agg, clip_c):
    gen = torch.Generator().manual_seed(0)
    kinds = [([1, 2, 3], [4]), ([1, 2, 3], [5]), ([1, 2], [6, 7]), ([8], [4, 9])]
    samples = []
    for i in range(40):  # many duplicates, advantages of both signs and zeros
        p, r = kinds[int(torch.randint(0, len(kinds), (1,), generator=gen))]
        a = float(torch.randn(1, generator=gen)) if i % 7 else 0.0
        samples.append(TrainSample(p, r, a, "executor"))
    merged = merge_duplicates(samples)
    assert len(merged) <= 2 * len(kinds) and sum(s.weight for s in merged) == len(samples)
    theta = (torch.randn(10, generator=gen) * 0.5 - 1.0).requires_grad_()
    full, m_full = _weighted_loss(samples, theta, agg, clip_c)
    (g_full,) = torch.autograd.grad(full, theta)
    part, m_part = _weighted_loss(merged, theta, agg, clip_c)
    (g_part,) = torch.autograd.grad(part, theta)
    assert float(part.detach()) == pytest.approx(float(full.detach()), rel=1e-5, abs=1e-7)
    assert torch.allclose(g_part, g_full, rtol=1e-5, atol=1e-7)
    for k in ("clipfrac_upper", "clipfrac_lower", "approx_kl", "ratio_mean", "ratio_max"):
        assert m_part[k] == pytest.approx(m_full[k], rel=1e-5, abs=1e-7), k


def test_merging_keeps_roles_and_signs_apart():
    s = [TrainSample([1], [2], 1.0, "executor"), TrainSample([1], [2], 3.0, "executor"),
         TrainSample([1], [2], -2.0, "executor"), TrainSample([1], [2], 1.0, "planner")]
    out = {(x.level, x.advantage >= 0): (x.advantage, x.weight) for x in merge_duplicates(s)}
    assert out == {("executor", True): (2.0, 2.0), ("executor", False): (-2.0, 1.0), ("planner", True): (1.0, 1.0)}


def test_constrained_turns_carry_their_allowed_sets_and_forced_tokens_get_no_loss():
    """A constrained turn: the allowed set at each response position comes from its ActionTrie;
    positions with one allowed token (forced) are out of the loss mask."""
    choices = [[5, 6, 9], [5, 7, 9], [8, 9]]  # "5 6 </>", "5 7 </>", "8 </>"
    turn = Turn([1, 2], [5, 7, 9], observation="o", reward=1.0, constraint=choices)
    free = Turn([1, 2], [4], observation="o", reward=0.0)
    records = [EpisodeRecord("t", "all", [], None, [turn], episode_return=1.0, steps=1),
               EpisodeRecord("t", "all", [], None, [free], episode_return=0.0, steps=1)]
    s = executor(records, "grpo_no_std")
    assert s[0].allowed == [[5, 8], [6, 7], [9]] and s[1].allowed is None
    b = to_batch(s, pad_id=0)
    assert b["loss_mask"].tolist() == [[0, 0, 1, 1, 0], [0, 0, 1, 0, 0]]
    assert b["response_start"].tolist() == [2, 2]
    assert b["allowed"][0].tolist() == [[5, 8], [6, 7], [9, -1]] and (b["allowed"][1] == -1).all()
    merged = merge_duplicates(s + s)
    assert len(merged) == 2 and merged[0].allowed == s[0].allowed and merged[0].weight == 2


def test_sft_samples_take_every_expert_turn_and_count_the_inexpressible_ones():
    constraint = [[3], [4]]
    turns = [Turn([1], [3], constraint=constraint), Turn([1, 2], [5], constraint=constraint),
             Turn([1, 2, 3], [6, 7])]
    records = [EpisodeRecord("t", "all", ["g"], Turn([9], [8]), turns),
               EpisodeRecord("u", "all", [], None, [], aborted=True),
               EpisodeRecord("v", "all", ["h"], Turn([9], [10]), [Turn([1], [4], constraint=constraint)])]
    samples, inexpressible = sft_samples(records)
    assert inexpressible == 1  # [5] is not among the constraint's choices: left out, counted
    # the planners first, then turn by turn across the episodes
    assert [(s.level, s.response_ids) for s in samples] == [("planner", [8]), ("planner", [10]), ("executor", [3]),
                                                            ("executor", [4]), ("executor", [6, 7])]
    assert samples[2].allowed == [[3, 4]] and samples[4].allowed is None
    assert all(s.advantage == 0.0 for s in samples)


def test_engine_log_probs_travel_from_the_turn_to_the_batch():
    t = Turn([1, 2], [3, 4], rollout_logprobs=[-0.5, -1.5])
    r = EpisodeRecord("t", "all", ["s0"], None, [t, Turn([1, 2], [3, 4], rollout_logprobs=[-0.5, -1.5])],
                      episode_return=1.0)
    r2 = EpisodeRecord("t", "all", ["s0"], None, [Turn([1, 2], [5], rollout_logprobs=[-2.0])], episode_return=0.0)
    s = merge_duplicates(executor([r, r2], "grpo"))
    b = to_batch(s, pad_id=0)
    assert len(b) == 2 and b["weights"].tolist() == [2.0, 1.0]
    assert b["rollout_logp"][0, 2:].tolist() == [-0.5, -1.5] and b["rollout_logp"][0, :2].isnan().all()
    assert b["rollout_logp"][1, 2].item() == -2.0 and b["rollout_logp"][1, 3].isnan()

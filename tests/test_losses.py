"""Losses and DGPO statistics against hand-computed values and brute-force references.

`policy_loss` and `token_stats` are what the learner runs; the other functions are their parts.
"""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

import himac.algorithms.losses as losses
from himac.algorithms.losses import (
    AGGREGATION_MODES,
    LossSpec,
    aggregate,
    dgpo_token_weights,
    dgpo_weights_from_stats,
    entropy,
    hellinger,
    kl,
    normalized_entropy,
    policy_loss,
    ppo_clip_loss,
    scored_mask,
    token_logprobs,
    token_stats,
)
from himac.config import AlgorithmConfig

# ---------------------------------------------------------------- KL and aggregation


def test_kl_hand_values():
    logp = torch.tensor([-1.0, -2.0])
    ref = torch.tensor([-2.0, -1.0])
    torch.testing.assert_close(kl(logp, ref, "k1"), torch.tensor([1.0, -1.0]))
    torch.testing.assert_close(kl(logp, ref, "k2"), torch.tensor([0.5, 0.5]))
    torch.testing.assert_close(kl(logp, ref, "abs"), torch.tensor([1.0, 1.0]))
    # k3: delta = ref - logp = [-1, 1] -> exp(delta) - delta - 1.
    torch.testing.assert_close(kl(logp, ref, "k3"), torch.tensor([math.exp(-1), math.e - 2]))


def test_kl_k3_clamps_and_stays_finite():
    logp = torch.tensor([-30.0, 0.0], requires_grad=True)
    ref = torch.tensor([0.0, -30.0])
    value = kl(logp, ref, "k3")
    torch.testing.assert_close(value, torch.tensor([10.0, 10.0]))
    value.sum().backward()
    assert torch.isfinite(logp.grad).all()
    with pytest.raises(ValueError, match="k4"):
        kl(logp, ref, "k4")


LOSS = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
MASK = torch.tensor([[1, 1, 0], [1, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("token-mean", 7 / 3),  # (1 + 2 + 4) / 3
        ("seq-mean-token-sum", 3.5),  # mean(3, 4); the empty third row is skipped
        ("seq-mean-token-mean", 2.75),  # mean(1.5, 4)
        ("seq-mean-token-sum-norm", 7 / 6),  # mean(3 / 3, 4 / 3)
    ],
)
def test_aggregate_hand_values(mode, expected):
    assert aggregate(LOSS, MASK, mode).item() == pytest.approx(expected)
    assert aggregate(LOSS, MASK.bool(), mode).item() == pytest.approx(expected)


@pytest.mark.parametrize(
    "mode", ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm"]
)
def test_aggregate_empty_mask_is_a_grad_safe_zero(mode):
    loss = LOSS.clone().requires_grad_(True)
    out = aggregate(loss, torch.zeros(3, 3), mode)
    assert out.item() == 0.0
    out.backward()
    assert (loss.grad == 0).all()


def test_aggregate_unknown_mode():
    with pytest.raises(ValueError, match="token-max"):
        aggregate(LOSS, MASK, "token-max")


# ---------------------------------------------------------------- PPO-clip

RATIOS = [1.5, 0.5, 1.1, 0.9, 1.5, 0.5, 100.0]
ADVS = [1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0]
PPO_MASK = torch.tensor([[1, 1, 1, 1, 1, 1, 0]])  # the last token (ratio 100) is padding


def _ppo_inputs():
    old = torch.full((1, 7), -1.0)
    logp = (old + torch.tensor([RATIOS]).log()).requires_grad_(True)
    return logp, old, torch.tensor([ADVS])


def test_ppo_clip_value_gradients_and_metrics():
    logp, old, adv = _ppo_inputs()
    loss, metrics = ppo_clip_loss(logp, old, adv, PPO_MASK)
    # Per token: max(-A r, -A clip(r, 0.8, 1.2)) = [-1.2, 0.8, -1.1, 0.9, 1.5, -0.5].
    assert loss.item() == pytest.approx((-1.2 + 0.8 - 1.1 + 0.9 + 1.5 - 0.5) / 6, abs=1e-6)
    loss.backward()
    # d loss / d logp = -A r / 6 where unclipped; 0 where clipped (upper A>0, lower A<0) and on padding.
    expected = torch.tensor([[0.0, 0.0, -1.1 / 6, 0.9 / 6, 1.5 / 6, -0.5 / 6, 0.0]])
    torch.testing.assert_close(logp.grad, expected)
    assert metrics["clipfrac_upper"] == pytest.approx(1 / 6)
    assert metrics["clipfrac_lower"] == pytest.approx(1 / 6)
    assert metrics["approx_kl"] == pytest.approx(-sum(math.log(r) for r in RATIOS[:6]) / 6, abs=1e-6)
    assert metrics["ratio_mean"] == pytest.approx(1.0, abs=1e-6)
    assert metrics["ratio_max"] == pytest.approx(1.5, abs=1e-6)
    assert "clipfrac_dual" not in metrics


def test_ppo_asymmetric_clip_bounds():
    logp, old, adv = _ppo_inputs()
    loss, metrics = ppo_clip_loss(logp, old, adv, PPO_MASK, clip_low=0.2, clip_high=0.6)
    loss.backward()
    # Upper bound 1.6: ratio 1.5 with A > 0 is no longer clipped.
    assert logp.grad[0, 0].item() == pytest.approx(-1.5 / 6)
    assert metrics["clipfrac_upper"] == 0.0


def test_ppo_dual_clip_only_for_negative_advantages():
    ratios = torch.tensor([[5.0, 2.0, 5.0]])
    adv = torch.tensor([[-1.0, -1.0, 1.0]])
    old = torch.zeros(1, 3)
    logp = ratios.log().requires_grad_(True)
    loss, metrics = ppo_clip_loss(logp, old, adv, torch.ones(1, 3), clip_c=3.0, agg="seq-mean-token-sum")
    # [min(5, 3), min(2, 3), max(-5, -1.2)] = [3, 2, -1.2]
    assert loss.item() == pytest.approx(3.0 + 2.0 - 1.2)
    loss.backward()
    torch.testing.assert_close(logp.grad, torch.tensor([[0.0, 2.0, 0.0]]))
    assert metrics["clipfrac_dual"] == pytest.approx(1 / 3)


def test_ppo_sequence_advantage_broadcasts():
    logp, old, _ = _ppo_inputs()
    seq_adv = torch.tensor([0.7])
    loss_b, _ = ppo_clip_loss(logp, old, seq_adv, PPO_MASK)
    loss_bt, _ = ppo_clip_loss(logp, old, seq_adv[:, None].expand(1, 7), PPO_MASK)
    assert loss_b.item() == loss_bt.item()


def test_ppo_ratio_is_clamped():
    logp = torch.tensor([[50.0]], requires_grad=True)
    loss, metrics = ppo_clip_loss(logp, torch.zeros(1, 1), torch.tensor([-1.0]), torch.ones(1, 1))
    assert math.isfinite(loss.item())
    assert metrics["ratio_max"] == pytest.approx(math.exp(20), rel=1e-5)


# ---------------------------------------------------------------- distributions


def _brute_hellinger(a, b):
    p, q = torch.softmax(a.double(), -1), torch.softmax(b.double(), -1)
    return 1 - (p * q).sqrt().sum(-1)


def test_hellinger_brute_force_identity_and_range():
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(4, 5, 33, generator=gen) * 3
    b = torch.randn(4, 5, 33, generator=gen) * 3
    d = hellinger(a, b)
    assert d.shape == (4, 5)
    torch.testing.assert_close(d.double(), _brute_hellinger(a, b), atol=1e-6, rtol=0)
    assert hellinger(a, a).abs().max() < 1e-6
    far = torch.tensor([[1e4, 0.0, 0.0]])
    assert hellinger(far, far.flip(-1)).item() == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-50, 50, allow_nan=False), min_size=2, max_size=12).flatmap(
        lambda xs: st.tuples(st.just(xs), st.lists(st.floats(-50, 50), min_size=len(xs), max_size=len(xs)))
    )
)
def test_hellinger_property_bounded_and_symmetric(pair):
    a, b = torch.tensor(pair[0]), torch.tensor(pair[1])
    d = hellinger(a, b).item()
    assert 0.0 <= d <= 1.0
    assert d == pytest.approx(hellinger(b, a).item(), abs=1e-6)
    assert d == pytest.approx(_brute_hellinger(a, b).item(), abs=1e-5)


def test_entropy_uniform_and_deterministic():
    v = 17
    torch.testing.assert_close(entropy(torch.zeros(2, v)), torch.full((2,), math.log(v)))
    torch.testing.assert_close(normalized_entropy(torch.zeros(3, v)), torch.ones(3))
    peaked = torch.tensor([[0.0, -math.inf, -math.inf]])
    assert entropy(peaked).item() == 0.0  # no NaN from 0 * log 0
    p = torch.tensor([0.5, 0.25, 0.25])
    assert entropy(p.log()).item() == pytest.approx(1.5 * math.log(2))


def test_token_logprobs_matches_log_softmax_gather():
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(3, 7, 50, generator=gen)
    ids = torch.randint(0, 50, (3, 7), generator=gen)
    expected = torch.log_softmax(logits, -1).gather(-1, ids[..., None]).squeeze(-1)
    torch.testing.assert_close(token_logprobs(logits, ids, chunk_size=4), expected)
    bf16 = token_logprobs(logits.bfloat16(), ids)
    assert bf16.dtype == torch.float32
    torch.testing.assert_close(bf16, expected, atol=0.1, rtol=0)
    logits.requires_grad_(True)
    token_logprobs(logits, ids, chunk_size=5).sum().backward()
    assert logits.grad.abs().sum() > 0


# ---------------------------------------------------------------- DGPO


def _brute_weights(logits, ref_logits, mask, tau, kappa):
    """Per-token python reference of DGPO weights (float64, explicit loops)."""
    b, t, v = logits.shape
    weights = torch.zeros(b, t, dtype=torch.float64)
    for i in range(b):
        scores = {}
        for j in range(t):
            if not mask[i, j]:
                continue
            p = torch.softmax(logits[i, j].double(), -1).tolist()
            q = torch.softmax(ref_logits[i, j].double(), -1).tolist()
            d = 1 - sum(math.sqrt(pa * qa) for pa, qa in zip(p, q))
            h = -sum(pa * math.log(pa) for pa in p if pa > 0) / math.log(v)
            scores[j] = d * h**kappa
        z = sum(math.exp(s / tau) for s in scores.values())
        for j, s in scores.items():
            weights[i, j] = len(scores) * math.exp(s / tau) / z
    return weights


def _dgpo_batch(seed=0, b=3, t=6, v=11):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, t, v, generator=gen) * 2
    ref_logits = logits + torch.randn(b, t, v, generator=gen)
    mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]])[:b, :t]
    return logits, ref_logits, mask


@pytest.mark.parametrize("tau, kappa", [(0.5, 1.0), (0.1, 2.0), (1.0, 0.0)])
def test_dgpo_weights_match_brute_force(tau, kappa):
    logits, ref_logits, mask = _dgpo_batch()
    weights = dgpo_token_weights(logits, ref_logits, mask, tau=tau, kappa=kappa)
    torch.testing.assert_close(
        weights.double(), _brute_weights(logits, ref_logits, mask, tau, kappa), atol=1e-5, rtol=0
    )


def test_dgpo_weights_average_one_and_zero_on_padding():
    logits, ref_logits, mask = _dgpo_batch()
    weights = dgpo_token_weights(logits, ref_logits, mask)
    valid = mask.bool()
    for i in range(2):
        assert weights[i][valid[i]].mean().item() == pytest.approx(1.0, abs=1e-6)
    assert (weights[~valid] == 0).all()  # padding and the sample with no valid token


def test_dgpo_weights_ignore_padded_logits():
    logits, ref_logits, mask = _dgpo_batch()
    weights = dgpo_token_weights(logits, ref_logits, mask)
    noisy = logits.clone()
    noisy[~mask.bool()] = 100 * torch.randn_like(noisy[~mask.bool()])
    torch.testing.assert_close(dgpo_token_weights(noisy, ref_logits, mask), weights)


def test_dgpo_weights_are_one_when_gated_score_is_constant():
    logits, _, mask = _dgpo_batch()
    weights = dgpo_token_weights(logits, logits, mask)  # d_t = 0 everywhere
    torch.testing.assert_close(weights, mask.float())
    const = torch.full(mask.shape, 0.3)
    torch.testing.assert_close(dgpo_weights_from_stats(const, torch.ones_like(const), mask), mask.float())


def test_dgpo_weights_are_constants():
    logits, ref_logits, mask = _dgpo_batch()
    logits.requires_grad_(True)
    assert not dgpo_token_weights(logits, ref_logits, mask).requires_grad


def test_policy_loss_dgpo_rows_are_ppo_on_weighted_advantages_without_kl():
    logits, ref_logits, mask = _dgpo_batch()
    weights = dgpo_token_weights(logits, ref_logits, mask)
    gen = torch.Generator().manual_seed(3)
    old = -torch.rand(3, 6, generator=gen)
    logp = (old + 0.3 * torch.randn(3, 6, generator=gen)).requires_grad_(True)
    ref_logp = old - 1.0  # far from logp: any KL leaking into the loss would show
    adv = torch.tensor([1.0, -0.5, 2.0])
    spec = LossSpec(dual_clip_c=3.0, kl_coef=0.5)
    loss, metrics = policy_loss(logp, old, adv, mask, spec, ref_logp=ref_logp, use_dgpo=torch.ones(3, dtype=torch.bool),
                                hellinger=hellinger(logits, ref_logits), norm_entropy=normalized_entropy(logits))
    ref_loss, _ = ppo_clip_loss(logp, old, adv[:, None] * weights, mask, clip_c=3.0)
    assert loss.item() == pytest.approx(ref_loss.item())
    assert metrics["kl"] == 0.0
    assert metrics["dgpo/weight_max"] == pytest.approx(weights.max().item())


def _hand_batch():
    """Row 0 is a DGPO row (2 valid tokens, then padding), row 1 a PPO row (3 tokens)."""
    old = torch.full((2, 3), -1.0)
    logp = (old + torch.tensor([[math.log(1.1), 0.0, 5.0], [0.0, 0.0, 0.0]])).requires_grad_(True)
    ref_logp = logp.detach() - torch.tensor([[5.0, 5.0, 5.0], [0.2, 0.4, 0.6]])
    return dict(
        logp=logp, old_logp=old, adv=torch.tensor([2.0, 1.0]), mask=torch.tensor([[1, 1, 0], [1, 1, 1]]),
        ref_logp=ref_logp, use_dgpo=torch.tensor([True, False]),
        hellinger=torch.tensor([[0.5, 0.0, 0.9], [0.3, 0.3, 0.3]]), norm_entropy=torch.ones(2, 3),
        token_entropy=torch.tensor([[1.0, 2.0, 9.0], [0.5, 0.5, 0.5]], requires_grad=True),
    )


def _call(b, spec, weights=None):
    return policy_loss(b["logp"], b["old_logp"], b["adv"], b["mask"], spec, ref_logp=b["ref_logp"],
                       use_dgpo=b["use_dgpo"], hellinger=b["hellinger"], norm_entropy=b["norm_entropy"],
                       token_entropy=b["token_entropy"], weights=weights)


def test_policy_loss_hand_values_dgpo_row_ppo_row_kl_and_entropy():
    b = _hand_batch()
    loss, metrics = _call(b, LossSpec(kl_coef=0.1, kl_kind="k1", entropy_coef=0.01))
    # DGPO row: scores s = d * H~ = [0.5, 0], s / tau = [1, 0], w = 2 softmax = [2e, 2] / (e + 1);
    # token advantages 2 w; ratios [1.1, 1] (unclipped): PPO terms -2 w r.
    e = math.e
    w = [2 * e / (e + 1), 2 / (e + 1)]
    ppo = (-2 * w[0] * 1.1 - 2 * w[1] - 3.0) / 5  # token-mean over the 5 valid tokens
    kl_row1 = (0.2 + 0.4 + 0.6) / 3  # k1 on the PPO row only
    ent = (1.0 + 2.0 + 0.5 * 3) / 5
    assert loss.item() == pytest.approx(ppo + 0.1 * kl_row1 - 0.01 * ent, abs=1e-6)
    assert metrics["kl"] == pytest.approx(kl_row1, abs=1e-6)
    assert metrics["entropy"] == pytest.approx(ent)
    assert metrics["dgpo/weight_max"] == pytest.approx(w[0])
    assert metrics["dgpo/hellinger_mean"] == pytest.approx(0.25)
    loss.backward()
    # d/d logp: -A_t r_t / 5 (PPO) + 0.1 / 3 (k1 mean over the PPO row's 3 tokens); no KL on row 0.
    expected = torch.tensor([[-2 * w[0] * 1.1 / 5, -2 * w[1] / 5, 0.0], [-1 / 5 + 0.1 / 3] * 3])
    torch.testing.assert_close(b["logp"].grad, expected)


def test_policy_loss_entropy_term_is_a_bonus():
    b = _hand_batch()
    spec = LossSpec(kl_coef=0.1, kl_kind="k1")
    base, _ = _call(b, spec)
    with_bonus, _ = _call(b, LossSpec(kl_coef=0.1, kl_kind="k1", entropy_coef=0.2))
    assert (with_bonus - base).item() == pytest.approx(-0.2 * (1.0 + 2.0 + 1.5) / 5)
    with_bonus.backward()
    # minimising the loss raises the entropy of the valid tokens; padding gets no gradient
    expected = torch.tensor([[-0.2 / 5, -0.2 / 5, 0.0], [-0.2 / 5] * 3])
    torch.testing.assert_close(b["token_entropy"].grad, expected)


@pytest.mark.parametrize("agg", AGGREGATION_MODES)
def test_policy_loss_weights_equal_repeated_rows(agg):
    b = _hand_batch()
    spec = LossSpec(dual_clip_c=3.0, loss_agg=agg, kl_coef=0.1, entropy_coef=0.05)
    loss_w, m_w = _call(b, spec, weights=torch.tensor([3.0, 1.0]))
    (g_w,) = torch.autograd.grad(loss_w, b["logp"])
    rep = torch.tensor([0, 0, 0, 1])  # row 0 three times
    logp = b["logp"].detach()[rep].requires_grad_(True)
    r = {k: (v.detach()[rep] if isinstance(v, torch.Tensor) else v) for k, v in b.items()}
    r["logp"] = logp
    loss_r, m_r = _call(r, spec)
    (g_r,) = torch.autograd.grad(loss_r, logp)
    assert loss_w.item() == pytest.approx(loss_r.item(), abs=1e-6)
    torch.testing.assert_close(g_w, torch.stack([g_r[:3].sum(0), g_r[3]]))
    assert m_w == pytest.approx(m_r)


def _old_learner_loss(logp, old, adv, mask, ref_logp, use_dgpo, hell, nent, ent, weights, ac):
    """The loss `LearnerWorker.update` assembled inline before `policy_loss` existed."""
    mask = scored_mask(mask).float()
    token_adv = adv.float()[:, None].expand_as(mask).clone()
    w = dgpo_weights_from_stats(hell, nent, mask, tau=ac.dgpo_tau, kappa=ac.dgpo_kappa)
    token_adv = torch.where(use_dgpo[:, None], token_adv * w, token_adv)
    loss, _ = ppo_clip_loss(logp, old, token_adv, mask, clip_low=ac.clip_low, clip_high=ac.clip_high,
                            clip_c=ac.dual_clip_c, agg=ac.loss_agg, weights=weights)
    km = mask * (~use_dgpo)[:, None]
    loss = loss + ac.kl_coef * aggregate(kl(logp, ref_logp, ac.kl_kind), km, ac.loss_agg, weights)
    return loss - ac.entropy_coef * aggregate(ent, mask, ac.loss_agg, weights)


@pytest.mark.parametrize("agg", AGGREGATION_MODES)
@pytest.mark.parametrize("kind, clip_c", [("k3", None), ("k2", 3.0)])
def test_policy_loss_matches_the_old_learner_formula(agg, kind, clip_c):
    gen = torch.Generator().manual_seed(7)
    b, t = 5, 6
    old = -torch.rand(b, t, generator=gen) * 3
    logp = (old + 0.4 * torch.randn(b, t, generator=gen)).requires_grad_(True)
    ref = old + 0.3 * torch.randn(b, t, generator=gen)
    loss_mask = (torch.rand(b, t, generator=gen) < 0.7).long()
    loss_mask[:, 0] = 1  # column 0 is never scored, whatever the mask says
    adv = torch.randn(b, generator=gen)
    use_dgpo = torch.tensor([True, False, True, False, False])
    hell, nent = torch.rand(b, t, generator=gen), torch.rand(b, t, generator=gen)
    ent = torch.rand(b, t, generator=gen).requires_grad_(True)
    weights = torch.tensor([1.0, 2.0, 1.0, 3.0, 1.0])
    ac = AlgorithmConfig(loss_agg=agg, kl_kind=kind, dual_clip_c=clip_c, kl_coef=0.05, entropy_coef=0.01,
                         clip_high=0.28, dgpo_tau=0.3, dgpo_kappa=2.0)
    want = _old_learner_loss(logp, old, adv, loss_mask, ref, use_dgpo, hell, nent, ent, weights, ac)
    got, _ = policy_loss(logp, old, adv, scored_mask(loss_mask), LossSpec.from_config(ac), ref_logp=ref,
                         use_dgpo=use_dgpo, hellinger=hell, norm_entropy=nent, token_entropy=ent, weights=weights)
    assert got.item() == pytest.approx(want.item(), rel=1e-6, abs=1e-7)
    g_want = torch.autograd.grad(want, (logp, ent))
    g_got = torch.autograd.grad(got, (logp, ent))
    for a, c in zip(g_got, g_want):
        torch.testing.assert_close(a, c)


def test_loss_spec_from_config_reads_the_algorithm_section():
    ac = AlgorithmConfig(clip_low=0.1, dual_clip_c=2.5, loss_agg="seq-mean-token-mean", kl_coef=0.02, kl_kind="abs",
                         entropy_coef=0.003, dgpo_tau=0.7, dgpo_kappa=0.5)
    assert LossSpec.from_config(ac) == LossSpec(0.1, 0.2, 2.5, "seq-mean-token-mean", 0.02, "abs", 0.003, 0.7, 0.5)


def test_scored_mask_drops_the_first_column_only():
    loss_mask = torch.tensor([[1, 1, 0], [0, 1, 1]])
    assert scored_mask(loss_mask).tolist() == [[False, True, False], [False, True, True]]
    assert loss_mask[0, 0] == 1  # the input is not modified


def _projections(n, h, v, seed, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    hidden, ref_hidden = torch.randn(n, h, generator=gen), torch.randn(n, h, generator=gen)
    weight, ref_weight = torch.randn(v, h, generator=gen) * scale, torch.randn(v, h, generator=gen) * scale
    ids = torch.randint(0, v, (n,), generator=gen)
    return hidden, ref_hidden, weight, ref_weight, ids


def test_token_stats_chunked_matches_direct():
    hidden, ref_hidden, weight, ref_weight, ids = _projections(37, 8, 50, seed=4)
    logits, ref_logits = hidden @ weight.T, ref_hidden @ ref_weight.T
    for chunk in (1, 8, 64):
        stats = token_stats(lambda s: hidden[s] @ weight.T, lambda s: ref_hidden[s] @ ref_weight.T, ids,
                            dgpo=True, chunk_size=chunk)
        torch.testing.assert_close(stats["logp"], token_logprobs(logits, ids), atol=1e-5, rtol=0)
        torch.testing.assert_close(stats["ref_logp"], token_logprobs(ref_logits, ids), atol=1e-5, rtol=0)
        torch.testing.assert_close(stats["hellinger"], hellinger(logits, ref_logits), atol=1e-5, rtol=0)
        torch.testing.assert_close(stats["norm_entropy"], normalized_entropy(logits), atol=1e-5, rtol=0)
    only_policy = token_stats(lambda s: hidden[s] @ weight.T, None, ids, chunk_size=5)
    assert set(only_policy) == {"logp"}
    assert token_stats(lambda s: hidden[s] @ weight.T, None, ids[:0])["logp"].shape == (0,)
    with pytest.raises(AssertionError, match="reference"):
        token_stats(lambda s: hidden[s] @ weight.T, None, ids, dgpo=True)


class _LargestTensor(TorchDispatchMode):
    """Records the element count of the largest tensor any torch op produces."""

    def __init__(self):
        super().__init__()
        self.max_numel = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for x in tree_flatten(out)[0]:
            if isinstance(x, torch.Tensor):
                self.max_numel = max(self.max_numel, x.numel())
        return out


def test_token_stats_never_builds_full_logits():
    n, h, v, chunk = 256, 8, 151_936, 64  # Qwen2.5 vocabulary; full logits would be n * v
    hidden, ref_hidden, weight, ref_weight, ids = _projections(n, h, v, seed=5, scale=0.1)
    with _LargestTensor() as probe:
        stats = token_stats(lambda s: hidden[s] @ weight.T, lambda s: ref_hidden[s] @ ref_weight.T, ids,
                            dgpo=True, chunk_size=chunk)
    assert probe.max_numel <= chunk * v < n * v
    assert all(x.shape == (n,) for x in stats.values()) and len(stats) == 4
    assert ((stats["hellinger"] >= 0) & (stats["hellinger"] <= 1)).all()
    assert ((stats["norm_entropy"] > 0.9) & (stats["norm_entropy"] <= 1)).all()  # near-uniform logits


def test_entropy_gradient_is_finite_with_masked_logits():
    """Restricted decoding masks logits; entropy and its gradient must stay finite (no NaN)."""
    for masked in (float("-inf"), -1e9):
        logits = torch.tensor([[0.3, -0.2, masked, masked], [masked, 1.0, masked, 0.0]], requires_grad=True)
        h = losses.entropy(logits)
        h.sum().backward()
        assert torch.isfinite(h).all() and torch.isfinite(logits.grad).all()
        p = torch.softmax(torch.tensor([0.3, -0.2]), -1)
        assert torch.isclose(h[0], -(p * p.log()).sum(), atol=1e-6)

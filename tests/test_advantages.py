"""Advantage estimators against hand-computed values and group properties."""

import math
import statistics

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from himac.algorithms.advantages import ESTIMATORS, gigpo, grpo, reinforce_pp, rloo

SQRT_HALF = math.sqrt(0.5)


def test_grpo_hand_values_with_bessel_std_and_singletons():
    scores = torch.tensor([1.0, 4.0, 2.0, 7.0, 3.0, 0.0, 1.0])
    groups = ["a", "b", "a", "c", "a", "d", "d"]
    # a = [1, 2, 3]: mean 2, Bessel std 1. d = [0, 1]: mean 0.5, Bessel std sqrt(0.5). b, c: singletons.
    expected = torch.tensor([-1.0, 0.0, 0.0, 0.0, 1.0, -0.5 / SQRT_HALF, 0.5 / SQRT_HALF])
    torch.testing.assert_close(grpo(scores, groups), expected, atol=1e-5, rtol=0)


def test_grpo_without_std_is_mean_centred():
    scores = torch.tensor([1.0, 4.0, 2.0, 7.0, 3.0, 0.0, 1.0])
    groups = ["a", "b", "a", "c", "a", "d", "d"]
    expected = torch.tensor([-1.0, 0.0, 0.0, 0.0, 1.0, -0.5, 0.5])
    torch.testing.assert_close(grpo(scores, groups, norm_by_std=False), expected)
    torch.testing.assert_close(ESTIMATORS["grpo_no_std"](scores, groups), expected)


def test_grpo_identical_scores_and_single_group_of_one_give_zero():
    assert grpo(torch.tensor([3.0, 3.0, 3.0]), [0, 0, 0]).abs().max() == 0
    assert grpo(torch.tensor([5.0]), ["only"]).item() == 0.0
    assert rloo(torch.tensor([5.0]), ["only"]).item() == 0.0


def test_grpo_result_is_a_constant():
    scores = torch.tensor([0.0, 1.0], requires_grad=True)
    assert not grpo(scores, [0, 0]).requires_grad


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(-10, 10, allow_nan=False)), min_size=1, max_size=24))
def test_grpo_sums_to_zero_in_every_group(samples):
    groups = [g for g, _ in samples]
    scores = torch.tensor([s for _, s in samples], dtype=torch.float64)
    for norm_by_std in (True, False):
        adv = grpo(scores, groups, norm_by_std=norm_by_std)
        for g in set(groups):
            members = [i for i, gi in enumerate(groups) if gi == g]
            assert abs(adv[members].sum().item()) < 1e-6 * max(1, len(members))


def test_rloo_equals_leave_one_out_difference():
    scores = torch.tensor([1.0, 2.0, 3.0, 6.0, 9.0])
    groups = ["x", "x", "x", "x", "y"]
    expected = torch.tensor([1 - 11 / 3, 2 - 10 / 3, 3 - 9 / 3, 6 - 6 / 3, 0.0])
    torch.testing.assert_close(rloo(scores, groups), expected)
    torch.testing.assert_close(ESTIMATORS["rloo"](scores, groups), expected)


def test_reinforce_pp_discounted_returns_and_whitening():
    rewards = torch.tensor([[0.0, 0.0, 1.0, 5.0], [0.0, 2.0, 0.0, 0.0]])
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])
    # gamma 0.5; the reward 5 sits on padding and is ignored.
    raw = [0.25, 0.5, 1.0, 1.0, 2.0]
    mean, std = statistics.mean(raw), statistics.stdev(raw)
    expected = torch.tensor(
        [[(r - mean) / std for r in raw[:3]] + [0.0], [(r - mean) / std for r in raw[3:]] + [0, 0]]
    )
    adv = reinforce_pp(rewards, mask, gamma=0.5)
    torch.testing.assert_close(adv, expected, atol=1e-5, rtol=0)
    valid = adv[mask.bool()]
    assert abs(valid.mean().item()) < 1e-6
    assert abs(valid.std().item() - 1.0) < 1e-5
    assert (adv[~mask.bool()] == 0).all()


def test_gigpo_hand_case_with_repeated_anchors():
    # Group "g": episode 0 visits s0, s1; episode 1 visits s0, s2, s1. Group "h" reuses the
    # anchor "s0" but must not share a step group with "g".
    returns = torch.tensor([1.0, 0.0, 3.0])
    groups = ["g", "g", "h"]
    rewards = [[0.0, 1.0], [0.0, 0.0, 0.0], [4.0]]
    anchors = [["s0", "s1"], ["s0", "s2", "s1"], ["s0"]]
    # gamma 0.5: step returns ep0 [0.5, 1], ep1 [0, 0, 0], ep2 [4].
    # Step groups (g,s0): [0.5, 0] -> +-0.25; (g,s1): [1, 0] -> +-0.5; (g,s2), (h,s0): singletons -> 0.
    # Episode advantages without std: [0.5, -0.5, 0].
    adv = gigpo(returns, groups, rewards, anchors, gamma=0.5, omega=2.0, norm_by_std=False)
    torch.testing.assert_close(adv[0], torch.tensor([0.5 + 2 * 0.25, 0.5 + 2 * 0.5]))
    torch.testing.assert_close(adv[1], torch.tensor([-0.5 - 2 * 0.25, -0.5, -0.5 - 2 * 0.5]))
    torch.testing.assert_close(adv[2], torch.tensor([0.0]))
    # With std, every pair of two distinct values normalises to +-sqrt(1/2).
    adv = gigpo(returns, groups, rewards, anchors, gamma=0.5)
    torch.testing.assert_close(adv[0], torch.tensor([2 * SQRT_HALF, 2 * SQRT_HALF]), atol=1e-5, rtol=0)
    torch.testing.assert_close(
        adv[1], torch.tensor([-2 * SQRT_HALF, -SQRT_HALF, -2 * SQRT_HALF]), atol=1e-5, rtol=0
    )


def test_gigpo_default_gamma_and_empty_episode():
    adv = gigpo(torch.tensor([1.0, 1.0]), [0, 0], [[1.0, 1.0], []], [["a", "a"], []], norm_by_std=False)
    # Returns 1 + 0.95 and 1 share the step group (0, "a"): centred +-0.475; episode term 0.
    torch.testing.assert_close(adv[0], torch.tensor([0.475, -0.475]))
    assert adv[1].shape == (0,)


def test_estimator_registry_names():
    assert set(ESTIMATORS) == {"grpo", "grpo_no_std", "rloo"}
    scores = torch.tensor([0.0, 2.0])
    torch.testing.assert_close(ESTIMATORS["grpo"](scores, [1, 1]), grpo(scores, [1, 1]))


def test_mismatched_lengths_are_rejected():
    with pytest.raises(AssertionError, match="group ids"):
        grpo(torch.zeros(3), [0, 0])

"""The DeepSpeed learner in-process (gloo, CPU): the update moves probability the right way,
a non-finite loss or gradient skips the step, and non-finite weights are never saved."""

import dataclasses
import math
import os

import pytest
import torch

from actors.weight_sync import max_logprob_diff
from himac.config import load_config
from himac.samples import TrainSample, mini_batch_rows, to_batch


@pytest.fixture(scope="module")
def learner_and_tok(tiny_model):
    from transformers import AutoTokenizer

    from actors.learner import LearnerWorker

    cfg = load_config("configs/debug/sokoban.yaml", ["rollout.restrict_to_admissible=true", "learner.lr=1e-3",
                                                     "algorithm.ppo_epochs=1",
                                                     "algorithm.entropy_coef=0.01"])
    from actors.placement import free_port

    return LearnerWorker(tiny_model, cfg, master_port=free_port()), AutoTokenizer.from_pretrained(tiny_model)


@pytest.mark.timeout(300)
def test_positive_advantage_raises_logprob_negative_lowers_it(learner_and_tok):
    lw, tok = learner_and_tok
    enc = lambda s: tok.encode(s, add_special_tokens=False)  # noqa: E731
    prompt = enc("goal: push\n#####\n#_PX_O#\n#####\n<action>")
    words = ["up", "down", "left", "right"]
    allowed = sorted(enc(w)[0] for w in words)
    before = {w: lw.score(prompt, enc(w))[0] for w in words}
    batch = to_batch([TrainSample(prompt, enc("right"), 1.0, "executor", [allowed]),
                      TrainSample(prompt, enc("up"), -1.0, "executor", [allowed])], tok.eos_token_id)
    for _ in range(3):
        m = lw.update(batch)
    after = {w: lw.score(prompt, enc(w))[0] for w in words}
    assert after["right"] > before["right"] + 0.1
    assert after["up"] < before["up"] - 0.1
    assert m["actor/grad_norm"] > 0 and m["actor/ratio_mean"] == pytest.approx(1.0, abs=1e-4)


@pytest.mark.timeout(300)
def test_behaviour_cloning_fits_expert_actions(learner_and_tok):
    lw, tok = learner_and_tok
    enc = lambda s: tok.encode(s, add_special_tokens=False)  # noqa: E731
    prompt = enc("goal: push\n#####\n#O_XP#\n#####\n<action>")
    allowed = sorted(enc(w)[0] for w in ["up", "down", "left", "right"])
    batch = to_batch([TrainSample(prompt, enc("left"), 0.0, "executor", [allowed])] * 4, tok.eos_token_id)
    lw.sft(batch, steps=20, batch_size=4, lr=3e-3)  # its own learning rate, then back to the RL one
    assert [g["lr"] for g in lw.optimizer.param_groups] == [1e-3] * len(lw.optimizer.param_groups)
    # BC trains the distribution restricted to the action words: "left" must dominate it
    score = {w: lw.score(prompt, enc(w))[0] for w in ["up", "down", "left", "right"]}
    assert all(score["left"] > score[w] + 1.0 for w in ["up", "down", "right"])


def _weights(lw) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in lw.engine.module.named_parameters()}


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return all(torch.equal(a[n], b[n]) for n in a)


def _action_batch(tok, advantages):
    enc = lambda s: tok.encode(s, add_special_tokens=False)  # noqa: E731
    prompt = enc("goal: push\n#####\n#_PX_O#\n#####\n<action>")
    allowed = sorted(enc(w)[0] for w in ["up", "down", "left", "right"])
    samples = [TrainSample(prompt, enc(w), a, "executor", [allowed]) for w, a in zip(["right", "up"], advantages)]
    return to_batch(samples, tok.eos_token_id)


@pytest.mark.timeout(300)
def test_nan_loss_skips_the_step_and_the_next_step_is_clean(learner_and_tok):
    lw, tok = learner_and_tok
    before, updates, total = _weights(lw), lw.updates, lw.skipped_total
    m = lw.update(_action_batch(tok, [1.0, float("nan")]))  # a NaN advantage: the loss is NaN
    assert m["actor/skipped_steps"] == 1 and math.isnan(m["actor/grad_norm"])
    assert _same(before, _weights(lw)) and lw.updates == updates and lw.skipped_total == total + 1
    # the poisoned gradient was dropped: the next update steps, from the same weights
    m = lw.update(_action_batch(tok, [1.0, -1.0]))
    assert m["actor/skipped_steps"] == 0 and math.isfinite(m["actor/grad_norm"]) and m["actor/grad_norm"] > 0
    assert not _same(before, _weights(lw)) and lw.updates == updates + 1


@pytest.mark.timeout(300)
@pytest.mark.parametrize("one_step", [True, False], ids=["one-step", "two-pass"])
def test_nonfinite_loss_with_finite_gradient_skips_the_step(learner_and_tok, monkeypatch, one_step):
    """A NaN reference log-prob makes the k1 KL term NaN while its gradient (1 per token) stays finite,
    on both the one-step path (reference log-probs per micro-batch) and the two-pass path."""
    lw, tok = learner_and_tok
    monkeypatch.setattr(lw, "spec", dataclasses.replace(lw.spec, kl_coef=0.1, kl_kind="k1"))
    monkeypatch.setattr(lw, "needs_ref", True)  # a KL term needs the reference (the policy stands in for it)
    monkeypatch.setattr(lw, "ref", lw.engine.module)
    if one_step:
        monkeypatch.setattr(lw, "_ref_logp", lambda b: torch.full(b["loss_mask"].shape, math.nan))
    else:
        stats = lw._token_stats
        monkeypatch.setattr(lw, "_on_policy", lambda batch: False)
        monkeypatch.setattr(lw, "_token_stats", lambda b, **kw: {**stats(b, **kw),
                                                                 "ref_logp": torch.full(b["loss_mask"].shape, math.nan)})
    before = _weights(lw)
    m = lw.update(_action_batch(tok, [1.0, -1.0]))
    assert math.isnan(m["actor/kl"]) and m["actor/skipped_steps"] == 1
    assert _same(before, _weights(lw))


@pytest.mark.timeout(300)
def test_nonfinite_gradient_skips_update_and_sft_steps(learner_and_tok):
    lw, tok = learner_and_tok
    param = next(p for p in lw.engine.module.parameters() if p.requires_grad)
    hook = param.register_hook(lambda g: g * float("inf"))  # finite loss, non-finite gradient
    try:
        before, total = _weights(lw), lw.skipped_total
        m = lw.update(_action_batch(tok, [1.0, -1.0]))
        assert m["actor/skipped_steps"] == 1 and math.isfinite(m["actor/approx_kl"])
        lw.sft(_action_batch(tok, [0.0, 0.0]), steps=2, batch_size=2, lr=1e-2)
        assert _same(before, _weights(lw)) and lw.skipped_total == total + 3
        assert [g["lr"] for g in lw.optimizer.param_groups] == [1e-3] * len(lw.optimizer.param_groups)
    finally:
        hook.remove()


@pytest.mark.timeout(300)
def test_checkpoints_refuse_nonfinite_weights(learner_and_tok, tmp_path):
    lw, _ = learner_and_tok
    name, param = next((n, p) for n, p in lw.engine.module.named_parameters() if p.dim() == 2)
    kept = param.detach()[0, 0].item()
    with torch.no_grad():
        param[0, 0] = float("nan")
    try:
        with pytest.raises(RuntimeError, match=rf"1 non-finite value\(s\) in 1 parameter tensor\(s\): {name} \(1\)"):
            lw.save(str(tmp_path / "ckpt"))
        with pytest.raises(RuntimeError, match="refusing to export the weights: 1 non-finite"):
            lw.save_hf(str(tmp_path / "hf"))
        with pytest.raises(RuntimeError, match="non-finite"):
            lw.export_weights()
        assert os.listdir(tmp_path) == []  # nothing written
    finally:
        with torch.no_grad():
            param[0, 0] = kept
    lw.save(str(tmp_path / "ckpt"))  # finite again: saved
    assert os.listdir(tmp_path / "ckpt")


def test_parity_diff_fails_on_nonfinite_or_mismatched_log_probs():
    assert max_logprob_diff([-1.0, -2.0], [-1.5, -2.0]) == pytest.approx(0.5)
    nan = float("nan")
    for a, b in [([nan, -1.0], [-1.0, -1.0]), ([-1.0, -1.0], [-1.0, nan]), ([-1.0, nan], [-1.0, nan]),
                 ([-math.inf], [-math.inf]), ([-1.0], [-1.0, -2.0]), ([], [])]:
        assert max_logprob_diff(a, b) == math.inf


def test_micro_batches_group_similar_lengths_and_cut_the_padding(learner_and_tok):
    lw, _ = learner_and_tok
    samples = [TrainSample(list(range(1, 2 + 7 * i % 40)), [5, 6], 1.0, "executor") for i in range(70)]
    batch = to_batch(samples, 0)
    parts = [mb for _, mb in lw._micro_batches(batch)]
    lengths = sorted((len(s.prompt_ids) + 2 for s in samples), reverse=True)
    size = lw.lc.micro_batch_size
    assert [len(p) for p in parts] == [size] * (70 // size) + [70 % size]
    for p, start in zip(parts, range(0, 70, size)):
        assert p["input_ids"].shape[1] == lengths[start]  # each part is as wide as its longest row
        assert p["attention_mask"].sum(1).tolist() == lengths[start:start + len(p)]
    assert sum(int(p["loss_mask"].sum()) for p in parts) == int(batch["loss_mask"].sum())


@pytest.mark.timeout(300)
def test_update_gradient_does_not_depend_on_micro_batching(learner_and_tok, monkeypatch):
    """Length-sorted micro-batches, each cut to its own longest row, give the gradient of one
    micro-batch padded to the longest row of the whole batch."""
    lw, _ = learner_and_tok
    gen = torch.Generator().manual_seed(0)
    lengths = [3, 40, 7, 25, 2, 33, 11, 18, 5, 29]  # uneven prompts, like WebShop pages
    samples = [TrainSample(torch.randint(5, 200, (n,), generator=gen).tolist(),
                           torch.randint(5, 200, (1 + i % 4,), generator=gen).tolist(), float(i % 3 - 1) + 0.5,
                           "executor") for i, n in enumerate(lengths)]
    grads, _ = _record_steps_and_passes(lw, monkeypatch)  # gradients recorded, never applied
    before = _weights(lw)
    for size in (3, len(samples)):  # 4 sorted, trimmed micro-batches vs one batch-wide one
        monkeypatch.setattr(lw.lc, "micro_batch_size", size)
        lw.update(to_batch(samples, 0))
    assert _same(before, _weights(lw))
    assert set(grads[0]) == set(grads[1]) and grads[0]
    for name in grads[0]:
        torch.testing.assert_close(grads[0][name], grads[1][name], atol=1e-6, rtol=1e-4, msg=name)


def _record_steps_and_passes(lw, monkeypatch) -> tuple[list[dict[str, torch.Tensor]], list[int]]:
    """One PPO epoch; each optimizer step records the gradient and drops it (weights untouched), and
    each separate old-log-prob pass (`_batch_stats`) is counted."""
    grads: list[dict[str, torch.Tensor]] = []
    calls: list[int] = []

    def record_and_drop() -> float:
        grads.append({n: p.grad.detach().clone() for n, p in lw.engine.module.named_parameters() if p.grad is not None})
        lw.engine.zero_grad()
        return 1.0

    monkeypatch.setattr(lw, "_step", record_and_drop)
    monkeypatch.setattr(lw.ac, "ppo_epochs", 1)
    two_pass = lw._batch_stats
    monkeypatch.setattr(lw, "_batch_stats", lambda *a, **k: calls.append(1) or two_pass(*a, **k))
    return grads, calls


@pytest.mark.timeout(300)
def test_one_step_on_policy_update_skips_the_old_logprob_pass_with_the_same_gradient(learner_and_tok, monkeypatch):
    """ppo_epochs=1 without a reference: the old log-probs are the step's own detached forward. The
    gradient and the engine-gap metric equal those of the separate old-log-prob pass."""
    lw, _ = learner_and_tok
    gen = torch.Generator().manual_seed(1)
    samples = [TrainSample(torch.randint(5, 200, (n,), generator=gen).tolist(),
                           torch.randint(5, 200, (2,), generator=gen).tolist(), float(i % 3 - 1) + 0.5, "executor",
                           rollout_logp=[-1.0, -2.0]) for i, n in enumerate([4, 9, 6])]
    grads, calls = _record_steps_and_passes(lw, monkeypatch)
    fast = lw.update(to_batch(samples, 0))
    assert not calls and fast["timing/logprob"] < 0.05  # no separate pass
    monkeypatch.setattr(lw, "_on_policy", lambda batch: False)  # the two-pass path
    slow = lw.update(to_batch(samples, 0))
    assert calls
    for name in grads[0]:
        torch.testing.assert_close(grads[0][name], grads[1][name], atol=1e-6, rtol=1e-4, msg=name)
    assert fast["rollout/logp_gap_mean"] == pytest.approx(slow["rollout/logp_gap_mean"], rel=1e-5)
    assert fast["actor/ratio_mean"] == pytest.approx(1.0)


@pytest.mark.timeout(300)
def test_one_step_update_with_a_kl_reference_equals_the_two_pass_update(learner_and_tok, monkeypatch):
    """With a KL reference and one PPO epoch the old log-probs still come from the loss's forward and
    the reference's log-probs are taken per micro-batch: the gradient and the KL equal the two-pass
    update's, and the KL is not 0 (the reference differs from the policy)."""
    import copy

    lw, _ = learner_and_tok
    ref = copy.deepcopy(lw.engine.module).eval().requires_grad_(False)
    with torch.no_grad():
        for p in ref.parameters():
            p.add_(0.05 * torch.randn_like(p))
    monkeypatch.setattr(lw, "needs_ref", True)
    monkeypatch.setattr(lw, "ref", ref)
    monkeypatch.setattr(lw, "spec", dataclasses.replace(lw.spec, kl_coef=0.5))
    gen = torch.Generator().manual_seed(2)
    samples = [TrainSample(torch.randint(5, 200, (n,), generator=gen).tolist(),
                           torch.randint(5, 200, (3,), generator=gen).tolist(), float(i % 3 - 1), "executor")
               for i, n in enumerate([5, 8, 7])]
    grads, calls = _record_steps_and_passes(lw, monkeypatch)
    fast = lw.update(to_batch(samples, 0))
    assert not calls
    monkeypatch.setattr(lw, "_on_policy", lambda batch: False)
    slow = lw.update(to_batch(samples, 0))
    assert calls
    assert fast["actor/kl"] > 1e-4 and fast["actor/kl"] == pytest.approx(slow["actor/kl"], rel=1e-4)
    for name in grads[0]:
        torch.testing.assert_close(grads[0][name], grads[1][name], atol=1e-6, rtol=1e-4, msg=name)


@pytest.mark.timeout(300)
def test_mini_batches_split_the_rows_into_steps_whose_gradients_add_up_to_the_whole_batch(learner_and_tok, monkeypatch):
    """ppo_mini_batches=3: three optimizer steps per epoch over disjoint random row sets covering the
    batch, after a separate old-log-prob pass (the later steps are off-policy). With the weights left
    untouched, the steps' gradients weighted by their response tokens average to the one-step gradient."""
    lw, _ = learner_and_tok
    gen = torch.Generator().manual_seed(3)
    lengths, resp = [4, 9, 6, 7, 5, 8, 3], [1, 2, 3, 1, 2, 3, 2]
    samples = [TrainSample(torch.randint(5, 200, (n,), generator=gen).tolist(),
                           torch.randint(5, 200, (r,), generator=gen).tolist(), float(i % 3 - 1) + 0.5, "executor")
               for i, (n, r) in enumerate(zip(lengths, resp))]
    grads, calls = _record_steps_and_passes(lw, monkeypatch)
    lw.update(to_batch(samples, 0))
    whole = grads.pop()
    monkeypatch.setattr(lw.ac, "ppo_mini_batches", 3)
    parts = mini_batch_rows(len(samples), 3, seed=lw.updates * 1009)
    assert sorted(torch.cat(parts).tolist()) == list(range(len(samples))) and all(len(p) >= 2 for p in parts)
    updates = lw.updates
    metrics = lw.update(to_batch(samples, 0))
    assert calls and len(grads) == 3 and lw.updates == updates + 3  # one old-log-prob pass, three steps
    assert metrics["actor/ratio_mean"] == pytest.approx(1.0, abs=1e-5)  # weights untouched: still on-policy
    tokens = [sum(resp[i] for i in p.tolist()) for p in parts]
    for name in whole:
        mixed = sum(t * g[name] for t, g in zip(tokens, grads)) / sum(tokens)
        torch.testing.assert_close(mixed, whole[name], atol=1e-6, rtol=1e-4, msg=name)


@pytest.mark.timeout(300)
def test_engine_old_logprobs_skip_the_learner_pass_and_match_it_when_the_engine_agrees(learner_and_tok, monkeypatch):
    """algorithm.old_logprobs=engine: a multi-step update takes the engine's log-probs as the old ones, with no
    separate pass. Given the learner's own log-probs as the engine's, its gradients equal the learner-pass
    update's; a sampled token without an engine log-prob is refused, naming the key."""
    lw, _ = learner_and_tok
    assert lw.temperature == 1.0  # `score` is at temperature 1, unconstrained: the samples' own distribution
    gen = torch.Generator().manual_seed(4)
    samples = [TrainSample(torch.randint(5, 200, (n,), generator=gen).tolist(),
                           torch.randint(5, 200, (2,), generator=gen).tolist(), float(i % 3 - 1) + 0.5, "executor")
               for i, n in enumerate([4, 9, 6, 7])]
    samples = [dataclasses.replace(s, rollout_logp=lw.score(s.prompt_ids, s.response_ids)) for s in samples]
    grads, calls = _record_steps_and_passes(lw, monkeypatch)
    monkeypatch.setattr(lw.ac, "ppo_mini_batches", 2)
    lw.updates = 0
    lw.update(to_batch(samples, 0))
    assert len(calls) == 1 and len(grads) == 2
    monkeypatch.setattr(lw.ac, "old_logprobs", "engine")
    lw.updates = 0  # the same mini-batch split
    lw.update(to_batch(samples, 0))
    assert len(calls) == 1 and len(grads) == 4  # no second pass
    for a, b in ((grads[0], grads[2]), (grads[1], grads[3])):
        for name in a:
            torch.testing.assert_close(a[name], b[name], atol=1e-5, rtol=1e-3, msg=name)
    samples[1] = dataclasses.replace(samples[1], rollout_logp=None)
    with pytest.raises(RuntimeError, match="old_logprobs=engine: 2 sampled tokens"):
        lw.update(to_batch(samples, 0))

"""The learner's speed modes, in-process (DeepSpeed on gloo, CPU): bf16 with fp32 master weights,
frozen lower blocks, LoRA through peft (merged export and sync), the lm_head only where scored,
and the engine/learner log-prob gap with truncated importance sampling."""

import math

import pytest
import torch

from actors.placement import free_port
from himac.algorithms import losses
from himac.config import load_config
from himac.samples import TrainSample, to_batch

BASE = ["rollout.restrict_to_admissible=false", "learner.lr=1e-2", "algorithm.ppo_epochs=1", "algorithm.kl_coef=0",
        "algorithm.executor_loss=ppo", "algorithm.planner_loss=ppo", "learner.micro_batch_size=2"]


def learner(model: str, *overrides: str):
    from actors.learner import LearnerWorker

    cfg = load_config("configs/debug/sokoban.yaml", [*BASE, f"model.path={model}", *overrides])
    return LearnerWorker(model, cfg, master_port=free_port())


def batch_of(n: int = 4, advantage: float = 1.0, rollout_logp: list[float] | None = None):
    g = torch.Generator().manual_seed(0)
    samples = [TrainSample(torch.randint(5, 200, (12 + i,), generator=g).tolist(),
                           torch.randint(5, 200, (3,), generator=g).tolist(), advantage * (-1) ** i, "executor",
                           rollout_logp=rollout_logp) for i in range(n)]
    return to_batch(samples, pad_id=0)


def grads_of(lw, batch) -> tuple[float, dict[str, torch.Tensor]]:
    """Sum of the response log-probs and its gradient (fp32 copies), without an optimizer step."""
    lw.engine.module.zero_grad()
    logp, _ = lw._logp_and_entropy(batch, with_entropy=False)
    total = logp.sum()
    total.backward()
    grads = {n: p.grad.float().clone() for n, p in lw.engine.module.named_parameters() if p.grad is not None}
    lw.engine.module.zero_grad()
    return float(total.detach()), grads


@pytest.mark.timeout(300)
def test_bf16_learner_matches_fp32_in_loss_and_gradient(tiny_model_tied):
    fp32, bf16 = learner(tiny_model_tied, "model.dtype=float32"), learner(tiny_model_tied, "model.dtype=bfloat16")
    assert next(bf16.engine.module.parameters()).dtype == torch.bfloat16
    masters = [p for g in bf16.optimizer.param_groups for p in g["params"]]  # what AdamW updates
    assert masters and all(p.dtype == torch.float32 for p in masters)
    batch = batch_of()
    l32, g32 = grads_of(fp32, batch)
    l16, g16 = grads_of(bf16, batch)
    # bf16 weights and activations, fp32 head and log-softmax: the summed log-prob of 12 tokens within 1 %
    assert abs(l16 - l32) <= 0.01 * abs(l32)
    for name, g in g32.items():
        cos = torch.nn.functional.cosine_similarity(g.flatten(), g16[name].flatten(), dim=0)
        assert cos > 0.99, f"{name}: bf16 gradient direction differs from fp32 (cosine {cos:.4f})"
    m = bf16.update(batch)
    assert math.isfinite(m["actor/grad_norm"]) and m["actor/skipped_steps"] == 0


@pytest.mark.timeout(300)
def test_frozen_blocks_are_bit_identical_after_an_update_and_hold_no_optimizer_state(tiny_model_tied):
    lw = learner(tiny_model_tied, "learner.freeze_layers=1")
    model = lw.engine.module
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    frozen = {n for n in before if n.startswith(("model.embed_tokens", "model.layers.0."))}
    assert frozen and {n for n, p in model.named_parameters() if not p.requires_grad} == frozen
    optimized = {id(p) for g in lw.optimizer.param_groups for p in g["params"]}
    assert not optimized & {id(p) for n, p in model.named_parameters() if n in frozen}
    lw.update(batch_of())
    after = dict(model.named_parameters())
    assert all(torch.equal(before[n], after[n]) for n in frozen)
    assert any(not torch.equal(before[n], after[n]) for n in before if n.startswith("model.layers.1."))


@pytest.mark.timeout(300)
def test_lora_trains_only_adapters_and_its_merged_export_matches_peft(tiny_model_tied, tmp_path):
    from transformers import AutoModelForCausalLM

    lw = learner(tiny_model_tied, "learner.lora_rank=4", "learner.lora_alpha=8")
    model = lw.engine.module
    optimized = {id(p) for g in lw.optimizer.param_groups for p in g["params"]}
    assert optimized == {id(p) for n, p in model.named_parameters() if "lora_" in n}
    base = {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" not in n}
    for _ in range(3):
        lw.update(batch_of())
    assert all(torch.equal(base[n], p) for n, p in model.named_parameters() if "lora_" not in n)
    lw.save_hf(str(tmp_path / "merged"))
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "merged", dtype=torch.float32).eval()
    plain = AutoModelForCausalLM.from_pretrained(tiny_model_tied, dtype=torch.float32).eval()
    ids = torch.tensor([list(range(5, 40))])
    with torch.no_grad():
        live, out, start = model(input_ids=ids).logits, merged(input_ids=ids).logits, plain(input_ids=ids).logits
    assert (live - start).abs().max() > 1e-3, "the updates did not move the adapters"
    assert torch.allclose(out, live, atol=1e-5), f"merged export differs from peft by {(out - live).abs().max():.2e}"


@pytest.mark.timeout(300)
def test_parity_probe_fails_when_a_lora_sync_leaves_the_engine_on_base_weights(tiny_model_tied):
    from actors.engines import HFEngine
    from actors.learner_model import hf_model
    from actors.weight_sync import max_logprob_diff

    lw = learner(tiny_model_tied, "learner.lora_rank=4", "learner.lora_alpha=8")
    for _ in range(3):
        lw.update(batch_of())
    engine = HFEngine(tiny_model_tied, dtype="float32", seed=0)
    prompt, response = list(range(5, 30)), [40, 41, 42]
    # the bug verl and TRL users hit: the base model's own weights sent, adapters never merged
    base_only = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
                 for k, v in hf_model(lw.engine.module).state_dict().items() if "lora_" not in k}
    base_only.pop("lm_head.weight", None)
    engine.load_weights(list(base_only.items()))
    assert max_logprob_diff(lw.score(prompt, response), engine.score(prompt, response)) > 1e-3
    engine.load_weights(list(lw.export_weights().items()))
    assert max_logprob_diff(lw.score(prompt, response), engine.score(prompt, response)) < 1e-4


@pytest.mark.timeout(300)
def test_head_only_at_scored_positions_gives_the_full_forward_log_probs(tiny_model_tied):
    lw = learner(tiny_model_tied)
    batch = batch_of()
    with torch.no_grad():
        logp, _ = lw._logp_and_entropy(batch, with_entropy=False)
        full = torch.log_softmax(lw.engine.module(input_ids=batch["input_ids"],
                                                  attention_mask=batch["attention_mask"]).logits.float(), -1)
    mask = losses.scored_mask(batch["loss_mask"]).bool()
    rows, cols = mask.nonzero(as_tuple=True)
    expected = full[rows, cols - 1].gather(-1, batch["input_ids"][rows, cols][:, None])[:, 0]
    assert torch.allclose(logp[rows, cols], expected, atol=1e-5)
    assert (logp[~mask] == 0).all()


def test_rollout_gap_and_tis_weights_on_hand_values():
    old = torch.tensor([[-1.0, -2.0, -0.5, 0.0]])
    rollout = torch.tensor([[-1.5, -1.0, float("nan"), -3.0]])
    mask = torch.tensor([[1.0, 1.0, 1.0, 0.0]])  # position 3 not scored; position 2 never sampled by an engine
    gap = losses.rollout_gap(old, rollout, mask)
    assert gap["rollout/logp_gap_max"] == pytest.approx(1.0)
    assert gap["rollout/logp_gap_mean"] == pytest.approx((0.5 + 1.0) / 2)
    p = math.exp
    assert gap["rollout/prob_gap_mean"] == pytest.approx((abs(p(-1) - p(-1.5)) + abs(p(-2) - p(-1))) / 2)
    w = losses.tis_weights(old, rollout, mask, cap=1.5)
    # exp(-1 + 1.5) = 1.65 -> capped at 1.5; exp(-2 + 1) = 0.37 stays; unknown and unscored -> 1
    assert w.tolist()[0] == pytest.approx([1.5, math.exp(-1.0), 1.0, 1.0])
    assert losses.rollout_gap(old, torch.full_like(old, float("nan")), mask) == {}


def test_tis_weights_multiply_the_ppo_surrogate():
    logp = torch.tensor([[-1.0, -2.0]], requires_grad=True)
    adv, mask = torch.tensor([2.0]), torch.ones(1, 2)
    w = torch.tensor([[0.5, 1.0]])
    loss, _ = losses.ppo_clip_loss(logp, logp.detach(), adv, mask, is_weight=w)
    loss.backward()
    # ratio 1: L = mean(-A r w) -> dL/dlogp_t = -A w_t / 2
    assert loss.item() == pytest.approx(-(2 * 0.5 + 2 * 1.0) / 2)
    assert logp.grad.tolist()[0] == pytest.approx([-0.5, -1.0])


@pytest.mark.timeout(300)
def test_update_logs_the_engine_learner_gap(tiny_model_tied):
    lw = learner(tiny_model_tied, "algorithm.tis_cap=2")
    m = lw.update(batch_of(rollout_logp=[-1.0, -1.0, -1.0]))
    assert m["rollout/logp_gap_max"] > 0 and m["rollout/logp_gap_mean"] <= m["rollout/logp_gap_max"]
    assert "rollout/logp_gap_max" not in lw.update(batch_of())


@pytest.mark.timeout(300)
def test_lora_checkpoint_resumes_adapters_and_their_optimizer_state_exactly(tiny_model_tied, tmp_path):
    args = ("model.dtype=bfloat16", "learner.lora_rank=4", "learner.lora_alpha=8")
    lw = learner(tiny_model_tied, *args)
    lw.update(batch_of())
    lw.save(str(tmp_path / "ckpt"))
    resumed = learner(tiny_model_tied, *args)
    resumed.load(str(tmp_path / "ckpt"))
    a, b = dict(lw.engine.module.named_parameters()), dict(resumed.engine.module.named_parameters())
    assert all(torch.equal(a[n], b[n]) for n in a)
    # the next update from the resumed state is the same update
    lw.update(batch_of(advantage=-1.0))
    resumed.update(batch_of(advantage=-1.0))
    a, b = dict(lw.engine.module.named_parameters()), dict(resumed.engine.module.named_parameters())
    assert all(torch.equal(a[n], b[n]) for n in a if "lora_" in n)

"""Policy losses and token statistics: KL estimators, loss aggregation, PPO-clip, DGPO.

`policy_loss` is the loss the learner runs; the other functions are its parts. `token_stats`
computes, chunk by chunk, the per-token statistics it needs from the two models' logits.

Shapes: B sequences, T padded length, V vocabulary, N flattened tokens.
Masks are [B, T] (bool or 0/1) and select response tokens that receive gradient.

References: PPO (arXiv 1707.06347), dual clip (arXiv 1912.09729), KL estimators k1/k2/k3
(J. Schulman, "Approximating KL divergence", 2020), HiMAC (arXiv 2603.00977),
DGPO (arXiv 2605.03327).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import torch
from torch import Tensor

if TYPE_CHECKING:
    from himac.config import AlgorithmConfig

LOG_RATIO_CLAMP = 20.0
K3_CLAMP = 10.0
AGGREGATION_MODES = ("token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm")


def kl(logp: Tensor, ref_logp: Tensor, kind: str) -> Tensor:
    """Per-token KL(pi || ref) estimate from sampled-token log-probs (any shape, elementwise).

    k1 = logp - ref; k2 = (logp - ref)^2 / 2; abs = |logp - ref|;
    k3 = exp(d) - d - 1 with d = ref - logp clamped to +-20 (so exp cannot overflow) and the
    result clamped to +-10 (low variance, always >= 0).
    """
    if kind == "k1":
        return logp - ref_logp
    if kind == "k2":
        return 0.5 * (logp - ref_logp) ** 2
    if kind == "abs":
        return (logp - ref_logp).abs()
    if kind == "k3":
        delta = (ref_logp - logp).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP)
        return (delta.exp() - delta - 1).clamp(-K3_CLAMP, K3_CLAMP)
    raise ValueError(f"unknown KL kind {kind!r}; expected k1, k2, k3 or abs")


def aggregate(loss_mat: Tensor, mask: Tensor, mode: str, weights: Tensor | None = None) -> Tensor:
    """Reduce a [B, T] per-token loss to a scalar over the masked tokens.

    token-mean: sum(L m) / sum(m). seq-mean-token-sum: mean_i sum_t L m.
    seq-mean-token-mean: mean_i (sum_t L m / sum_t m). seq-mean-token-sum-norm: mean_i sum_t L m / T.
    Means over sequences skip sequences with no valid token; an all-empty mask gives a zero
    that is still connected to the graph (its gradient is 0).
    weights [B] (optional): row i stands for weights[i] identical sequences, so the result
    equals the unweighted one over the batch with every row repeated that many times.
    """
    assert loss_mat.shape == mask.shape, f"loss {tuple(loss_mat.shape)} vs mask {tuple(mask.shape)}"
    m = mask.to(loss_mat.dtype)
    w = torch.ones_like(m[:, 0]) if weights is None else weights.to(loss_mat.dtype)  # [B]
    if mode == "token-mean":
        return (loss_mat * m * w[:, None]).sum() / (m * w[:, None]).sum().clamp(min=1e-8)
    seq_sum = (loss_mat * m).sum(-1)  # [B]
    tokens = m.sum(-1)  # [B]
    if mode == "seq-mean-token-sum":
        per_seq = seq_sum
    elif mode == "seq-mean-token-mean":
        per_seq = seq_sum / tokens.clamp(min=1)
    elif mode == "seq-mean-token-sum-norm":
        per_seq = seq_sum / loss_mat.shape[-1]
    else:
        raise ValueError(f"unknown aggregation mode {mode!r}; expected one of {AGGREGATION_MODES}")
    nonempty = (tokens > 0).to(loss_mat.dtype) * w
    return (per_seq * nonempty).sum() / nonempty.sum().clamp(min=1e-8)


def scored_mask(loss_mask: Tensor) -> Tensor:
    """Response tokens that get a log-prob: loss_mask [B, L] -> bool [B, L] without column 0.

    Token t is scored by the logits at position t - 1, so the first token never is.
    """
    mask = loss_mask.bool().clone()
    mask[:, 0] = False
    return mask


def _masked_mean(x: Tensor, mask: Tensor) -> float:
    m = mask.to(x.dtype)
    return ((x * m).sum() / m.sum().clamp(min=1)).item()


def ppo_clip_loss(
    logp: Tensor,
    old_logp: Tensor,
    adv: Tensor,
    mask: Tensor,
    *,
    clip_low: float = 0.2,
    clip_high: float = 0.2,
    clip_c: float | None = None,
    agg: str = "token-mean",
    weights: Tensor | None = None,
    is_weight: Tensor | None = None,
) -> tuple[Tensor, dict[str, float]]:
    """PPO clipped surrogate L = max(-A r, -A clip(r, 1 - eps_low, 1 + eps_high)), aggregated by `agg`.

    logp, old_logp, mask: [B, T]; adv: [B] (broadcast over tokens) or [B, T].
    r = exp(clamp(logp - old_logp, +-20)). With dual clip c > 1, L = min(L, -A c) where A < 0.
    Metrics (masked): clipfrac_upper (A > 0 and r > 1 + eps_high: no gradient),
    clipfrac_lower (A < 0 and r < 1 - eps_low), approx_kl = mean(old_logp - logp),
    ratio_mean, ratio_max (0 when the mask is empty), and clipfrac_dual when c is set.
    weights [B]: sample weights (see `aggregate`), used by the loss and the metrics.
    is_weight [B, T]: per-token importance weights multiplying the surrogate (`tis_weights`).
    """
    assert logp.shape == old_logp.shape == mask.shape, (
        f"logp {tuple(logp.shape)}, old_logp {tuple(old_logp.shape)}, mask {tuple(mask.shape)}"
    )
    if adv.dim() == 1:
        adv = adv[:, None].expand_as(logp)
    assert adv.shape == logp.shape, f"adv {tuple(adv.shape)} vs logp {tuple(logp.shape)}"
    adv = adv.detach()
    old_logp = old_logp.detach()
    ratio = (logp - old_logp).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP).exp()
    loss_mat = torch.maximum(-adv * ratio, -adv * ratio.clamp(1 - clip_low, 1 + clip_high))
    if clip_c is not None:
        assert clip_c > 1, f"dual clip constant must be > 1, got {clip_c}"
        dual = (adv < 0) & (loss_mat > -adv * clip_c)
        loss_mat = torch.where(adv < 0, torch.minimum(loss_mat, -adv * clip_c), loss_mat)
    if is_weight is not None:
        loss_mat = loss_mat * is_weight.detach()
    loss = aggregate(loss_mat, mask, agg, weights)

    with torch.no_grad():
        valid = mask.bool()
        if weights is not None:  # weighted means; `valid` stays boolean for ratio_max
            mask = mask.float() * weights.float()[:, None]
        ratio = ratio.detach()
        metrics = {
            "clipfrac_upper": _masked_mean(((adv > 0) & (ratio > 1 + clip_high)).float(), mask),
            "clipfrac_lower": _masked_mean(((adv < 0) & (ratio < 1 - clip_low)).float(), mask),
            "approx_kl": _masked_mean(old_logp - logp.detach(), mask),
            "ratio_mean": _masked_mean(ratio, mask),
            "ratio_max": ratio[valid].max().item() if valid.any() else 0.0,
        }
        if clip_c is not None:
            metrics["clipfrac_dual"] = _masked_mean(dual.float(), mask)
    return loss, metrics


def token_logprobs(logits: Tensor, token_ids: Tensor, *, chunk_size: int = 1024) -> Tensor:
    """log pi(token) for each position: [..., V] x [...] -> [...] (float32).

    Computed as logit[token] - logsumexp(logits) over row chunks, so no full log-softmax
    tensor is built and, without autograd, float32 temporaries cover one chunk of rows
    (this matters for bf16 logits and 150k vocabularies).
    """
    flat = logits.reshape(-1, logits.shape[-1])  # [N, V]
    ids = token_ids.reshape(-1, 1)  # [N, 1]
    out = [flat.new_zeros(0, dtype=torch.float32)]
    for s in range(0, flat.shape[0], chunk_size):
        rows = flat[s : s + chunk_size].float()  # [c, V]
        out.append(rows.gather(-1, ids[s : s + chunk_size]).squeeze(-1) - rows.logsumexp(-1))
    return torch.cat(out).reshape(token_ids.shape)


def hellinger(logits: Tensor, ref_logits: Tensor) -> Tensor:
    """Squared Hellinger distance d = 1 - sum_a sqrt(p(a) q(a)) per position: [..., V] -> [...].

    p = softmax(logits), q = softmax(ref_logits). The Bhattacharyya coefficient is taken in log
    space, logsumexp((log p + log q) / 2), so tiny probabilities neither underflow nor give NaN;
    the result is clamped to [0, 1] against rounding.
    """
    logp = torch.log_softmax(logits.float(), -1)
    logq = torch.log_softmax(ref_logits.float(), -1)
    return (1 - (0.5 * (logp + logq)).logsumexp(-1).exp()).clamp(0.0, 1.0)


def entropy(logits: Tensor) -> Tensor:
    """Shannon entropy H(softmax(logits)) in nats per position: [..., V] -> [...].

    Written as -sum p log p with the p = 0 terms masked out, so neither the value nor the
    gradient is NaN for masked (-inf or huge negative) logits (the derivative of p log p is
    infinite at p = 0, which autograd would turn into NaN).
    """
    logp = torch.log_softmax(logits.float(), -1)
    p = logp.exp()
    return -(p * torch.where(p > 0, logp, torch.zeros_like(logp))).sum(-1)


def normalized_entropy(logits: Tensor) -> Tensor:
    """Entropy divided by its maximum log|V|, in [0, 1]: [..., V] -> [...]."""
    return entropy(logits) / math.log(logits.shape[-1])


@torch.no_grad()
def dgpo_weights_from_stats(
    hellinger: Tensor, norm_entropy: Tensor, mask: Tensor, *, tau: float = 0.5, kappa: float = 1.0
) -> Tensor:
    """DGPO token weights w_t = T_i softmax_t(s_t / tau) over sample i's valid tokens (mean 1).

    s_t = d_t * H~_t^kappa gates the deviation by entropy: a confident departure from the
    reference (low entropy) is damped, deviation under uncertainty (exploration) is kept.
    hellinger, norm_entropy, mask: [B, T] -> weights [B, T]; padding gets weight 0 and a
    sample with no valid token gets all zeros. Detached constants.
    """
    valid = mask.bool()
    score = hellinger.float() * norm_entropy.float().clamp(min=0) ** kappa  # [B, T]
    probs = torch.softmax(score.masked_fill(~valid, -torch.inf) / tau, dim=-1)  # NaN rows: no valid token
    weights = valid.sum(-1, keepdim=True) * probs
    return torch.where(valid, weights, 0.0)


@torch.no_grad()
def dgpo_token_weights(
    logits: Tensor, ref_logits: Tensor, mask: Tensor, *, tau: float = 0.5, kappa: float = 1.0
) -> Tensor:
    """DGPO token weights from policy and reference logits [B, T, V] (see dgpo_weights_from_stats)."""
    return dgpo_weights_from_stats(
        hellinger(logits, ref_logits), normalized_entropy(logits), mask, tau=tau, kappa=kappa
    )


@torch.no_grad()
def token_stats(
    logits_fn: Callable[[slice], Tensor],
    ref_logits_fn: Callable[[slice], Tensor] | None,
    token_ids: Tensor,
    *,
    dgpo: bool = False,
    chunk_size: int = 1024,
) -> dict[str, Tensor]:
    """Per-token statistics of N tokens, chunk by chunk, so vocabulary-sized tensors stay [chunk_size, V].

    logits_fn(s), ref_logits_fn(s): policy / reference logits [len(s), V] of the tokens in slice s
    (the lm_head applied to their hidden states). token_ids: [N]. Returns [N] float32 tensors:
    logp (log pi of the token); with a reference ref_logp; with `dgpo` also hellinger (squared
    Hellinger to the reference) and norm_entropy (H(pi) / log|V|). Constants for the gradient.
    """
    assert ref_logits_fn is not None or not dgpo, "DGPO statistics need the reference model's logits"
    n = token_ids.shape[0]
    keys = ["logp"] + (["ref_logp"] if ref_logits_fn is not None else [])
    keys += ["hellinger", "norm_entropy"] if dgpo else []
    out = {k: torch.zeros(n, device=token_ids.device) for k in keys}
    for start in range(0, n, chunk_size):
        s = slice(start, start + chunk_size)
        logits = logits_fn(s)  # [chunk, V]
        out["logp"][s] = token_logprobs(logits, token_ids[s])
        if ref_logits_fn is not None:
            ref_logits = ref_logits_fn(s)  # [chunk, V]
            out["ref_logp"][s] = token_logprobs(ref_logits, token_ids[s])
            if dgpo:
                out["hellinger"][s] = hellinger(logits, ref_logits)
                out["norm_entropy"][s] = normalized_entropy(logits)
    return out


@dataclass(frozen=True)
class LossSpec:
    """Hyper-parameters of `policy_loss` (names as in himac.config.AlgorithmConfig)."""

    clip_low: float = 0.2
    clip_high: float = 0.2
    dual_clip_c: float | None = None
    loss_agg: str = "token-mean"
    kl_coef: float = 0.0
    kl_kind: str = "k3"
    entropy_coef: float = 0.0
    dgpo_tau: float = 0.5
    dgpo_kappa: float = 1.0

    @classmethod
    def from_config(cls, ac: AlgorithmConfig) -> LossSpec:
        """The fields of the same names in the run's algorithm section."""
        return cls(**{f.name: getattr(ac, f.name) for f in fields(cls)})


def policy_loss(
    logp: Tensor,
    old_logp: Tensor,
    adv: Tensor,
    mask: Tensor,
    spec: LossSpec,
    *,
    ref_logp: Tensor | None = None,
    use_dgpo: Tensor | None = None,
    hellinger: Tensor | None = None,
    norm_entropy: Tensor | None = None,
    token_entropy: Tensor | None = None,
    weights: Tensor | None = None,
    is_weight: Tensor | None = None,
) -> tuple[Tensor, dict[str, float]]:
    """The learner's loss: PPO-clip + kl_coef * KL - entropy_coef * entropy, each aggregated by spec.loss_agg.

    logp (with grad), old_logp, mask: [B, T]; adv: [B] sequence advantages (or [B, T]).
    DGPO rows (use_dgpo [B], arXiv 2605.03327) take token advantages A_i * w_t with the weights
    of `dgpo_weights_from_stats(hellinger, norm_entropy)` ([B, T] each) and carry no KL term.
    ref_logp [B, T]: needed when kl_coef > 0. token_entropy [B, T] (with grad): needed when
    entropy_coef > 0. weights [B]: row i stands for weights[i] identical rows (see `aggregate`).
    is_weight [B, T]: truncated importance weights of the PPO term (`tis_weights`; None = off).
    Metrics: those of ppo_clip_loss, kl and entropy when their terms are on, and for batches with
    DGPO rows dgpo/hellinger_mean (over their valid tokens) and dgpo/weight_max.
    """
    mask = mask.float()
    adv = adv.detach().float()
    token_adv = adv[:, None].expand_as(logp) if adv.dim() == 1 else adv  # [B, T]
    if use_dgpo is None:
        use_dgpo = torch.zeros(logp.shape[0], dtype=torch.bool, device=logp.device)
    use_dgpo = use_dgpo.bool()
    dgpo_metrics = {}
    if use_dgpo.any():
        assert hellinger is not None and norm_entropy is not None, "DGPO rows need hellinger and norm_entropy"
        w = dgpo_weights_from_stats(hellinger, norm_entropy, mask, tau=spec.dgpo_tau, kappa=spec.dgpo_kappa)
        token_adv = torch.where(use_dgpo[:, None], token_adv * w, token_adv)
        valid = mask.bool() & use_dgpo[:, None]
        d = valid.float() if weights is None else valid.float() * weights.float()[:, None]
        dgpo_metrics = {
            "dgpo/hellinger_mean": _masked_mean(hellinger.float(), d),
            "dgpo/weight_max": w[valid].max().item() if valid.any() else 0.0,
        }
    loss, metrics = ppo_clip_loss(logp, old_logp, token_adv, mask, clip_low=spec.clip_low,
                                  clip_high=spec.clip_high, clip_c=spec.dual_clip_c, agg=spec.loss_agg,
                                  weights=weights, is_weight=is_weight)
    if spec.kl_coef > 0:
        assert ref_logp is not None, "kl_coef > 0 needs ref_logp"
        kl_mask = mask * (~use_dgpo)[:, None]  # DGPO rows carry no KL term
        kl_term = aggregate(kl(logp, ref_logp, spec.kl_kind), kl_mask, spec.loss_agg, weights)
        loss = loss + spec.kl_coef * kl_term
        metrics["kl"] = kl_term.item()
    if spec.entropy_coef > 0:
        assert token_entropy is not None, "entropy_coef > 0 needs token_entropy"
        ent = aggregate(token_entropy, mask, spec.loss_agg, weights)
        loss = loss - spec.entropy_coef * ent
        metrics["entropy"] = ent.item()
    metrics.update(dgpo_metrics)
    return loss, metrics


# --- engine/learner mismatch -------------------------------------------------------------------

def _known(rollout_logp: Tensor, mask: Tensor) -> Tensor:
    """Scored positions whose engine log-prob is known (NaN marks tokens no engine sampled: expert turns)."""
    return mask.bool() & torch.isfinite(rollout_logp)


def tis_weights(old_logp: Tensor, rollout_logp: Tensor, mask: Tensor, cap: float) -> Tensor:
    """Truncated importance sampling (Yao et al. 2025; verl's and OpenRLHF's TIS) [B, T]: the tokens were
    sampled by the engine (rollout_logp) but the loss assumes the learner's policy (old_logp), so each
    token's surrogate is weighted by min(exp(old_logp - rollout_logp), cap). 1 where the engine's
    log-prob is unknown or the position is not scored."""
    known = _known(rollout_logp, mask)
    log_ratio = torch.where(known, old_logp - rollout_logp.nan_to_num(0.0), 0.0)
    return log_ratio.clamp(max=math.log(cap)).exp()


def rollout_gap(old_logp: Tensor, rollout_logp: Tensor, mask: Tensor, weights: Tensor | None = None) -> dict[str, float]:
    """How far the engine's log-probs of the sampled tokens are from the learner's (old_logp) at the
    scored positions: max and (weighted) mean of |old_logp - rollout_logp| in nats, and the mean
    absolute probability gap |p_old - p_rollout| (verl's rollout_probs_diff_mean). Empty -> {}."""
    known = _known(rollout_logp, mask)
    if not known.any():
        return {}
    gap = (old_logp - rollout_logp.nan_to_num(0.0)).abs()
    pgap = (old_logp.exp() - rollout_logp.nan_to_num(0.0).exp()).abs()
    w = known.float() if weights is None else known.float() * weights.float()[:, None]
    return {"rollout/logp_gap_max": gap[known].max().item(), "rollout/logp_gap_mean": _masked_mean(gap, w),
            "rollout/prob_gap_mean": _masked_mean(pgap, w)}


def constraint_bias(allowed: Tensor, vocab: int) -> Tensor:
    """[N, V] additive logit bias: a huge negative value outside the tokens the action constraint allowed
    at each position (`allowed` [N, K] token ids, -1 padded), 0 on rows without a constraint (all -1).

    Finite on purpose: exp() underflows to exactly 0 as with -inf, but p * log p stays 0
    instead of 0 * -inf = nan in the entropy and its gradient.
    """
    constrained = allowed[:, 0] >= 0
    allowed = torch.where(allowed >= 0, allowed, allowed[:, :1]).clamp(min=0)  # pad -> a token already allowed
    bias = torch.full((len(allowed), vocab), -1e9, device=allowed.device).scatter_(1, allowed, 0.0)
    return torch.where(constrained[:, None], bias, 0.0)

"""Policy losses and token statistics: KL estimators, loss aggregation, PPO-clip, DGPO.

Shapes: B sequences, T padded response length, V vocabulary, N flattened tokens, H hidden size.
Masks are [B, T] (bool or 0/1) and select response tokens that receive gradient.

References: PPO (arXiv 1707.06347), dual clip (arXiv 1912.09729), KL estimators k1/k2/k3
(J. Schulman, "Approximating KL divergence", 2020), HiMAC (arXiv 2603.00977),
DGPO (arXiv 2605.03327).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor

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
) -> tuple[Tensor, dict[str, float]]:
    """PPO clipped surrogate L = max(-A r, -A clip(r, 1 - eps_low, 1 + eps_high)), aggregated by `agg`.

    logp, old_logp, mask: [B, T]; adv: [B] (broadcast over tokens) or [B, T].
    r = exp(clamp(logp - old_logp, +-20)). With dual clip c > 1, L = min(L, -A c) where A < 0.
    Metrics (masked): clipfrac_upper (A > 0 and r > 1 + eps_high: no gradient),
    clipfrac_lower (A < 0 and r < 1 - eps_low), approx_kl = mean(old_logp - logp),
    ratio_mean, ratio_max (0 when the mask is empty), and clipfrac_dual when c is set.
    weights [B]: sample weights (see `aggregate`), used by the loss and the metrics.
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
    gradient is NaN for masked (-inf or huge negative) logits; `torch.special.entr` has an
    infinite derivative at p = 0, which turns into NaN gradients under autograd.
    """
    logp = torch.log_softmax(logits.float(), -1)
    p = logp.exp()
    return -(p * torch.where(p > 0, logp, torch.zeros_like(logp))).sum(-1)


def normalized_entropy(logits: Tensor) -> Tensor:
    """Entropy divided by its maximum log|V|, in [0, 1]: [..., V] -> [...]."""
    return entropy(logits) / math.log(logits.shape[-1])


class DGPOStats(NamedTuple):
    """Per-token statistics DGPO needs (each shaped like token_ids)."""

    logp: Tensor  # log pi(taken token)
    hellinger: Tensor  # squared Hellinger d_t between policy and reference
    norm_entropy: Tensor  # H(pi) / log|V|


def _stats_chunk(logits: Tensor, ref_logits: Tensor, token_ids: Tensor) -> DGPOStats:
    """DGPO statistics for one chunk of rows: [c, V] x [c, V] x [c] -> three [c]."""
    logp = torch.log_softmax(logits.float(), -1)  # [c, V]
    logq = torch.log_softmax(ref_logits.float(), -1)  # [c, V]
    ent = torch.special.entr(logp.exp()).sum(-1)
    bc = (0.5 * (logp + logq)).logsumexp(-1)
    return DGPOStats(
        logp=logp.gather(-1, token_ids[:, None]).squeeze(-1),
        hellinger=(1 - bc.exp()).clamp(0.0, 1.0),
        norm_entropy=ent / math.log(logits.shape[-1]),
    )


def _cat(chunks: list[DGPOStats], shape: torch.Size) -> DGPOStats:
    return DGPOStats(*(torch.cat(parts).reshape(shape) for parts in zip(*chunks)))


@torch.no_grad()
def dgpo_stats(
    logits: Tensor, ref_logits: Tensor, token_ids: Tensor, *, chunk_size: int | None = None
) -> DGPOStats:
    """DGPO statistics from logits already computed: [..., V] x [..., V] x [...] -> DGPOStats of [...].

    With `chunk_size`, vocabulary-sized temporaries cover at most chunk_size rows at a time.
    Constants for the gradient (DGPO uses the rollout policy's statistics).
    """
    assert logits.shape == ref_logits.shape, f"logits {tuple(logits.shape)} vs ref {tuple(ref_logits.shape)}"
    flat, ref_flat = logits.reshape(-1, logits.shape[-1]), ref_logits.reshape(-1, logits.shape[-1])
    ids = token_ids.reshape(-1)
    step = chunk_size or max(flat.shape[0], 1)
    chunks = [
        _stats_chunk(flat[s : s + step], ref_flat[s : s + step], ids[s : s + step])
        for s in range(0, flat.shape[0], step)
    ]
    return _cat(chunks, token_ids.shape)


@torch.no_grad()
def dgpo_stats_chunked(
    hidden: Tensor,
    ref_hidden: Tensor,
    lm_head_weight: Tensor,
    ref_lm_head_weight: Tensor,
    token_ids: Tensor,
    chunk_size: int = 1024,
) -> DGPOStats:
    """DGPO statistics from final hidden states, projecting to the vocabulary chunk by chunk.

    hidden, ref_hidden: [N, H] (policy / reference final hidden states at the positions that
    predict token_ids [N]); lm_head_weight, ref_lm_head_weight: [V, H] (no bias, as in Qwen2.5).
    Full [N, V] logits are never held: peak vocabulary-sized tensors are [chunk_size, V].
    """
    assert hidden.shape[0] == ref_hidden.shape[0] == token_ids.shape[0], "one hidden state per token"
    chunks = [
        _stats_chunk(
            hidden[s : s + chunk_size] @ lm_head_weight.T,
            ref_hidden[s : s + chunk_size] @ ref_lm_head_weight.T,
            token_ids[s : s + chunk_size],
        )
        for s in range(0, token_ids.shape[0], chunk_size)
    ]
    if not chunks:
        empty = hidden.new_zeros(0, dtype=torch.float32)
        return DGPOStats(empty, empty, empty)
    return _cat(chunks, token_ids.shape)


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


def dgpo_loss(
    logp: Tensor,
    old_logp: Tensor,
    adv: Tensor,
    weights: Tensor,
    mask: Tensor,
    *,
    clip_low: float = 0.2,
    clip_high: float = 0.2,
    clip_c: float | None = None,
    agg: str = "token-mean",
) -> tuple[Tensor, dict[str, float]]:
    """DGPO policy loss: PPO-clip on token advantages A_i * w_t, with no KL term (arXiv 2605.03327).

    logp, old_logp, weights, mask: [B, T]; adv: [B] sequence advantages (GRPO).
    Metrics: those of ppo_clip_loss plus weight_max (largest weight on a valid token).
    """
    token_adv = adv.detach()[:, None] * weights.detach()  # [B, T]
    loss, metrics = ppo_clip_loss(
        logp, old_logp, token_adv, mask, clip_low=clip_low, clip_high=clip_high, clip_c=clip_c, agg=agg
    )
    valid = mask.bool()
    metrics["weight_max"] = weights[valid].max().item() if valid.any() else 0.0
    return loss, metrics

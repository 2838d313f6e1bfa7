"""LearnerWorker: one DeepSpeed rank of a data-parallel learner group.

Per update it (1) recomputes the rollout policy's log-probs ("old"; `old_logprobs: engine` takes
the engine's instead), the frozen reference model's log-probs and, for DGPO samples, the
per-token Hellinger deviation and entropy — in chunks over tokens, never a full [batch, length,
vocab] tensor for both models — then (2) runs PPO epochs, each split into `ppo_mini_batches`
random mini-batches of rows, one optimizer step each, the gradient accumulated over
micro-batches. With one epoch of one mini-batch and no DGPO sample, (1) is folded into (2):
the old log-probs are the loss's own forward, the reference's are taken per micro-batch.

Batch tensors (all [B, L] unless noted; token t of `input_ids` is scored by logits t-1):
  input_ids, attention_mask, loss_mask (1 on response tokens that get gradient),
  advantages [B], use_dgpo [B] (bool), and for constrained samples allowed [B, R, K] (token ids the
  action constraint allowed at response position r, -1 padded) with response_start [B],
  weights [B] (how many identical samples a row stands for; see samples.merge_duplicates). The
  [B, L] ones are declared in `Batch.per_position`; the learner's own per-token statistics are a
  separate `TokenStats`, never keys added to the batch.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import time
from collections.abc import Iterator

import torch

from actors.learner_model import (
    build_policy_model,
    deepspeed_config,
    full_parameters,
    hf_model,
    learner_dtype,
    merged_weights,
    refuse_nonfinite,
    trainable,
)
from actors.weight_sync import NcclSender
from himac.algorithms import losses
from himac.config import HiMACConfig
from himac.protocol import Batch, TokenStats, reduce_metric
from himac.samples import mini_batch_rows


class LearnerWorker(NcclSender):
    def __init__(self, model_path: str, cfg: HiMACConfig, *, rank: int = 0, world_size: int = 1,
                 master_addr: str = "127.0.0.1", master_port: int = 29500, num_threads: int | None = None) -> None:
        import deepspeed

        if num_threads:
            torch.set_num_threads(num_threads)
        os.environ.update(MASTER_ADDR=master_addr, MASTER_PORT=str(master_port), RANK=str(rank),
                          WORLD_SIZE=str(world_size), LOCAL_RANK="0" if torch.cuda.is_available() else str(rank))
        self.cuda = torch.cuda.is_available()
        deepspeed.init_distributed(dist_backend="nccl" if self.cuda else "gloo", verbose=False)
        self.rank, self.world_size = rank, world_size
        lc, ac = cfg.learner, cfg.algorithm
        self.lc, self.ac = lc, ac
        self.spec = losses.LossSpec.from_config(ac)
        self.temperature = float(cfg.rollout.temperature) or 1.0
        self.dtype = learner_dtype(cfg.model.dtype, self.cuda)
        torch.manual_seed(lc.seed)

        model = build_policy_model(model_path, cfg, self.dtype)
        self.needs_ref = ac.kl_coef > 0 or "dgpo" in (ac.planner_loss, ac.executor_loss)
        self.ref = copy.deepcopy(model).eval().requires_grad_(False) if self.needs_ref else None

        ds_config = deepspeed_config(lc, bf16=self.dtype == torch.bfloat16, cuda=self.cuda)
        params = list(trainable(model))  # frozen blocks and LoRA's base weights get no optimizer state
        if lc.optimizer == "deepspeed_adam":
            ds_config["optimizer"] = {"type": "AdamW", "params": {"lr": lc.lr, "betas": list(lc.betas),
                                                                "weight_decay": lc.weight_decay}}
            optimizer = None
        else:
            optimizer = torch.optim.AdamW(params, lr=lc.lr, betas=tuple(lc.betas), weight_decay=lc.weight_decay)
        self.engine, self.optimizer, _, _ = deepspeed.initialize(model=model, optimizer=optimizer,
                                                                 model_parameters=params, config=ds_config)
        self.device = self.engine.device
        if self.ref is not None:
            self.ref.to(self.device)
        self.updates, self.skipped_total = 0, 0  # RL optimizer steps taken / skipped (non-finite loss or gradient)
        self._sft_gen: torch.Generator | None = None  # the warm start's mini-batch draws

    # -- forward helpers ---------------------------------------------------------------
    def _hidden(self, model, batch: Batch) -> torch.Tensor:
        """Final-layer hidden states [B, L, H] (after the last norm, before the lm_head)."""
        base = model.get_decoder() if hasattr(model, "get_decoder") else model.model
        return base(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state

    def _logits(self, model, hidden: torch.Tensor, batch: Batch, rows: torch.Tensor, cols: torch.Tensor) -> torch.Tensor:
        """lm_head on the hidden states [N, H] of positions (rows, cols) -> float logits [N, V],
        temperature and the action constraint applied. A bf16/fp16 model's head runs in fp32 here
        (a bf16 logit of 20 is only resolved to 0.125; the head sees few positions, so this is cheap)."""
        logits = self._head(model, hidden) / self.temperature
        if "allowed" in batch.tensors:
            allowed = batch["allowed"][rows, cols - batch["response_start"][rows]].to(logits.device)  # [N, K]
            logits = logits + losses.constraint_bias(allowed, logits.shape[-1])
        return logits

    def _head(self, model, hidden: torch.Tensor) -> torch.Tensor:
        """The lm_head in fp32: [N, H] -> [N, V] float logits."""
        head = model.get_output_embeddings()
        if self.dtype == torch.float32:
            return head(hidden).float()
        bias = None if head.bias is None else head.bias.float()
        return torch.nn.functional.linear(hidden.float(), head.weight.float(), bias)

    @torch.no_grad()
    def _token_stats(self, batch: Batch, with_ref: bool, with_dgpo: bool) -> dict[str, torch.Tensor]:
        """Per-token statistics at the scored response positions (`losses.token_stats`, chunked).

        Returns [B, L] tensors (0 elsewhere): old_logp, and if asked ref_logp, hellinger
        (squared Hellinger between policy and reference) and norm_entropy.
        """
        model = self.engine.module
        rows, cols = losses.scored_mask(batch["loss_mask"]).nonzero(as_tuple=True)
        hid = self._hidden(model, batch)[rows, cols - 1]  # [N, H]
        ref_hid = self._hidden(self.ref, batch)[rows, cols - 1] if with_ref else None
        flat = losses.token_stats(
            lambda s: self._logits(model, hid[s], batch, rows[s], cols[s]),
            (lambda s: self._logits(self.ref, ref_hid[s], batch, rows[s], cols[s])) if with_ref else None,
            batch["input_ids"][rows, cols], dgpo=with_dgpo, chunk_size=self.ac.dgpo_chunk_size)
        flat["old_logp"] = flat.pop("logp")
        zeros = torch.zeros(batch["loss_mask"].shape, device=self.device)
        return {key: zeros.index_put((rows, cols), values) for key, values in flat.items()}

    def _batch_stats(self, batch: Batch, with_dgpo: bool) -> TokenStats:
        """`_token_stats` over the whole batch, one micro-batch at a time (bounded memory)."""
        shape = batch["loss_mask"].shape
        full: dict[str, torch.Tensor] = {}
        for idx, mb in self._micro_batches(batch):
            for k, v in self._token_stats(mb, with_ref=self.needs_ref, with_dgpo=with_dgpo).items():
                full.setdefault(k, torch.zeros(shape, device=self.device))[idx, : v.shape[1]] = v
        mask = losses.scored_mask(batch["loss_mask"]).float()
        is_weight = (losses.tis_weights(full["old_logp"], batch["rollout_logp"], mask, self.ac.tis_cap)
                     if self.ac.tis_cap > 0 and "rollout_logp" in batch else None)
        return TokenStats(full["old_logp"], mask, full.get("ref_logp"), full.get("hellinger"),
                          full.get("norm_entropy"), is_weight)

    def _logp_and_entropy(self, batch: Batch, with_entropy: bool,
                          model: torch.nn.Module | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Log-probs of the taken response tokens [B, L] (with grad) and, if asked, their entropy [B, L],
        under the policy (or `model`, e.g. the reference).

        The lm_head runs only at positions that predict a response token: for agent turns the
        response is a few tokens after a long prompt, so this skips almost all of the
        [B, L, V] logits a full forward would build.
        """
        model = self.engine.module if model is None else model
        rows, cols = losses.scored_mask(batch["loss_mask"]).nonzero(as_tuple=True)
        hid = self._hidden(model, batch)[rows, cols - 1]  # [N, H]
        logits = self._logits(model, hid, batch, rows, cols)  # [N, V]
        zeros = torch.zeros(batch["loss_mask"].shape, device=self.device, dtype=torch.float)
        logp = zeros.index_put((rows, cols), losses.token_logprobs(logits, batch["input_ids"][rows, cols]))
        ent = zeros.index_put((rows, cols), losses.entropy(logits)) if with_entropy else None
        return logp, ent

    # -- optimizer steps ------------------------------------------------------------------
    def _backward(self, loss: torch.Tensor) -> None:
        """Accumulate gradients; a non-finite loss is made to leave a non-finite gradient, so `_step` skips."""
        if not bool(torch.isfinite(loss)):
            loss = loss * float("nan")
        self.engine.backward(loss, scale_wrt_gas=False)

    def _step(self) -> float | None:
        """Apply the accumulated gradient unless its norm is non-finite.

        Returns the pre-clipping gradient norm, or None when the step was skipped (gradients
        dropped, weights untouched). DeepSpeed's ZeRO and bf16 optimizers (those with an
        `overflow` flag) test the norm and skip by themselves; with a plain torch optimizer the
        gradients are whole on every rank and the norm is tested here, before `engine.step`.
        Either way every rank sees the same reduced gradient and takes the same decision.
        """
        if hasattr(self.optimizer, "overflow"):
            skipped = self.engine.skipped_steps
            self.engine.step()
            if self.engine.skipped_steps > skipped:
                return None
            return float(self.engine.get_global_grad_norm() or 0.0)
        norms = [torch.linalg.vector_norm(p.grad) for p in self.engine.module.parameters() if p.grad is not None]
        norm = float(torch.linalg.vector_norm(torch.stack(norms))) if norms else 0.0
        if not math.isfinite(norm):
            self.engine.zero_grad()
            return None
        self.engine.step()
        return norm

    # -- public API --------------------------------------------------------------------
    def ready(self) -> bool:
        return True

    @torch.no_grad()
    def score(self, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
        """Per-token log-probs of a response at temperature 1, unconstrained (the weight-sync parity
        probe), through the same hidden-state and head path as training."""
        ids = torch.tensor([prompt_ids + response_ids], device=self.device)
        model = self.engine.module
        probe = Batch({"input_ids": ids, "attention_mask": torch.ones_like(ids)})
        hidden = self._hidden(model, probe)[0, len(prompt_ids) - 1:-1]
        return losses.token_logprobs(self._head(model, hidden), ids[0, len(prompt_ids):]).tolist()

    def update(self, batch: Batch) -> dict[str, float]:
        """One learning step on this rank's shard: token statistics, then `ppo_epochs` x `ppo_mini_batches` optimizer steps.

        Metrics: actor/* from `losses.policy_loss` (means over micro-batches; *_max keys: max),
        dgpo/*, rollout/*_gap_* (`losses.rollout_gap`: engine vs learner log-probs of the sampled
        tokens, before the update), actor/grad_norm (mean over the steps taken; NaN if none) and actor/skipped_steps
        (steps skipped for a non-finite loss or gradient).
        """
        batch = batch.to(self.device)
        t0 = time.perf_counter()
        on_policy = self._on_policy(batch)
        self.engine.module.eval()
        stats = None if on_policy else self._old_stats(batch)
        t1 = time.perf_counter()
        self.engine.module.train()
        old_logp = torch.zeros(batch["loss_mask"].shape, device=self.device) if on_policy else stats.old_logp
        per_key, norms, skipped = self._epochs(batch, stats, old_logp)
        self.skipped_total += skipped
        t2 = time.perf_counter()
        # namespaced keys (dgpo/...) keep their name
        metrics = {(k if "/" in k else f"actor/{k}"): reduce_metric(k, v) for k, v in per_key.items()}
        if "rollout_logp" in batch:
            mask = losses.scored_mask(batch["loss_mask"]).float()
            metrics.update(losses.rollout_gap(old_logp, batch["rollout_logp"], mask, batch["weights"]))
        metrics["actor/grad_norm"] = sum(norms) / len(norms) if norms else float("nan")
        metrics["actor/skipped_steps"] = float(skipped)
        metrics["timing/logprob"] = t1 - t0
        metrics["timing/update"] = t2 - t1
        return metrics

    def _epochs(self, batch: Batch, stats: TokenStats | None,
                old_logp: torch.Tensor) -> tuple[dict[str, list[float]], list[float], int]:
        """`ppo_epochs` passes, each of `ppo_mini_batches` optimizer steps: (loss metrics, gradient
        norms, skipped steps). Without `stats` (on-policy) each micro-batch's old log-probs are its
        own detached forward, written into `old_logp`."""
        per_key: dict[str, list[float]] = {}
        norms: list[float] = []
        skipped = 0
        for epoch in range(self.ac.ppo_epochs):
            for rows in mini_batch_rows(len(batch), self.ac.ppo_mini_batches, seed=self.updates * 1009 + epoch):
                self._accumulate(batch, rows, stats, old_logp, per_key)
                norm = self._step()
                skipped += norm is None
                norms += [] if norm is None else [norm]
        self.updates += len(norms)
        return per_key, norms, skipped

    def _accumulate(self, batch: Batch, rows: torch.Tensor, stats: TokenStats | None,
                    old_logp: torch.Tensor, per_key: dict[str, list[float]]) -> None:
        """Backward of the policy loss over the rows `rows`, micro-batch by micro-batch, averaged over
        the mini-batch's loss units."""
        n_total = self._loss_units(losses.scored_mask(batch["loss_mask"][rows]).float(), batch["weights"][rows])
        for sub, mb in self._micro_batches(batch.select(rows)):
            idx = rows[sub]
            mask = losses.scored_mask(mb["loss_mask"]).float()
            n_mb = self._loss_units(mask, mb["weights"])
            if n_mb == 0:
                continue
            logp, ent = self._logp_and_entropy(mb, with_entropy=self.spec.entropy_coef > 0)
            st = stats.select(idx, mask.shape[1]) if stats is not None else self._on_policy_stats(logp, mb, mask)
            if stats is None:
                old_logp[idx, : mask.shape[1]] = st.old_logp
            if self.needs_ref and st.ref_logp is None:  # taken per micro-batch, not in a separate pass
                st = dataclasses.replace(st, ref_logp=self._ref_logp(mb))
            loss, pm = losses.policy_loss(
                logp, st.old_logp, mb["advantages"], st.mask, self.spec, ref_logp=st.ref_logp,
                use_dgpo=mb["use_dgpo"], hellinger=st.hellinger, norm_entropy=st.norm_entropy,
                token_entropy=ent, weights=mb["weights"], is_weight=st.is_weight)
            self._backward(loss * (n_mb / n_total))
            for k, v in pm.items():
                per_key.setdefault(k, []).append(v)

    def _on_policy(self, batch: Batch) -> bool:
        """One step, no DGPO sample: the sampling weights are the loss's, so the old log-probs are its own
        forward, detached (DGPO's Hellinger and entropy need a separate pass over the policy's distribution)."""
        return self.ac.ppo_epochs == 1 and self.ac.ppo_mini_batches == 1 and not bool(batch["use_dgpo"].any())

    def _on_policy_stats(self, logp: torch.Tensor, mb: Batch, mask: torch.Tensor) -> TokenStats:
        """A micro-batch's statistics when the current weights sampled it: the old log-probs are `logp`."""
        old = logp.detach()
        w = (losses.tis_weights(old, mb["rollout_logp"], mask, self.ac.tis_cap)
             if self.ac.tis_cap > 0 and "rollout_logp" in mb else None)
        return TokenStats(old, mask, is_weight=w)

    def _old_stats(self, batch: Batch) -> TokenStats:
        """The statistics of a multi-step update: the learner's own pass, or (`algorithm.old_logprobs:
        engine`) the log-probs the engine sampled with, which skips that pass."""
        with_dgpo = bool(batch["use_dgpo"].any())
        if self.ac.old_logprobs == "learner" or with_dgpo:
            return self._batch_stats(batch, with_dgpo=with_dgpo)
        mask = losses.scored_mask(batch["loss_mask"]).float()
        missing = int((batch["rollout_logp"].isnan() & mask.bool()).sum())
        if missing:
            raise RuntimeError(f"algorithm.old_logprobs=engine: {missing} sampled tokens came without the engine's "
                               "log-prob; set algorithm.old_logprobs=learner")
        return TokenStats(torch.nan_to_num(batch["rollout_logp"]) * mask, mask)

    @torch.no_grad()
    def _ref_logp(self, batch: Batch) -> torch.Tensor:
        """The reference model's log-probs of the response tokens [B, L] (0 where not scored)."""
        return self._logp_and_entropy(batch, with_entropy=False, model=self.ref)[0]

    def _micro_batches(self, batch: Batch) -> Iterator[tuple[torch.Tensor, Batch]]:
        """(row indices, micro-batch) over rows of similar length, each micro-batch cut to its longest
        row (the padding is on the right): agent prompts vary a lot in length (a WebShop results page
        vs an item page), so this saves most of the padded tokens. Sums over micro-batches do not
        depend on the grouping."""
        order = torch.argsort(batch["attention_mask"].sum(1), descending=True, stable=True).cpu()
        for start in range(0, len(batch), self.lc.micro_batch_size):
            idx = order[start:start + self.lc.micro_batch_size]
            mb = batch.select(idx)
            yield idx, mb.cut(int(mb["attention_mask"].sum(1).max()))

    def _loss_units(self, mask: torch.Tensor, weights: torch.Tensor) -> float:
        """What the loss averages over: weighted tokens (token-mean) or weighted sequences."""
        per_row = mask.sum(1) if self.ac.loss_agg == "token-mean" else (mask.sum(1) > 0).float()
        return float((per_row * weights).sum())

    def sft(self, batch: Batch, steps: int, batch_size: int = 256, lr: float | None = None) -> float:
        """Behaviour cloning on (prompt, expert response) pairs: `steps` optimizer steps, each on
        a random mini-batch of `batch_size` samples, at learning rate `lr` (default: the RL
        one, restored afterwards); returns the last step's mean NLL. Steps with a non-finite
        loss or gradient are skipped and counted in `skipped_total`."""
        batch = batch.to(self.device)
        rl_lrs = [g["lr"] for g in self.optimizer.param_groups]
        for g in self.optimizer.param_groups:
            g["lr"] = lr or g["lr"]
        self.engine.module.train()
        if self._sft_gen is None:  # one stream of draws across calls: steps in chunks draw as one call would
            self._sft_gen = torch.Generator().manual_seed(self.lc.seed + self.rank)
        nll_last = 0.0
        for _ in range(steps):
            mini = batch.select(torch.randperm(len(batch), generator=self._sft_gen)[:batch_size])
            total = float(losses.scored_mask(mini["loss_mask"]).sum())
            nll_last = 0.0
            for _, mb in self._micro_batches(mini):
                m = losses.scored_mask(mb["loss_mask"]).float()
                if not m.any():  # every position forced: nothing to learn
                    continue
                nll = self._summed_nll(mb, m)[0] / total
                self._backward(nll)
                nll_last += float(nll.detach())
            if self._step() is None:
                self.skipped_total += 1
        for g, rl_lr in zip(self.optimizer.param_groups, rl_lrs):
            g["lr"] = rl_lr
        if self.ref is not None:  # the warm-started policy is the reference for KL / DGPO
            self.ref.load_state_dict(self.engine.module.state_dict())
        return nll_last

    def _summed_nll(self, mb: Batch, m: torch.Tensor | None = None) -> tuple[torch.Tensor, float]:
        """(NLL summed over a micro-batch's scored response tokens, with grad; how many tokens).
        `m`: the micro-batch's scored mask, if the caller has it already."""
        m = losses.scored_mask(mb["loss_mask"]).float() if m is None else m
        logp, _ = self._logp_and_entropy(mb, with_entropy=False)
        return -(logp * m).sum(), float(m.sum())

    @torch.no_grad()
    def nll(self, batch: Batch) -> tuple[float, float]:
        """(summed NLL, scored tokens) of a batch's responses: the warm start's validation loss."""
        parts = [self._summed_nll(mb) for _, mb in self._micro_batches(batch.to(self.device))]
        return sum(float(s) for s, _ in parts), sum(n for _, n in parts)

    def export_weights(self) -> dict[str, torch.Tensor]:
        """Full (gathered) weights on CPU, in Hugging Face checkpoint names, LoRA merged; refuses non-finite weights."""
        if self.lc.zero_stage == 3:
            named = full_parameters(self.engine.module, self.lc.zero_stage)
            out = {name: p.detach().cpu().clone() for name, p in named}
        else:
            out = merged_weights(self.engine.module)
        refuse_nonfinite(out.items(), "export the weights")
        return out

    # -- checkpoints --------------------------------------------------------------------
    def save(self, path: str) -> None:
        """DeepSpeed checkpoint (weights, optimizer, update count) and the reference; refuses non-finite weights."""
        refuse_nonfinite(full_parameters(self.engine.module, self.lc.zero_stage), f"write a checkpoint to {path}")
        self.engine.save_checkpoint(path, tag="learner", client_state={"updates": self.updates})
        if self.ref is not None and self.rank == 0:
            torch.save(self.ref.state_dict(), os.path.join(path, "reference.pt"))

    def load(self, path: str) -> None:
        _, client = self.engine.load_checkpoint(path, tag="learner")
        if client is None:
            raise RuntimeError(f"no learner checkpoint could be loaded from {path}")
        self.updates = client["updates"]
        ref_path = os.path.join(path, "reference.pt")
        if self.ref is not None and os.path.exists(ref_path):
            self.ref.load_state_dict(torch.load(ref_path, map_location=self.device))

    def save_hf(self, path: str) -> None:
        """Save the current policy as a Hugging Face model directory (rank 0); refuses non-finite weights."""
        if self.rank == 0:
            hf_model(self.engine.module).save_pretrained(path, state_dict=self.export_weights(),
                                                          safe_serialization=True)

"""LearnerWorker: one DeepSpeed rank of a data-parallel learner group.

Per update it (1) recomputes the rollout policy's log-probs ("old"), the frozen reference
model's log-probs and, for DGPO samples, the per-token Hellinger deviation and entropy —
in chunks over tokens, never a full [batch, length, vocab] tensor for both models — then
(2) runs PPO epochs over micro-batches. Gradient accumulation is caller-owned: one
optimizer step per epoch whatever the (variable) number of samples.

Batch tensors (all [B, L] unless noted; token t of `input_ids` is scored by logits t-1):
  input_ids, attention_mask, loss_mask (1 on response tokens that get gradient),
  advantages [B], use_dgpo [B] (bool), restrict [B] (bool: logits limited to meta["allowed_ids"]),
  weights [B] (optional: how many identical samples a row stands for; see samples.merge_duplicates).
"""

from __future__ import annotations

import copy
import os
import time
from typing import Any

import torch

from himac.algorithms import losses
from himac.protocol import Batch


class LearnerWorker:
    def __init__(self, model_path: str, cfg: dict[str, Any], *, rank: int = 0, world_size: int = 1,
                 master_addr: str = "127.0.0.1", master_port: int = 29500, num_threads: int | None = None) -> None:
        import deepspeed
        from transformers import AutoModelForCausalLM

        if num_threads:
            torch.set_num_threads(num_threads)
        os.environ.update(MASTER_ADDR=master_addr, MASTER_PORT=str(master_port), RANK=str(rank),
                          WORLD_SIZE=str(world_size), LOCAL_RANK="0" if torch.cuda.is_available() else str(rank))
        self.cuda = torch.cuda.is_available()
        deepspeed.init_distributed(dist_backend="nccl" if self.cuda else "gloo", verbose=False)
        self.rank, self.world_size = rank, world_size
        lc, ac = cfg["learner"], cfg["algorithm"]
        self.lc, self.ac = lc, ac
        self.temperature = float(cfg["rollout"]["temperature"]) or 1.0
        dtype = cfg["model"]["dtype"]
        self.dtype = (torch.bfloat16 if self.cuda else torch.float32) if dtype == "auto" else getattr(torch, dtype)
        torch.manual_seed(lc["seed"])

        model = AutoModelForCausalLM.from_pretrained(model_path, dtype=self.dtype)
        if cfg["model"]["gradient_checkpointing"]:
            model.gradient_checkpointing_enable()
        self.needs_ref = ac["kl_coef"] > 0 or "dgpo" in (ac["planner_loss"], ac["executor_loss"])
        self.ref = copy.deepcopy(model).eval().requires_grad_(False) if self.needs_ref else None
        self.tie = bool(model.config.tie_word_embeddings)

        ds_config = {
            "train_micro_batch_size_per_gpu": lc["micro_batch_size"],
            "gradient_accumulation_steps": 1,
            "managed_gradient_accumulation": False,
            "gradient_clipping": lc["grad_clip"],
            "zero_optimization": {"stage": lc["zero_stage"]},
            "bf16": {"enabled": self.dtype == torch.bfloat16},
            "zero_allow_untested_optimizer": True,
            "steps_per_print": 10**9,
            "wall_clock_breakdown": False,
        }
        if lc["offload"]:
            ds_config["zero_optimization"]["offload_optimizer"] = {"device": "cpu", "pin_memory": self.cuda}
        params = [p for p in model.parameters() if p.requires_grad]
        if lc["optimizer"] == "deepspeed_adam":
            ds_config["optimizer"] = {"type": "AdamW", "params": {"lr": lc["lr"], "betas": list(lc["betas"]),
                                                                "weight_decay": lc["weight_decay"]}}
            optimizer = None
        else:
            optimizer = torch.optim.AdamW(params, lr=lc["lr"], betas=tuple(lc["betas"]),
                                          weight_decay=lc["weight_decay"])
        self.engine, self.optimizer, _, _ = deepspeed.initialize(model=model, optimizer=optimizer,
                                                                 model_parameters=params, config=ds_config)
        self.device = self.engine.device
        if self.ref is not None:
            self.ref.to(self.device)
        self.updates = 0

    # -- forward helpers ---------------------------------------------------------------
    def _hidden(self, model, batch: Batch) -> torch.Tensor:
        """Final-layer hidden states [B, L, H] (after the last norm, before the lm_head)."""
        base = model.get_decoder() if hasattr(model, "get_decoder") else model.model
        return base(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state

    def _logit_bias(self, batch: Batch, vocab: int) -> torch.Tensor | None:
        """[B, V] additive bias: a huge negative value outside meta['allowed_ids'] for rows with restrict=1.

        Finite on purpose: exp() underflows to exactly 0 as with -inf, but p * log p stays 0
        instead of 0 * -inf = nan in the entropy and its gradient.
        """
        if "restrict" not in batch.tensors or not bool(batch["restrict"].any()):
            return None
        bias = torch.zeros(len(batch), vocab, device=self.device)
        allowed = torch.full((vocab,), -1e9, device=self.device)
        allowed[batch.meta["allowed_ids"]] = 0.0
        bias[batch["restrict"].bool()] = allowed
        return bias

    @staticmethod
    def _response_positions(batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
        """(rows, cols) of the response tokens that get a log-prob (token t is scored by position t-1)."""
        mask = batch["loss_mask"].bool().clone()
        mask[:, 0] = False
        return mask.nonzero(as_tuple=True)

    def _logits(self, model, hidden: torch.Tensor, rows: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """lm_head on selected hidden states [N, H] -> float logits [N, V], temperature and restriction applied."""
        logits = model.get_output_embeddings()(hidden).float() / self.temperature
        return logits if bias is None else logits + bias[rows]

    def _token_stats(self, batch: Batch, with_ref: bool, with_dgpo: bool) -> dict[str, torch.Tensor]:
        """No-grad per-token statistics at response positions, computed chunk by chunk.

        Returns [B, L] tensors (0 off the loss mask): old_logp, and if asked ref_logp,
        hellinger (squared Hellinger between policy and reference) and norm_entropy.
        """
        model = self.engine.module
        rows, cols = self._response_positions(batch)
        tokens = batch["input_ids"][rows, cols]
        shape = batch["loss_mask"].shape
        out = {k: torch.zeros(shape, device=self.device)
               for k in ["old_logp"] + (["ref_logp"] if with_ref else []) + (["hellinger", "norm_entropy"] if with_dgpo else [])}
        hid = self._hidden(model, batch)[rows, cols - 1]
        ref_hid = self._hidden(self.ref, batch)[rows, cols - 1] if with_ref else None
        bias = self._logit_bias(batch, model.get_output_embeddings().weight.shape[0])
        chunk = int(self.ac["dgpo_chunk_size"])
        for s in range(0, len(rows), chunk):
            sl = slice(s, s + chunk)
            r, c = rows[sl], cols[sl]
            logits = self._logits(model, hid[sl], r, bias)  # [chunk, V]: one chunk of logits at a time
            out["old_logp"][r, c] = losses.token_logprobs(logits, tokens[sl])
            if with_ref:
                ref_logits = self._logits(self.ref, ref_hid[sl], r, bias)
                out["ref_logp"][r, c] = losses.token_logprobs(ref_logits, tokens[sl])
                if with_dgpo:
                    out["hellinger"][r, c] = losses.hellinger(logits, ref_logits)
                    out["norm_entropy"][r, c] = losses.normalized_entropy(logits)
        return out

    def _logp_and_entropy(self, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probs of the taken response tokens [B, L] (with grad) and their entropy [B, L].

        The lm_head runs only at positions that predict a response token: for agent turns the
        response is a few tokens after a long prompt, so this skips almost all of the
        [B, L, V] logits a full forward would build.
        """
        model = self.engine.module
        rows, cols = self._response_positions(batch)
        hid = self._hidden(model, batch)[rows, cols - 1]  # [N, H]
        bias = self._logit_bias(batch, model.get_output_embeddings().weight.shape[0])
        logits = self._logits(model, hid, rows, bias)  # [N, V]
        logp = torch.zeros(batch["loss_mask"].shape, device=self.device, dtype=torch.float)
        ent = torch.zeros_like(logp)
        logp = logp.index_put((rows, cols), losses.token_logprobs(logits, batch["input_ids"][rows, cols]))
        if self.ac["entropy_coef"] > 0:
            ent = ent.index_put((rows, cols), losses.entropy(logits))
        return logp, ent

    # -- public API --------------------------------------------------------------------
    @torch.no_grad()
    def score(self, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
        """Per-token log-probs of a response (the weight-sync parity probe)."""
        ids = torch.tensor([prompt_ids + response_ids], device=self.device)
        logits = self.engine.module(input_ids=ids).logits[0, :-1].float()
        logp = losses.token_logprobs(logits, ids[0, 1:])
        return logp[len(prompt_ids) - 1:].tolist()

    def update(self, batch: Batch) -> dict[str, float]:
        """One learning step on this rank's shard: stats, then `ppo_epochs` optimizer steps."""
        batch = batch.to(self.device)
        t0 = time.perf_counter()
        use_dgpo = batch["use_dgpo"].bool()
        with_dgpo = bool(use_dgpo.any())
        self.engine.module.eval()
        with torch.no_grad():
            stats = self._token_stats(batch, with_ref=self.needs_ref, with_dgpo=with_dgpo)
        mask = batch["loss_mask"].float()
        mask[:, 0] = 0
        adv = batch["advantages"].float()[:, None].expand_as(mask).clone()  # [B, L]
        metrics: dict[str, float] = {}
        if with_dgpo:
            w = losses.dgpo_weights_from_stats(stats["hellinger"], stats["norm_entropy"], mask,
                                               tau=self.ac["dgpo_tau"], kappa=self.ac["dgpo_kappa"])
            adv = torch.where(use_dgpo[:, None], adv * w, adv)
            d = mask * use_dgpo[:, None]
            metrics["dgpo/hellinger_mean"] = float((stats["hellinger"] * d).sum() / d.sum().clamp(min=1))
            metrics["dgpo/weight_max"] = float((w * d).max())
        batch.tensors.update(stats, token_adv=adv, mask_f=mask)
        t1 = time.perf_counter()

        self.engine.module.train()
        if "weights" not in batch.tensors:
            batch.tensors["weights"] = torch.ones(len(batch), device=self.device)
        n_total = self._loss_units(mask, batch["weights"])
        agg_metrics: dict[str, list[float]] = {}
        for _ in range(self.ac["ppo_epochs"]):
            for mb in batch.micro_batches(self.lc["micro_batch_size"]):
                m, wts = mb["mask_f"], mb["weights"]
                n_mb = self._loss_units(m, wts)
                if n_mb == 0:
                    continue
                logp, ent = self._logp_and_entropy(mb)
                loss, pm = losses.ppo_clip_loss(
                    logp, mb["old_logp"], mb["token_adv"], m, clip_low=self.ac["clip_low"],
                    clip_high=self.ac["clip_high"], clip_c=self.ac["dual_clip_c"], agg=self.ac["loss_agg"],
                    weights=wts)
                if self.ac["kl_coef"] > 0:
                    km = m * (~mb["use_dgpo"].bool())[:, None]  # DGPO samples carry no KL term
                    kl = losses.aggregate(losses.kl(logp, mb["ref_logp"], self.ac["kl_kind"]), km, self.ac["loss_agg"], wts)
                    loss = loss + self.ac["kl_coef"] * kl
                    pm["kl"] = float(kl.detach())
                if self.ac["entropy_coef"] > 0:
                    e = losses.aggregate(ent, m, self.ac["loss_agg"], wts)
                    loss = loss - self.ac["entropy_coef"] * e
                    pm["entropy"] = float(e.detach())
                self.engine.backward(loss * (n_mb / n_total), scale_wrt_gas=False)
                for k, v in pm.items():
                    agg_metrics.setdefault(k, []).append(float(v))
            grad_norm = self._grad_norm()
            self.engine.step()
            self.updates += 1
            agg_metrics.setdefault("grad_norm", []).append(grad_norm or float(self.engine.get_global_grad_norm() or 0.0))
        t2 = time.perf_counter()
        metrics.update({f"actor/{k}": sum(v) / len(v) for k, v in agg_metrics.items()})
        metrics["timing/logprob"] = t1 - t0
        metrics["timing/update"] = t2 - t1
        return metrics

    def _loss_units(self, mask: torch.Tensor, weights: torch.Tensor) -> float:
        """What the loss averages over: weighted tokens (token-mean) or weighted sequences."""
        per_row = mask.sum(1) if self.ac["loss_agg"] == "token-mean" else (mask.sum(1) > 0).float()
        return float((per_row * weights).sum())

    def _grad_norm(self) -> float | None:
        """Pre-clipping gradient norm where gradients are whole on this rank (ZeRO 0/1)."""
        if self.lc["zero_stage"] >= 2:
            return None  # partitioned: DeepSpeed reports it after step()
        grads = [p.grad for p in self.engine.module.parameters() if p.grad is not None]
        return float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))) if grads else 0.0

    def sft(self, batch: Batch, steps: int, batch_size: int = 256, lr: float | None = None) -> float:
        """Behaviour cloning on (prompt, expert response) pairs: `steps` optimizer steps, each on
        a random mini-batch of `batch_size` samples, at learning rate `lr` (default: the RL
        one, restored afterwards); returns the last step's mean NLL."""
        batch = batch.to(self.device)
        rl_lrs = [g["lr"] for g in self.optimizer.param_groups]
        for g in self.optimizer.param_groups:
            g["lr"] = lr or g["lr"]
        self.engine.module.train()
        gen = torch.Generator().manual_seed(self.lc["seed"] + self.rank)
        nll_last = 0.0
        for _ in range(steps):
            mini = batch.select(torch.randperm(len(batch), generator=gen)[:batch_size])
            mask = mini["loss_mask"].float()
            mask[:, 0] = 0
            total = float(mask.sum())
            nll_last = 0.0
            for mb in mini.micro_batches(self.lc["micro_batch_size"]):
                m = mb["loss_mask"].float()
                m[:, 0] = 0
                if m.sum() == 0:
                    continue
                logp, _ = self._logp_and_entropy(mb)
                nll = -(logp * m).sum() / total
                self.engine.backward(nll, scale_wrt_gas=False)
                nll_last += float(nll.detach())
            self.engine.step()
        for g, rl_lr in zip(self.optimizer.param_groups, rl_lrs):
            g["lr"] = rl_lr
        if self.ref is not None:  # the warm-started policy is the reference for KL / DGPO
            self.ref.load_state_dict(self.engine.module.state_dict())
        return nll_last

    def export_weights(self) -> dict[str, torch.Tensor]:
        """Full (gathered) weights on CPU, in Hugging Face checkpoint names."""
        model = self.engine.module
        if self.lc["zero_stage"] == 3:
            import deepspeed

            out = {}
            for name, p in model.named_parameters():
                with deepspeed.zero.GatheredParameters([p]):
                    out[name] = p.detach().cpu().clone()
            return out
        sd = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        if self.tie:
            sd.pop("lm_head.weight", None)
        return sd

    # -- checkpoints --------------------------------------------------------------------
    def save(self, path: str) -> None:
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
        """Save the current policy as a Hugging Face model directory (rank 0)."""
        if self.rank == 0:
            self.engine.module.save_pretrained(path, state_dict=self.export_weights(), safe_serialization=True)

    # -- GPU weight sync (NCCL) -----------------------------------------------------------
    def free_address(self) -> tuple[str, int]:
        import ray

        from actors.placement import free_port

        return ray.util.get_node_ip_address(), free_port()

    def join_sync_group(self, name: str, addr: str, port: int, rank: int, world: int) -> None:
        from actors.weight_sync import init_group

        init_group(name, addr, port, rank, world, self.device)

    def weight_specs(self) -> list[tuple[str, str, tuple[int, ...]]]:
        return [(n, str(t.dtype).removeprefix("torch."), tuple(t.shape)) for n, t in self.export_weights().items()]

    def broadcast_weights(self, name: str) -> int:
        from actors.weight_sync import get_group

        group = get_group(name)
        weights = self.export_weights()
        for t in weights.values():
            group.broadcast(t.to(self.device), src=0)
        torch.cuda.synchronize()
        return len(weights)

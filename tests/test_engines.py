"""Constrained decoding inside the engine (actors/trie_sampling.py, actors/vllm_trie.py).

Each constrained response comes out of one engine call per batch and is exactly one of its
admissible sequences; its log-probs are the learner's: softmax(logits / T) restricted to the
trie's continuations at each position (T = 1 for greedy), recomputed here with transformers.
Free requests in the same batch keep working and report their sampling distribution's log-probs.
"""

from __future__ import annotations

import pytest
import torch

from actors.trie_sampling import TrieWalk, end_token, finish_sequence, mask_rows, stop_tokens
from himac.agent.constraints import ActionTrie, choice_sequences, response_choices
from himac.protocol import GenRequest

# shared prefixes ("go to cabinet 1" / "... 10"), long forced runs, sequences of different lengths,
# and with <sub_done> on, a branch at the very end of every action
ACTIONS = ["go to cabinet 1", "go to cabinet 10", "go to fridge 1", "look", "take apple 1 from countertop 2"]
TOL = 1e-4


@pytest.fixture(scope="module")
def tok(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


@pytest.fixture(scope="module")
def hf_model(tiny_model):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()


@pytest.fixture(scope="module")
def seqs(tok) -> list[list[int]]:
    return choice_sequences(response_choices(ACTIONS, "t", style="compact", use_sub_done=True), tok)


@pytest.fixture(scope="module")
def crossed(tok) -> list[list[int]]:
    """A trie whose last tokens also occur inside sequences: the engine must stop on an end token."""
    go, look, take = (tok.encode(w, add_special_tokens=False)[0] for w in ("go", "look", "take"))
    return [[go, look], [look, go], [take, go, look]]


@pytest.fixture(scope="module")
def prompt(tok) -> list[int]:
    return tok.encode("task: put an apple in the fridge\n<action>", add_special_tokens=False)


@torch.no_grad()
def reference_logprobs(model, prompt: list[int], response: list[int], allowed: list[list[int] | None],
                       temperature: float) -> list[float]:
    """Per response token: log softmax(logits / T) over its allowed set (None: the whole vocabulary)."""
    logits = model(torch.tensor([prompt + response])).logits[0, len(prompt) - 1 : -1].float()
    t = temperature if temperature > 0 else 1.0
    out = []
    for i, ok in enumerate(allowed):
        row = logits[i] / t
        if ok is not None:
            row = torch.full_like(row, float("-inf")).index_copy(0, torch.tensor(ok), row[ok])
        out.append(float(torch.log_softmax(row, -1)[response[i]]))
    return out


def constrained_requests(prompt: list[int], seqs: list[list[int]]) -> list[GenRequest]:
    """Many seeds at T=1 and T=0.7, and a greedy one."""
    reqs = [GenRequest(prompt, 8, 1.0, allowed_sequences=seqs, seed=s) for s in range(24)]
    reqs += [GenRequest(prompt, 8, 0.7, allowed_sequences=seqs, seed=100 + s) for s in range(8)]
    return reqs + [GenRequest(prompt, 8, 0.0, allowed_sequences=seqs)]


def check_constrained(out, reqs: list[GenRequest], seqs: list[list[int]], model, prompt: list[int]) -> None:
    trie = ActionTrie(seqs)
    assert all(o.token_ids in seqs and o.finish_reason == "stop" for o in out)
    assert len({tuple(o.token_ids) for o in out}) >= 2  # it does sample among the actions
    for r, o in zip(reqs, out):
        allowed = trie.allowed_per_position(o.token_ids)
        assert len(o.logprobs) == len(o.token_ids)
        assert all(lp == 0.0 for lp, a in zip(o.logprobs, allowed) if len(a) == 1)  # forced: probability 1
        ref = reference_logprobs(model, prompt, o.token_ids, allowed, r.temperature)
        assert max(abs(a - b) for a, b in zip(o.logprobs, ref)) < TOL, (o.token_ids, o.logprobs, ref)


# -- the engine-agnostic pieces --------------------------------------------------------------------
def test_trie_walk_follows_the_growing_output_and_then_allows_only_the_end_token():
    trie = ActionTrie([[1, 2, 3], [1, 2, 4], [5]])
    out: list[int] = []
    walk = TrieWalk(trie, 9, out)
    assert sorted(walk.allowed()) == [1, 5]
    out += [1, 2]
    assert sorted(walk.allowed()) == [3, 4] and not walk.complete
    out.append(4)
    assert walk.complete and walk.allowed() == [9]
    with pytest.raises(RuntimeError, match="left its trie"):
        TrieWalk(trie, 9, [1, 3]).allowed()


def test_end_token_is_never_a_token_of_the_sequences():
    assert end_token([[1, 2], [3]], preferred=7) == 7
    assert end_token([[0, 7], [1, 3]], preferred=7) == 2
    assert end_token([[0, 1, 2]], preferred=None) == 3


def test_stop_tokens_are_the_last_tokens_unless_one_also_occurs_inside_a_sequence():
    assert stop_tokens([[1, 2, 3], [1, 2, 4], [5, 6]], end=9) == [3, 4, 6]
    assert stop_tokens([[1, 2], [2, 1]], end=9) == [9]
    assert stop_tokens([[1, 2], [3, 2, 4]], end=9) == [9]


def test_mask_rows_keeps_only_the_allowed_tokens_of_the_masked_rows():
    logits = torch.zeros(3, 6)
    mask_rows(logits, [0, 2], [[1, 4], [5]])
    assert torch.isfinite(logits[0]).tolist() == [False, True, False, False, True, False]
    assert torch.isfinite(logits[1]).all()
    assert torch.isfinite(logits[2]).tolist() == [False] * 5 + [True]


def test_finish_sequence_drops_the_end_token_and_rejects_anything_outside_the_trie():
    trie = ActionTrie([[1, 2], [3]])
    assert finish_sequence([1, 2, 9], [-0.5, 0.0, 0.0], trie, 9) == ([1, 2], [-0.5, 0.0])
    assert finish_sequence([3], [-0.1], trie, 9) == ([3], [-0.1])  # cut by max_model_len right at the leaf
    with pytest.raises(RuntimeError, match="outside its trie"):
        finish_sequence([1, 9], [0.0, 0.0], trie, 9)


# -- HF backend ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hf_worker(tiny_model):
    from actors.engines import RolloutWorker

    return RolloutWorker(tiny_model, "hf", dtype="float32")


def test_hf_constrained_samples_stay_in_the_trie_with_the_learners_logprobs(hf_worker, hf_model, seqs, prompt):
    reqs = constrained_requests(prompt, seqs)
    out = hf_worker.generate(reqs)
    check_constrained(out, reqs, seqs, hf_model, prompt)
    assert [o.token_ids for o in hf_worker.generate(reqs[:4])] == [o.token_ids for o in out[:4]]  # seeded
    assert hf_worker.prefix_cache_stats() == {"queries": 0, "hits": 0}


def test_hf_free_logprobs_are_those_of_the_sampling_distribution(hf_worker, hf_model, prompt):
    reqs = [GenRequest(prompt, 5, 0.7, seed=1), GenRequest(prompt, 4, 0.0),
            GenRequest(prompt, 3, 1.3, allowed_token_ids=[7, 9, 11], seed=2)]
    for r, o in zip(reqs, hf_worker.generate(reqs)):
        ref = reference_logprobs(hf_model, prompt, o.token_ids, [r.allowed_token_ids] * len(o.token_ids),
                                 r.temperature)
        assert max(abs(a - b) for a, b in zip(o.logprobs, ref)) < TOL


# -- vLLM backend (a Ray actor, as in test_runtime.py) ------------------------------------------------
@pytest.fixture(scope="module")
def vllm_actor(ray_cluster, tiny_model):
    from actors.engines import RolloutWorker

    actor = ray_cluster.remote(RolloutWorker).options(num_cpus=0.5).remote(
        tiny_model, "vllm", dtype="float32", gpu_memory_utilization=0.05, max_model_len=512, kv_cache_gib=0.25,
        kv_block_size=32)

    def count_generate_calls(worker) -> None:  # runs inside the actor: wraps llm.generate with a counter
        llm = worker.engine.llm
        inner = llm.generate
        worker.generate_calls = 0

        def counted(*args, **kwargs):
            worker.generate_calls += 1
            return inner(*args, **kwargs)

        llm.generate = counted

    ray_cluster.get(actor.__ray_call__.remote(count_generate_calls), timeout=300)
    yield actor
    ray_cluster.kill(actor)


def _calls(ray, actor) -> int:
    return ray.get(actor.__ray_call__.remote(lambda w: w.generate_calls), timeout=60)


@pytest.mark.integration
@pytest.mark.timeout(600)
def test_vllm_samples_a_mixed_batch_in_one_engine_call(ray_cluster, vllm_actor, hf_model, seqs, crossed, prompt):
    """Constrained requests (many seeds, T=1, T=0.7, greedy; a trie that stops on its last tokens
    and one that needs an end token) and free ones in one batch: one `llm.generate`; every
    constrained answer is in its trie with the learner's log-probs; the free ones stop and report
    their own sampling distribution's log-probs."""
    ray = ray_cluster
    reqs = constrained_requests(prompt, seqs)
    cross = [GenRequest(prompt, 3, 1.0, allowed_sequences=crossed, seed=200 + s) for s in range(8)]
    free = [GenRequest(prompt, 6, 0.8, stop=["</action>"], seed=5), GenRequest(prompt, 4, 0.0),
            GenRequest(prompt, 3, 1.0, allowed_token_ids=[7, 9, 11], seed=6)]
    before = _calls(ray, vllm_actor)
    out = ray.get(vllm_actor.generate.remote(free[:1] + reqs + cross + free[1:]), timeout=300)
    assert _calls(ray, vllm_actor) == before + 1
    n = len(reqs)
    check_constrained(out[1 : n + 1], reqs, seqs, hf_model, prompt)
    check_constrained(out[n + 1 : n + 9], cross, crossed, hf_model, prompt)
    for r, o in zip(free, out[:1] + out[-2:]):
        assert 1 <= len(o.token_ids) <= r.max_tokens and len(o.logprobs) == len(o.token_ids)
        ref = reference_logprobs(hf_model, prompt, o.token_ids, [r.allowed_token_ids] * len(o.token_ids),
                                 r.temperature)
        assert max(abs(a - b) for a, b in zip(o.logprobs, ref)) < TOL
    assert all(t in (7, 9, 11) for t in out[-1].token_ids)
    again = ray.get(vllm_actor.generate.remote(reqs[:4]), timeout=300)
    assert [o.token_ids for o in again] == [o.token_ids for o in out[1:5]]  # seeded


@pytest.mark.integration
@pytest.mark.timeout(600)
def test_vllm_reports_prefix_cache_counters_and_its_kv_cache_size(ray_cluster, vllm_actor):
    """A prompt sent twice: the second lookup counts its tokens as queries and serves its full
    KV blocks (rollout.kv_block_size=32 tokens) from the cache, all but the last token's block."""
    ray = ray_cluster
    cache = ray.get(vllm_actor.__ray_call__.remote(lambda w: w.engine.llm.llm_engine.vllm_config.cache_config),
                    timeout=60)
    long_prompt = [5 + (7 * i) % 300 for i in range(2 * cache.block_size + 20)]  # seen nowhere else
    ray.get(vllm_actor.generate.remote([GenRequest(long_prompt, 1, 0.0)]), timeout=300)
    first = ray.get(vllm_actor.prefix_cache_stats.remote(), timeout=60)
    ray.get(vllm_actor.generate.remote([GenRequest(long_prompt, 1, 0.0)]), timeout=300)
    second = ray.get(vllm_actor.prefix_cache_stats.remote(), timeout=60)
    assert first["queries"] >= len(long_prompt)
    assert second["queries"] - first["queries"] == len(long_prompt)
    assert second["hits"] - first["hits"] == 2 * cache.block_size
    assert cache.kv_cache_memory_bytes == int(0.25 * (1 << 30))  # kv_cache_gib=0.25
    assert cache.block_size == 32  # kv_block_size=32 (vLLM's CPU default is 128)

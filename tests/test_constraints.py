"""The admissible-action constraint: prefix tree, response choices, and the same mask in the
rollout engine (HF, in-process) and in the learner's log-probs."""

from __future__ import annotations

import pytest
import torch

from envs.webshop.env import WebShopEnv, search_query
from himac.agent import parse_action, response_prefix
from himac.agent.constraints import ActionTrie, choice_sequences, fill_placeholders, response_choices

ALFWORLD = ["go to cabinet 1", "go to cabinet 10", "go to countertop 1", "take apple 1 from countertop 1", "look"]


def test_trie_allows_exactly_the_continuations():
    trie = ActionTrie([[1, 2, 9], [1, 3, 9], [4, 9]])
    assert trie.allowed([]) == [1, 4] and trie.allowed([1]) == [2, 3] and trie.allowed([1, 2]) == [9]
    assert trie.complete([4, 9]) and not trie.complete([4]) and trie.allowed([4, 9]) == []
    assert trie.allowed_per_position([1, 3, 9]) == [[1, 4], [2, 3], [9]]
    with pytest.raises(ValueError, match="prefix"):
        ActionTrie([[1, 2], [1, 2, 3]])
    with pytest.raises(ValueError, match="at least one"):
        ActionTrie([])


@pytest.mark.parametrize("style", ["compact", "verbose", "chat"])
@pytest.mark.parametrize("use_sub_done", [False, True])
def test_every_choice_parses_back_to_its_action(style, use_sub_done):
    choices = response_choices(ALFWORLD, "put an apple in the fridge", style=style, use_sub_done=use_sub_done)
    assert len(choices) == len(ALFWORLD) * (2 if use_sub_done else 1)
    parsed = {parse_action(response_prefix("executor", style) + "".join(c)) for c in choices}
    expected = {(a, True, d) for a in ALFWORLD for d in ((False, True) if use_sub_done else (False,))}
    assert parsed == expected


def test_webshop_search_placeholder_becomes_the_instruction_query():
    task = "i need a long clip-in hair extension which is natural looking, and price lower than 40.00 dollars"
    assert search_query(task) == "i need a long clip-in hair extension which is natural looking"
    choices = response_choices(["search[<your query>]", "click[back to search]"], task, style="verbose",
                               use_sub_done=False)
    assert choices[0] == ["<action>", f"search[{search_query(task)}]", "</action>"]


def test_the_placeholder_rule_is_the_envs_declaration(monkeypatch):
    """The constraint module knows no env: WebShop declares its placeholder and how to fill it, and
    a placeholder any env declares is filled the same way."""
    assert WebShopEnv.metadata["action_placeholders"] == {"<your query>": search_query}
    assert fill_placeholders("go to <your query>", "Find a Red Mug, and price lower than 9.00 dollars") == (
        "go to find a red mug")

    import envs

    declared = {**envs.action_placeholders(), "<a room>": lambda task: task.split()[-1]}
    monkeypatch.setattr("himac.agent.constraints.action_placeholders", lambda: declared)
    choices = response_choices(["go[<a room>]", "look"], "walk to the kitchen", style="verbose", use_sub_done=False)
    assert [c[1] for c in choices] == ["go[kitchen]", "look"]


@pytest.fixture(scope="module")
def tiny_tok(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def test_constrained_generation_stays_in_the_trie_and_is_reproducible(tiny_model, tiny_tok):
    """HF engine, multi-token actions: every sample is one admissible response, forced tokens have
    log-prob 0, and the same seed gives the same sample."""
    from actors.engines import RolloutWorker
    from himac.protocol import GenRequest

    worker = RolloutWorker(tiny_model, "hf", dtype="float32")
    seqs = choice_sequences(response_choices(ALFWORLD, "t", style="compact", use_sub_done=True), tiny_tok)
    prompt = tiny_tok.encode("task: put an apple in the fridge\n<action>", add_special_tokens=False)
    reqs = [GenRequest(prompt, 8, 1.0, allowed_sequences=seqs, seed=s) for s in range(24)]
    out = worker.generate(reqs)
    trie = ActionTrie(seqs)
    assert all(list(o.token_ids) in seqs for o in out)
    assert len({tuple(o.token_ids) for o in out}) >= 3  # it does sample among the actions
    for o in out:
        forced = [len(a) == 1 for a in trie.allowed_per_position(o.token_ids)]
        assert all(lp == 0.0 for lp, f in zip(o.logprobs, forced) if f)
        action, valid, _ = parse_action("<action>" + o.text)
        assert valid and action in ALFWORLD
    again = worker.generate(reqs[:3])
    assert [o.token_ids for o in again] == [o.token_ids for o in out[:3]]
    mixed = worker.generate([GenRequest(prompt, 3, 0.0), reqs[0]])  # a free request beside a constrained one
    assert len(mixed[0].token_ids) <= 3 and mixed[1].token_ids == out[0].token_ids


@pytest.mark.timeout(300)
def test_learner_scores_constrained_tokens_under_the_same_mask(tiny_model, tiny_tok):
    """The learner's log-prob of a constrained token is its model probability renormalised over
    exactly the trie's allowed set at that position (checked against transformers by hand)."""
    from transformers import AutoModelForCausalLM

    from actors.learner import LearnerWorker
    from actors.placement import free_port
    from himac.agent.episode import Turn
    from himac.config import load_config
    from himac.records import EpisodeRecord
    from himac.samples import executor_samples, to_batch

    cfg = load_config("configs/debug/sokoban.yaml", ["rollout.restrict_to_admissible=true"])
    lw = LearnerWorker(tiny_model, cfg, master_port=free_port())
    seqs = choice_sequences(response_choices(ALFWORLD, "t", style="compact", use_sub_done=True), tiny_tok)
    prompt = tiny_tok.encode("task: put an apple in the fridge\n<action>", add_special_tokens=False)
    response = seqs[3]  # "go to cabinet 10</action><sub_done>\n"
    turn = Turn(prompt, response, constraint=seqs)
    samples = executor_samples([EpisodeRecord("t", "all", [], None, [turn], episode_return=1.0, steps=1)], "grpo",
                               gamma=1.0, omega=1.0, normalize_by_turns=False)
    batch = to_batch(samples, tiny_tok.eos_token_id)
    logp, _ = lw._logp_and_entropy(batch.to(lw.device), with_entropy=False)

    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    with torch.no_grad():
        logits = model(torch.tensor([prompt + response])).logits[0].float()
    trie = ActionTrie(seqs)
    for j, allowed in enumerate(trie.allowed_per_position(response)):
        pos = len(prompt) + j
        if len(allowed) == 1:  # forced: not a decision, not in the loss
            assert batch["loss_mask"][0, pos] == 0
            continue
        expected = logits[pos - 1, allowed].log_softmax(-1)[allowed.index(response[j])]
        assert batch["loss_mask"][0, pos] == 1
        assert float(logp[0, pos].detach()) == pytest.approx(float(expected), abs=1e-4)

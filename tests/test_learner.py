"""The DeepSpeed learner in-process (gloo, CPU): the update moves probability the right way."""

import pytest

from himac.config import load_config, to_dict
from himac.samples import TrainSample, to_batch


@pytest.fixture(scope="module")
def learner_and_tok(tiny_model):
    from transformers import AutoTokenizer

    from actors.learner import LearnerWorker

    cfg = load_config("configs/debug/sokoban.yaml", ["rollout.restrict_to_admissible=true", "learner.lr=1e-3",
                                                     "algorithm.ppo_epochs=1",
                                                     "algorithm.entropy_coef=0.01"])
    from actors.placement import free_port

    return LearnerWorker(tiny_model, to_dict(cfg), master_port=free_port()), AutoTokenizer.from_pretrained(tiny_model)


@pytest.mark.timeout(300)
def test_positive_advantage_raises_logprob_negative_lowers_it(learner_and_tok):
    lw, tok = learner_and_tok
    enc = lambda s: tok.encode(s, add_special_tokens=False)  # noqa: E731
    prompt = enc("goal: push\n#####\n#_PX_O#\n#####\n<action>")
    words = ["up", "down", "left", "right"]
    allowed = sorted(enc(w)[0] for w in words)
    before = {w: lw.score(prompt, enc(w))[0] for w in words}
    batch = to_batch([TrainSample(prompt, enc("right"), 1.0, "executor", True),
                      TrainSample(prompt, enc("up"), -1.0, "executor", True)], tok.eos_token_id, allowed_ids=allowed)
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
    batch = to_batch([TrainSample(prompt, enc("left"), 0.0, "executor", True)] * 4, tok.eos_token_id,
                     allowed_ids=allowed)
    lw.sft(batch, steps=20, batch_size=4, lr=3e-3)  # its own learning rate, then back to the RL one
    assert [g["lr"] for g in lw.optimizer.param_groups] == [1e-3] * len(lw.optimizer.param_groups)
    # BC trains the distribution restricted to the action words: "left" must dominate it
    score = {w: lw.score(prompt, enc(w))[0] for w in ["up", "down", "left", "right"]}
    assert all(score["left"] > score[w] + 1.0 for w in ["up", "down", "right"])

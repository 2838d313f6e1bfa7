"""The real pretrained chat model (SmolLM2-135M-Instruct from `himac fetch-model`) on the rollout path.

Its conversion passes its own checks (transformers vs vLLM log-probs), the verbose prompts
render as ChatML through its chat template, and both rollout backends end a generation at
the executor's stop string, at the end of the chat turn, or at `max_tokens`, with the right
finish reason. Greedy decoding, float32: the model's choices are fixed.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from himac.agent import parse_action
from himac.agent.prompts import EXECUTOR_ROLE, executor_prompt, render_prompt, stop_strings
from himac.protocol import GenRequest

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PROMPT = executor_prompt(
    "put a clean mug in coffeemachine.",
    ["go to the countertop", "take the mug", "clean the mug in the sinkbasin"],
    0,
    [("You arrive at cabinet 1. The cabinet 1 is closed.", "go to cabinet 1")],
    "You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a coffeemachine 1, "
    "a countertop 1, a sinkbasin 1.",
    ["go to countertop 1", "go to sinkbasin 1", "open cabinet 1", "inventory", "look"],
)
# The start of an answer in the requested format; a 135M model seldom writes it unprompted.
OPENER = "<think>The countertop comes first.</think><action>go to"


def test_fetched_model_passes_its_checks(real_model):
    from himac.fetch_model import LOGPROB_TOL, MODELS, check_model

    info = json.loads((Path(real_model) / "himac_fetch.json").read_text())
    assert info["source"]["sha256"] == MODELS["smollm2-135m"].sha256
    assert info["params"] == 134_515_008  # tied input/output embeddings counted once
    result = check_model(real_model)
    assert result.max_abs_diff is not None and result.max_abs_diff <= LOGPROB_TOL
    assert "Paris" in result.greedy_text
    assert result.mean_logprob > -1.0  # a confident answer: the dequantised weights are sane


def test_verbose_prompt_renders_as_chatml(real_model):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(real_model)
    text = render_prompt(PROMPT, tok)
    assert text.startswith(f"<|im_start|>system\n{EXECUTOR_ROLE}<|im_end|>\n<|im_start|>user\nTask: ")
    assert text.endswith("<|im_end|>\n<|im_start|>assistant\n")
    assert "You are a helpful AI assistant named SmolLM" not in text  # our system turn replaces the default
    ids = tok.encode(text, add_special_tokens=False)
    assert ids.count(tok.convert_tokens_to_ids("<|im_start|>")) == 3
    assert tok.decode(ids) == text


class _Actor:
    """A RolloutWorker in its own Ray worker process (vLLM's start-up patches every loaded module,
    which fails on some that earlier tests leave in the pytest process), called like the object."""

    def __init__(self, ray, path: str, backend: str) -> None:
        from transformers import AutoTokenizer

        from actors.engines import RolloutWorker

        self.ray = ray
        self.actor = ray.remote(RolloutWorker).options(num_cpus=0.5).remote(
            path, backend, dtype="float32", max_model_len=2048, gpu_memory_utilization=0.2)
        self.engine = SimpleNamespace(tokenizer=AutoTokenizer.from_pretrained(path))

    def generate(self, requests: list[GenRequest]) -> list:
        return self.ray.get(self.actor.generate.remote(requests), timeout=600)


@pytest.fixture(scope="module")
def worker(request, real_model, ray_cluster):
    """One RolloutWorker per backend: HF in this process, vLLM in a Ray actor."""
    from actors.engines import RolloutWorker

    if request.param == "vllm":
        w = _Actor(ray_cluster, real_model, "vllm")
        yield w
        ray_cluster.kill(w.actor)
        return
    w = RolloutWorker(real_model, request.param, dtype="float32", max_model_len=2048)
    yield w
    del w
    gc.collect()


def _prompt_ids(worker, opener: str = OPENER) -> list[int]:
    tok = worker.engine.tokenizer
    return tok.encode(render_prompt(PROMPT, tok) + opener, add_special_tokens=False)


@pytest.mark.parametrize("worker", ["hf", "vllm"], indirect=True)
def test_stop_string_ends_the_action(worker):
    out = worker.generate([GenRequest(_prompt_ids(worker), 24, 0.0, stop=stop_strings("executor", "verbose"))])[0]
    assert out.finish_reason == "stop", out
    assert "</action>" in out.text, out
    action, valid, _ = parse_action(OPENER + out.text)
    assert valid and action.startswith("go to "), out


@pytest.mark.parametrize("worker", ["hf", "vllm"], indirect=True)
def test_stop_string_ends_generation_and_text_matches_tokens(worker):
    """The real tokenizer writes '</action>' as '</', 'action', '><': the stop string ends inside the
    last token. Both backends keep that token and return its text (token-in/token-out: the text is
    what the trained tokens say, so '</action><' here), and the parser takes the action."""
    out = worker.generate([GenRequest(_prompt_ids(worker), 24, 0.0, stop=["</action>"])])[0]
    assert out.finish_reason == "stop" and "</action>" in out.text, out
    assert out.text == worker.engine.tokenizer.decode(out.token_ids, skip_special_tokens=True)


@pytest.mark.parametrize("worker", ["hf", "vllm"], indirect=True)
def test_max_tokens_gives_length(worker):
    out = worker.generate([GenRequest(_prompt_ids(worker), 3, 0.0, stop=["</action>"])])[0]
    assert out.finish_reason == "length", out
    assert len(out.token_ids) == len(out.logprobs) == 3


@pytest.mark.parametrize("worker", ["hf", "vllm"], indirect=True)
def test_end_of_turn_stops(worker):
    tok = worker.engine.tokenizer
    prompt = [{"role": "user", "content": "What is the capital of France? One short sentence."}]
    out = worker.generate([GenRequest(tok.encode(render_prompt(prompt, tok), add_special_tokens=False), 48, 0.0)])[0]
    assert out.finish_reason == "stop", out
    assert out.token_ids[-1] == tok.convert_tokens_to_ids("<|im_end|>") == tok.eos_token_id


REAL_RUN = [
    "rollout.backend=vllm", "agent.prompt_style=verbose", "agent.history_length=1", "agent.show_admissible=true",
    "rollout.restrict_to_admissible=false", "rollout.planner_max_tokens=48", "rollout.executor_max_tokens=32",
    "rollout.max_model_len=2048", "rollout.gpu_memory_utilization=0.2", "env.max_steps=2", "env.envs_per_worker=2",
    "trainer.batch_tasks=1", "algorithm.group_size=2", "trainer.iterations=2", "trainer.eval_every=0",
    "trainer.eval_at_start=false", "trainer.eval_tasks=2", "trainer.warm_start_steps=0",
    "trainer.progress_bar=false", "trainer.checkpoint_every_min=0", "algorithm.planner_loss=dgpo",
    "algorithm.executor_loss=dgpo", "learner.micro_batch_size=2", "learner.lr=1e-5", "algorithm.ppo_epochs=1",
    "coevolution.phase_a_iters=1", "coevolution.phase_b_iters=1", "env.kwargs.data_dir=envs/alfworld/data",
]


@pytest.mark.timeout(1200)
def test_one_himac_iteration_per_phase_with_dgpo_on_the_real_model(real_model, ray_cluster, tmp_path):
    """Free text, chat template, ALFWorld (child processes), real vLLM + DeepSpeed: phase A then
    phase B with DGPO on both levels; no episode aborted, weights reach vLLM exactly (tied lm_head)."""
    from himac.config import load_config
    from himac.trainer import Trainer

    cfg = load_config("configs/debug/alfworld.yaml", [f"model.path={real_model}", f"trainer.output_dir={tmp_path}",
                                                       *REAL_RUN])
    Trainer(cfg).train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    its = [r for r in rows if "timing/iteration" in r]
    assert [r["phase"] for r in its] == ["A", "B"]
    assert its[0]["planner/samples"] == 2 and its[1]["executor/samples"] >= 2
    for r in its:
        assert r["train/aborted"] == 0 and r["sync/logprob_max_abs_diff"] <= 1e-3 and r["actor/skipped_steps"] == 0
        assert "dgpo/hellinger_mean" in r
    assert its[-1]["eval/episodes"] == 2 and its[-1]["eval/aborted"] == 0
    round_trip(cfg, real_model, tmp_path)


def round_trip(cfg, real_model: str, run: Path) -> None:
    """Checkpoint -> export -> reload: the exported model (plain transformers) scores a response as
    the learner restored from the DeepSpeed state does, and the re-synced engine serves the same."""
    import ray
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from actors.weight_sync import max_logprob_diff
    from himac.checkpoint import latest_checkpoint
    from himac.export import export
    from himac.launch import launch
    from himac.trainer import Trainer

    ckpt = latest_checkpoint(run)
    export(run, run / "exported")
    trained = load_file(str(run / "exported/executor/model.safetensors"))
    start = load_file(str(Path(real_model) / "model.safetensors"))
    assert any(not torch.equal(t, start[n]) for n, t in trained.items())  # the updates moved the weights

    tok = AutoTokenizer.from_pretrained(run / "exported/executor")
    prompt_ids = tok.encode(render_prompt(PROMPT, tok), add_special_tokens=False)
    response_ids = tok.encode(OPENER + " countertop 1</action>", add_special_tokens=False)
    model = AutoModelForCausalLM.from_pretrained(run / "exported/executor", dtype=torch.float32)
    ids = torch.tensor([prompt_ids + response_ids])
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)
    exported = logp.gather(-1, ids[0, 1:, None])[len(prompt_ids) - 1:, 0].tolist()

    trainer = Trainer(cfg)
    trainer.cluster = launch(cfg)
    try:
        assert trainer.load(ckpt) == 1
        policy = trainer.cluster.models.policies["executor"]
        learner, engine = ray.get([policy.learners[0].score.remote(prompt_ids, response_ids),
                                   policy.engines[0].score.remote(prompt_ids, response_ids)], timeout=600)
    finally:
        trainer.cluster.shutdown()
    assert max_logprob_diff(learner, exported) <= 1e-4
    assert max_logprob_diff(engine, exported) <= 1e-3


@pytest.mark.timeout(1200)
def test_one_iteration_in_bf16_with_lora_on_the_real_model(real_model, ray_cluster, tmp_path):
    """The CPU speed mode end to end: bf16 engine (vLLM) and learner (DeepSpeed, fp32 masters), LoRA
    adapters above frozen lower blocks, merged into the engine by the object-store sync; parity
    within bf16's threshold, the engine/learner gap logged, a DeepSpeed checkpoint written."""
    from himac.checkpoint import latest_checkpoint
    from himac.config import load_config
    from himac.policy import PARITY_THRESHOLDS
    from himac.trainer import Trainer

    cfg = load_config("configs/debug/alfworld.yaml", [
        f"model.path={real_model}", f"trainer.output_dir={tmp_path}", *REAL_RUN, "trainer.iterations=1",
        "model.dtype=bfloat16", "learner.lora_rank=8", "learner.freeze_layers=20", "learner.lr=1e-3",
        "algorithm.tis_cap=2"])
    Trainer(cfg).train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    it = next(r for r in rows if "timing/iteration" in r)
    assert it["train/aborted"] == 0 and it["actor/skipped_steps"] == 0
    assert it["sync/logprob_max_abs_diff"] <= PARITY_THRESHOLDS["bfloat16"]
    # the engine sampled in bf16, the learner rescored in bf16 with an fp32 head: a small, nonzero gap
    assert 0 < it["rollout/logp_gap_mean"] < 0.2 and it["rollout/logp_gap_max"] < 2.0
    states = list((latest_checkpoint(tmp_path) / "learner_executor").rglob("*model_states.pt"))
    assert states, "no DeepSpeed state in the checkpoint"


@pytest.mark.timeout(1200)
def test_a_short_warm_start_teaches_the_real_model_the_action_format(real_model, ray_cluster, tmp_path):
    """configs/real/sokoban.yaml through the real stack (Ray, vLLM, DeepSpeed, bf16, frozen lower blocks):
    zero-shot the chat model writes no valid action; 30 behaviour-cloning steps of 16 expert turns
    later its greedy free-text answers on held-out rooms are valid at least half the time, and the
    held-out validation NLL fell."""
    from himac.config import load_config
    from himac.trainer import Trainer

    cfg = load_config("configs/real/sokoban.yaml", [
        f"model.path={real_model}", f"trainer.output_dir={tmp_path}", "trainer.iterations=1", "trainer.batch_tasks=2",
        "trainer.warm_start_steps=30", "trainer.warm_start_batch_size=16", "trainer.warm_start_lr=5e-5",
        "trainer.warm_start_episodes=64", "trainer.warm_start_val_episodes=8",
        "trainer.warm_start_eval_every=15", "trainer.warm_start_eval_tasks=0", "trainer.eval_tasks=16",
        "env.max_steps=5", "env.envs_per_worker=16", "rollout.kv_cache_gib=0.5"])
    Trainer(cfg).train()
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    init, after = (next(r for r in rows if r.get("phase") == p) for p in ("init", "eval"))
    progress = [r for r in rows if r.get("phase") == "warm_start_progress"]
    assert init["eval/valid_action_ratio"] <= 0.1
    assert after["eval/valid_action_ratio"] >= 0.5, after
    assert [r["warm_start/step"] for r in progress] == [15, 30]
    assert progress[-1]["warm_start/val_nll"] < progress[0]["warm_start/val_nll"]
    assert (tmp_path / "warm_start" / "hf_executor" / "config.json").is_file()

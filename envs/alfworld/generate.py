"""Write ALFWorld games in the release's on-disk layout: the shipped hand-authored ones, or random ones.

    python -m envs.alfworld.generate --out envs/alfworld/data                     # the 18 shipped games
    python -m envs.alfworld.generate --out data/alfworld --random 120 24 --seed 0  # 120 train, 24 + 24 eval

Each game is a PDDL problem over the ALFRED domain and grammar that the alfworld package
ships (`alfworld.info.ALFRED_PDDL_PATH`, `ALFRED_TWL2_PATH`), with the goal formula and the
goal sentence taken from alfworld's goal library, object affordances and `canContain` facts
from alfworld's ALFRED constants, and ALFRED-style ids (`Apple|+01.00|+00.95|-01.00`,
mangled) so that TextWorld prints "apple 1". Every game is checked by playing the plan of
TextWorld's PDDL planner to a win, and that plan is stored as the game's walkthrough.
Layout: `<out>/json_2.1.1/<split>/<task_type>-<Object>-None-<Recep>-<scene>/trial_T…/`
with `traj_data.json`, `initial_state.pddl`, `game.tw-pddl` (Shridhar et al., 2021,
"ALFWorld: Aligning Text and Embodied Environments for Interactive Learning").

Random games (`random_specs`) follow ALFRED's sampling rules as alfworld's constants state
them: the room types each task allows (`GOALS_VALID`), the objects of the room's ALFRED scene
(`gen/layouts/FloorPlan<N>-objects.json`), what can be cleaned, heated or cooled
(`VAL_ACTION_OBJECTS`) and what each receptacle can hold (`VAL_RECEPTACLE_OBJECTS`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import textworld
from alfworld.agents.environment.alfred_tw_env import AlfredDemangler
from alfworld.agents.utils.misc import add_task_to_grammar
from alfworld.gen import constants, goal_library
from alfworld.info import ALFRED_PDDL_PATH, ALFRED_TWL2_PATH

from envs.alfworld.games import RELEASE_DIR, SHIPPED_DATA, SPLITS, TASK_TYPES

# Receptacle classes of each room, one entry per instance. Games in the same room share
# receptacle ids, so valid_seen reuses train rooms and valid_unseen uses rooms of its own.
ROOMS: dict[str, tuple[int, tuple[str, ...]]] = {
    "kitchen": (11, ("CounterTop", "CounterTop", "Cabinet", "Cabinet", "Drawer", "Fridge", "Microwave",
                     "SinkBasin", "StoveBurner", "DiningTable", "GarbageCan")),
    "bedroom": (301, ("Bed", "Desk", "SideTable", "SideTable", "Drawer", "Drawer", "Dresser", "Shelf",
                      "GarbageCan")),
    "bathroom": (402, ("CounterTop", "SinkBasin", "Cabinet", "Cabinet", "Toilet", "TowelHolder",
                       "GarbageCan", "BathtubBasin")),
    "kitchen_b": (5, ("CounterTop", "Cabinet", "Cabinet", "Cabinet", "Drawer", "Drawer", "Fridge",
                      "Microwave", "SinkBasin", "DiningTable", "GarbageCan", "CoffeeMachine")),
    "livingroom": (218, ("Sofa", "ArmChair", "CoffeeTable", "SideTable", "Drawer", "TVStand", "Shelf",
                         "GarbageCan")),
    "kitchen_c": (20, ("CounterTop", "Cabinet", "Cabinet", "Cabinet", "Shelf", "Shelf", "Fridge", "Microwave",
                       "SinkBasin", "StoveBurner", "DiningTable", "GarbageCan")),
    "livingroom_b": (209, ("Sofa", "ArmChair", "CoffeeTable", "SideTable", "SideTable", "Drawer", "Drawer",
                           "Dresser", "GarbageCan")),
}
# Rooms of the random games: valid_seen draws from train's rooms, valid_unseen from rooms no
# other split uses (ALFRED's seen and unseen scenes).
SEEN_ROOMS = ("kitchen", "kitchen_c", "bedroom", "bathroom", "livingroom_b")
SPLIT_ROOMS = {"train": SEEN_ROOMS, "valid_seen": SEEN_ROOMS, "valid_unseen": ("kitchen_b", "livingroom")}


@dataclass(frozen=True)
class GameSpec:
    """One game: its task, its room and where each object starts ("Drawer 2": the room's 2nd drawer)."""

    split: str
    task_type: str
    room: str
    target: str
    parent: str
    objects: tuple[tuple[str, str], ...]
    toggle: str = ""
    trial: str = ""  # trial folder name; "" derives it from the split and task folder (shipped games)


GAMES = (
    GameSpec("train", "pick_and_place_simple", "bathroom", "SoapBottle", "Toilet",
             (("SoapBottle", "Cabinet 2"), ("Candle", "CounterTop 1"), ("ToiletPaper", "Toilet 1"),
              ("Towel", "TowelHolder 1"))),
    GameSpec("train", "look_at_obj_in_light", "bedroom", "AlarmClock", "", toggle="DeskLamp",
             objects=(("AlarmClock", "Desk 1"), ("DeskLamp", "SideTable 2"), ("Book", "Bed 1"),
                      ("CellPhone", "Dresser 1"), ("Pen", "Drawer 1"))),
    GameSpec("train", "pick_clean_then_place_in_recep", "kitchen", "Lettuce", "DiningTable",
             (("Lettuce", "Fridge 1"), ("Apple", "CounterTop 1"), ("Mug", "Cabinet 1"), ("Fork", "Drawer 1"),
              ("Pan", "StoveBurner 1"))),
    GameSpec("train", "pick_heat_then_place_in_recep", "kitchen", "Egg", "CounterTop",
             (("Egg", "Fridge 1"), ("Potato", "CounterTop 2"), ("Bread", "DiningTable 1"), ("Cup", "Cabinet 2"),
              ("Spatula", "Drawer 1"))),
    GameSpec("train", "pick_cool_then_place_in_recep", "kitchen", "Tomato", "DiningTable",
             (("Tomato", "CounterTop 1"), ("Apple", "DiningTable 1"), ("Bowl", "Cabinet 1"),
              ("Knife", "CounterTop 2"))),
    GameSpec("train", "pick_two_obj_and_place", "bedroom", "CellPhone", "Bed",
             (("CellPhone", "Desk 1"), ("CellPhone", "Drawer 2"), ("Pillow", "Bed 1"), ("KeyChain", "SideTable 1"),
              ("CD", "Shelf 1"))),
    GameSpec("valid_seen", "pick_and_place_simple", "kitchen", "SaltShaker", "Drawer",
             (("SaltShaker", "CounterTop 2"), ("PepperShaker", "CounterTop 1"), ("Mug", "DiningTable 1"),
              ("Fork", "Drawer 1"))),
    GameSpec("valid_seen", "look_at_obj_in_light", "bedroom", "CD", "", toggle="DeskLamp",
             objects=(("CD", "Drawer 1"), ("DeskLamp", "SideTable 1"), ("Book", "Desk 1"), ("Pen", "Shelf 1"))),
    GameSpec("valid_seen", "pick_clean_then_place_in_recep", "bathroom", "SoapBar", "Cabinet",
             (("SoapBar", "BathtubBasin 1"), ("Cloth", "CounterTop 1"), ("SprayBottle", "Toilet 1"),
              ("Towel", "TowelHolder 1"))),
    GameSpec("valid_seen", "pick_heat_then_place_in_recep", "kitchen", "Potato", "DiningTable",
             (("Potato", "GarbageCan 1"), ("Apple", "Fridge 1"), ("Egg", "CounterTop 1"), ("Plate", "Cabinet 2"))),
    GameSpec("valid_seen", "pick_cool_then_place_in_recep", "kitchen", "Mug", "Cabinet",
             (("Mug", "CounterTop 1"), ("Cup", "DiningTable 1"), ("Bowl", "SinkBasin 1"), ("Spoon", "Drawer 1"))),
    GameSpec("valid_seen", "pick_two_obj_and_place", "bathroom", "ToiletPaper", "Cabinet",
             (("ToiletPaper", "Toilet 1"), ("ToiletPaper", "CounterTop 1"), ("SoapBottle", "Cabinet 1"),
              ("Candle", "CounterTop 1"))),
    GameSpec("valid_unseen", "pick_and_place_simple", "livingroom", "RemoteControl", "ArmChair",
             (("RemoteControl", "CoffeeTable 1"), ("Book", "Sofa 1"), ("KeyChain", "SideTable 1"),
              ("Vase", "Shelf 1"))),
    GameSpec("valid_unseen", "look_at_obj_in_light", "livingroom", "Statue", "", toggle="DeskLamp",
             objects=(("Statue", "Shelf 1"), ("DeskLamp", "SideTable 1"), ("Laptop", "Sofa 1"),
                      ("CreditCard", "Drawer 1"))),
    GameSpec("valid_unseen", "pick_clean_then_place_in_recep", "kitchen_b", "Fork", "Drawer",
             (("Fork", "DiningTable 1"), ("Knife", "CounterTop 1"), ("Spoon", "Drawer 2"), ("Apple", "Fridge 1"))),
    GameSpec("valid_unseen", "pick_heat_then_place_in_recep", "kitchen_b", "Cup", "Cabinet",
             (("Cup", "CounterTop 1"), ("Mug", "CoffeeMachine 1"), ("Egg", "DiningTable 1"), ("Plate", "Cabinet 3"))),
    GameSpec("valid_unseen", "pick_cool_then_place_in_recep", "kitchen_b", "WineBottle", "DiningTable",
             (("WineBottle", "Cabinet 2"), ("Bread", "CounterTop 1"), ("Potato", "SinkBasin 1"),
              ("Pan", "CounterTop 1"))),
    GameSpec("valid_unseen", "pick_two_obj_and_place", "livingroom", "Pillow", "Sofa",
             (("Pillow", "ArmChair 1"), ("Pillow", "CoffeeTable 1"), ("RemoteControl", "Sofa 1"),
              ("Newspaper", "SideTable 1"))),
)

# Types the domain's actions name as constants; the problem must declare them.
DOMAIN_OTYPES = ("KnifeType", "ButterKnifeType")
DOMAIN_RTYPES = ("SinkBasinType", "SinkType", "MicrowaveType", "FridgeType")

# -- random games ----------------------------------------------------------------------------
# What a task asks of its target (alfworld's affordances) and the appliance that transforms it,
# which is never also the receptacle to put the target in.
TASK_AFFORDANCE = {"pick_clean_then_place_in_recep": ("Cleanable", "SinkBasin"),
                   "pick_heat_then_place_in_recep": ("Heatable", "Microwave"),
                   "pick_cool_then_place_in_recep": ("Coolable", "Fridge")}
LAMP_RECEPTACLES = ("Desk", "Dresser", "SideTable")  # where a DeskLamp stands (none "can contain" one)
# Anything some receptacle can hold can be picked up; ALFWorld skips sliced objects.
PICKUPABLE = frozenset(o for held in constants.VAL_RECEPTACLE_OBJECTS.values() for o in held if "Sliced" not in o)
SPLIT_CODES = {"train": "t", "valid_seen": "s", "valid_unseen": "u"}
MAX_ATTEMPTS = 50  # candidate specs per game before giving up


def random_specs(split: str, n: int, seed: int) -> list[GameSpec]:
    """`n` random games of `split`, the six task types in turn (in a seeded order), no two alike.

    Deterministic in (split, n, seed), and a prefix of a longer draw: game i depends only on
    (split, seed, i). Trial names `trial_R<seed>_<t|s|u><i>` are unique across splits and seeds.
    """
    return [next(candidates) for candidates in _draws(split, n, seed)]


def _draws(split: str, n: int, seed: int) -> Iterator[Iterator[GameSpec]]:
    """For each of the `n` games, its candidate specs: the first is the game; the next ones replace
    it if it cannot be written (see `write_random`)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    order = list(TASK_TYPES)
    random.Random(f"{split}/{seed}").shuffle(order)
    seen = {replace(spec, split="") for spec in GAMES}
    for index in range(n):
        yield _candidates(split, seed, index, order[index % len(order)], seen)


def _candidates(split: str, seed: int, index: int, task_type: str, seen: set[GameSpec]) -> Iterator[GameSpec]:
    trial = f"trial_R{seed}_{SPLIT_CODES[split]}{index:05d}"
    for attempt in range(MAX_ATTEMPTS):
        spec = draw_spec(split, task_type, random.Random(f"{split}/{seed}/{index}/{attempt}"), trial)
        if (key := replace(spec, split="", trial="")) not in seen:
            seen.add(key)
            yield spec
    raise RuntimeError(f"no new playable {task_type} game for {split} #{index} (seed {seed}) in {MAX_ATTEMPTS} draws")


def draw_spec(split: str, task_type: str, rng: random.Random, trial: str = "") -> GameSpec:
    """One random game of `task_type` in one of the split's rooms that ALFRED allows for it.

    The target is an object of the room's ALFRED scene that the task can use; the parent a
    receptacle class of the room that can hold it (not the task's appliance); the target (and
    pick_two's second one) starts in a receptacle of another class; look_at gets a DeskLamp on a
    desk, dresser or side table; 2-4 distractors of other classes sit where they can.
    """
    rooms = [room for room in SPLIT_ROOMS[split] if _room_type(room) in constants.GOALS_VALID[task_type]]
    room = rng.choice(rooms)
    instances = _instances(room)
    affordance, appliance = TASK_AFFORDANCE.get(task_type, ("", ""))
    wanted = constants.VAL_ACTION_OBJECTS[affordance] if affordance else PICKUPABLE
    targets = sorted(o for o in room_objects(room) if o in wanted and _holders(instances, o))
    if task_type == "look_at_obj_in_light":
        lamp = rng.choice([r for r in instances if r.split()[0] in LAMP_RECEPTACLES])
        target = rng.choice([o for o in targets if set(_holders(instances, o)) - {lamp}])
        parent, placed = "", [(target, rng.choice([r for r in _holders(instances, target) if r != lamp])),
                              ("DeskLamp", lamp)]
    else:
        pairs = [(o, r) for o in targets for r in sorted({h.split()[0] for h in _holders(instances, o)})
                 if r != appliance and any(h.split()[0] != r for h in _holders(instances, o))]
        target = rng.choice(sorted({o for o, _ in pairs}))
        parent = rng.choice([r for o, r in pairs if o == target])
        starts = [h for h in _holders(instances, target) if h.split()[0] != parent]
        copies = 2 if task_type == "pick_two_obj_and_place" else 1
        placed = [(target, rng.choice(starts)) for _ in range(copies)]
    others = [o for o in sorted(room_objects(room)) if o != target and _holders(instances, o)]
    distractors = rng.sample(others, min(len(others), rng.randint(2, 4)))
    placed += [(o, rng.choice(_holders(instances, o))) for o in distractors]
    return GameSpec(split, task_type, room, target, parent, tuple(placed),
                    toggle="DeskLamp" if task_type == "look_at_obj_in_light" else "", trial=trial)


@cache
def room_objects(room: str) -> frozenset[str]:
    """Object classes of the room's ALFRED scene that can be picked up (alfworld's scene layouts)."""
    layout = Path(constants.__file__).parent / "layouts" / f"FloorPlan{ROOMS[room][0]}-objects.json"
    return frozenset(json.loads(layout.read_text())) & PICKUPABLE


def _room_type(room: str) -> str:
    """"Kitchen", "LivingRoom", "Bedroom" or "Bathroom", from the room's ALFRED scene number."""
    return next(kind for kind, scenes in constants.SCENE_TYPE.items() if ROOMS[room][0] in scenes)


def _instances(room: str) -> list[str]:
    """The room's receptacles as "Drawer 2" names, in ROOMS order."""
    counts: Counter[str] = Counter()
    names = []
    for cls in ROOMS[room][1]:
        counts[cls] += 1
        names.append(f"{cls} {counts[cls]}")
    return names


def _holders(instances: list[str], obj: str) -> list[str]:
    """The receptacles among `instances` whose class can contain `obj`."""
    return [r for r in instances if obj in constants.VAL_RECEPTACLE_OBJECTS.get(r.split()[0], ())]


def mangle(alfred_id: str) -> str:
    """ALFRED id -> PDDL name, as in the release: `Apple|+01.00|…` -> `Apple_bar__plus_01_dot_00_…`."""
    for old, new in (("|", "_bar_"), ("+", "_plus_"), ("-", "_minus_"), (".", "_dot_"), (",", "_comma_")):
        alfred_id = alfred_id.replace(old, new)
    return alfred_id


def alfred_id(cls: str, rng: random.Random) -> str:
    """A mangled ALFRED object id with random coordinates; basins are parts of their sink/bathtub."""
    coords = "|".join(f"{rng.uniform(-3.0, 3.0):+06.2f}" for _ in range(3))
    if cls.endswith("Basin"):  # ALFRED: "Sink|x|y|z|SinkBasin", shown as "sinkbasin 1"
        return mangle(f"{cls[: -len('Basin')]}|{coords}|{cls}")
    return mangle(f"{cls}|{coords}")


def location(rng: random.Random) -> str:
    """A mangled ALFRED navigation point `loc|x|z|rotation|horizon`."""
    x, z = rng.randint(-9, 9), rng.randint(-9, 9)
    return mangle(f"loc|{x}|{z}|{rng.choice((0, 1, 2, 3))}|{rng.choice((0, 30, 45, 60))}")


def build_problem(spec: GameSpec, name: str) -> str:
    """The PDDL problem text of `spec`: objects, initial facts and the goal from alfworld's goal library."""
    receptacle_classes = ROOMS[spec.room][1]
    room_rng, game_rng = random.Random(spec.room), random.Random(name)
    locations: set[str] = set()

    def new_location(rng: random.Random) -> str:
        loc = location(rng)
        while loc in locations:
            loc = location(rng)
        locations.add(loc)
        return loc

    receptacles: dict[str, tuple[str, str, str]] = {}  # "Drawer 2" -> (pddl name, class, location)
    for instance, cls in zip(_instances(spec.room), receptacle_classes):
        receptacles[instance] = (alfred_id(cls, room_rng), cls, new_location(room_rng))
    start = new_location(game_rng)
    objects = [(alfred_id(cls, game_rng), cls, receptacles[where]) for cls, where in spec.objects]

    actions = constants.VAL_ACTION_OBJECTS
    rtypes = sorted({cls for _, cls, _ in receptacles.values()})
    otypes = sorted({cls for _, cls, _ in objects})
    init = [f"(atLocation agent1 {start})"]
    for pddl, cls, loc in receptacles.values():
        init += [f"(receptacleType {pddl} {cls}Type)", f"(receptacleAtLocation {pddl} {loc})"]
        if cls in constants.OPENABLE_CLASS_SET:
            init.append(f"(openable {pddl})")
    for pddl, cls, (rec, _, loc) in objects:
        init += [f"(objectType {pddl} {cls}Type)", f"(inReceptacle {pddl} {rec})", f"(objectAtLocation {pddl} {loc})"]
        if cls in actions["Toggleable"]:
            init.append(f"(toggleable {pddl})")
        else:
            init.append(f"(pickupable {pddl})")
        for affordance in ("Heatable", "Coolable", "Cleanable", "Sliceable"):
            if cls in actions[affordance]:
                init.append(f"({affordance.lower()} {pddl})")
        if cls in constants.MOVABLE_RECEPTACLES_SET:
            init.append(f"(isReceptacleObject {pddl})")
    # Without canContain facts PutObject never applies and the goal is unreachable.
    init += [f"(canContain {r}Type {o}Type)" for r in rtypes for o in otypes
             if o in constants.VAL_RECEPTACLE_OBJECTS.get(r, ())]

    declared = (
        ["agent1 - agent"]
        + [f"{t} - otype" for t in sorted({f"{o}Type" for o in otypes} | set(DOMAIN_OTYPES))]
        + [f"{t} - rtype" for t in sorted({f"{r}Type" for r in rtypes} | set(DOMAIN_RTYPES))]
        + [f"{pddl} - object" for pddl, _, _ in objects]
        + [f"{pddl} - receptacle" for pddl, _, _ in receptacles.values()]
        + [f"{loc} - location" for loc in sorted(locations)]
    )
    # The library's goal text uses '#' for the type dash and closes the `(define` itself.
    goal = goal_library.gdict[spec.task_type]["pddl"].replace("#", "-")
    goal = goal.format(obj=spec.target, recep=spec.parent, toggle=spec.toggle, mrecep="")
    indent = "\n        "
    problem = (
        f"(define (problem {name})\n    (:domain alfred)\n    (:objects{indent}{indent.join(declared)}\n    )\n"
        f"    (:init{indent}{indent.join(init)}\n    )\n{goal.strip()}\n"
    )
    assert problem.count("(") == problem.count(")"), f"unbalanced PDDL for {name}"
    return problem


def traj_data(spec: GameSpec, trial: str) -> dict:
    """The subset of ALFRED's traj_data.json that ALFWorld reads: task type and goal parameters."""
    scene = ROOMS[spec.room][0]
    return {
        "task_id": trial,
        "task_type": spec.task_type,
        "scene": {"floor_plan": f"FloorPlan{scene}", "scene_num": scene},
        "pddl_params": {"object_target": spec.target, "parent_target": spec.parent, "toggle_target": spec.toggle,
                        "mrecep_target": "", "object_sliced": False},
    }


def play_planner(gamefile: Path) -> list[str]:
    """Play the PDDL planner's plan from the start; return it if it wins the game, else raise."""
    infos = textworld.EnvInfos(admissible_commands=True, won=True, policy_commands=True)
    env = textworld.start(str(gamefile), request_infos=infos, wrappers=[AlfredDemangler()])
    try:
        state = env.reset()
        plan = list(state["policy_commands"])
        for command in plan:
            assert command in state["admissible_commands"], f"{gamefile}: plan step {command!r} not admissible"
            state, _, _ = env.step(command)
        if not state["won"]:
            raise RuntimeError(f"{gamefile}: the planner's plan {plan} does not win")
        return plan
    finally:
        env.close()


def game_dir(spec: GameSpec) -> Path:
    """`<split>/<task_type>-<Object>-None-<Recep>-<scene>/trial_…`, the game's folder in `json_2.1.1/`."""
    task_dir = f"{spec.task_type}-{spec.target}-None-{spec.parent or spec.toggle}-{ROOMS[spec.room][0]}"
    trial = spec.trial or f"trial_T{zlib.crc32(f'{spec.split}/{task_dir}'.encode()):010d}"
    return Path(spec.split, task_dir, trial)


def write_game(spec: GameSpec, out: Path) -> Path:
    """Write one game under `out/json_2.1.1/<split>/…/trial_…/`; return its game.tw-pddl path."""
    folder = out / RELEASE_DIR / game_dir(spec)
    task_dir, trial = folder.parent.name, folder.name
    folder.mkdir(parents=True, exist_ok=True)
    problem = build_problem(spec, trial)
    # add_task_to_grammar picks one of the library's sentence templates with the global RNG.
    random.seed(f"{task_dir}/{spec.trial}" if spec.trial else task_dir)
    traj = traj_data(spec, trial)
    grammar = add_task_to_grammar(Path(ALFRED_TWL2_PATH).read_text(), traj)
    sentence = grammar.split("Your task is to: ", 1)[1].split(".", 1)[0]
    # Stand-in for ALFRED's human annotations, so alfworld's human-goal option also works.
    traj["turk_annotations"] = {"anns": [{"task_desc": sentence[0].upper() + sentence[1:] + "."}]}
    (folder / "traj_data.json").write_text(json.dumps(traj, indent=1))
    (folder / "initial_state.pddl").write_text(problem)
    gamefile = folder / "game.tw-pddl"
    game = {"pddl_domain": Path(ALFRED_PDDL_PATH).read_text(), "grammar": grammar, "pddl_problem": problem,
            "solvable": False, "walkthrough": None}
    gamefile.write_text(json.dumps(game))
    game.update(solvable=True, walkthrough=play_planner(gamefile))
    gamefile.write_text(json.dumps(game))
    return gamefile


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SHIPPED_DATA, help="data dir (default: the shipped games)")
    parser.add_argument("--random", type=int, nargs=2, metavar=("N_TRAIN", "N_EVAL"),
                        help="write N_TRAIN random train games and N_EVAL each for valid_seen and valid_unseen")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random games")
    args = parser.parse_args(argv)
    if args.random is None:
        for spec in GAMES:
            gamefile = write_game(spec, args.out)
            print(f"{gamefile.relative_to(args.out)}  ({len(json.loads(gamefile.read_text())['walkthrough'])} steps)")
        return
    n_train, n_eval = args.random
    write_random(args.out, {"train": n_train, "valid_seen": n_eval, "valid_unseen": n_eval}, args.seed)


def write_random(out: Path, counts: dict[str, int], seed: int) -> list[GameSpec]:
    """Write `counts[split]` random games per split into `out/json_2.1.1/`, replacing a drawn game whose
    planner plan fails or is empty by the next candidate; print a summary; return the games' specs.

    The games are written under `out/.partial/` and moved to `out/json_2.1.1/` when all are done,
    so that a `json_2.1.1/` folder is always complete; an existing one is left alone (error).
    """
    final, partial = out / RELEASE_DIR, out / ".partial"
    if final.exists():
        raise FileExistsError(f"{final} exists; remove it to generate new games there")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / RELEASE_DIR).mkdir(parents=True)
    start, written, plan_lengths = time.perf_counter(), [], []
    for split, n in counts.items():
        for candidates in _draws(split, n, seed):
            for spec in candidates:
                try:
                    plan = json.loads(write_game(spec, partial).read_text())["walkthrough"]
                    error = "" if plan else "the goal holds at the start (empty plan)"
                except Exception as exc:  # the planner or TextWorld rejected the game
                    plan, error = [], f"{type(exc).__name__}: {exc}"
                if not error:
                    written.append(spec)
                    plan_lengths.append(len(plan))
                    break
                print(f"skipped {spec}: {error}")
                shutil.rmtree(partial / RELEASE_DIR / game_dir(spec))
                with suppress(OSError):  # its task folder, unless another trial shares it
                    (partial / RELEASE_DIR / game_dir(spec)).parent.rmdir()
    (partial / RELEASE_DIR).rename(final)
    partial.rmdir()
    print(f"{len(written)} games in {final} ({time.perf_counter() - start:.0f} s), "
          f"mean plan length {statistics.fmean(plan_lengths) if plan_lengths else 0:.1f} steps")
    table = Counter((spec.split, spec.task_type) for spec in written)
    print(f"{'':32}" + "".join(f"{split:>14}" for split in counts))
    for task_type in TASK_TYPES:
        print(f"{task_type:32}" + "".join(f"{table[split, task_type]:>14}" for split in counts))
    return written


if __name__ == "__main__":
    main()

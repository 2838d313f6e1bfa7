import json
import random
import re
import time

import gymnasium
import pytest

import envs  # registers himac/WebShop-v0
from envs.webshop import oracle
from envs.webshop.env import WebShopEnv, load_shop, parse_action
from envs.webshop.goals import Goal
from envs.webshop.loader import Product, load_catalogue
from envs.webshop.oracle import goal_query
from envs.webshop.reward import (
    attribute_matches,
    fuzzy_ratio,
    heuristic_nouns,
    normalize_color,
    option_matches,
    purchase_reward,
    type_reward,
)


def product(**kw) -> Product:
    base = dict(asin="B000000001", title="Acme Deodorant Stick", description="", bullets=[],
                pricing=[10.0], price_tag="$10.0", options={}, attributes=["DUMMY_ATTR"],
                category="beauty", query="deodorant", product_category="Beauty › Personal Care › Deodorant")
    return Product(**{**base, **kw})


def goal(**kw) -> Goal:
    base = dict(asin="B000000001", instruction="i need a deodorant", attributes=(), options={},
                price_upper=30.0, query="deodorant", name="Acme Deodorant Stick", category="beauty",
                product_category="Beauty › Personal Care › Deodorant")
    return Goal(**{**base, **kw})


# -- reward ----------------------------------------------------------------------------------
def test_fuzzy_ratio_and_colour_normalisation():
    assert fuzzy_ratio("gluten free", "Free, GLUTEN") == 100  # token sets, case and punctuation
    assert fuzzy_ratio("dairy free", "sugar free") == 70  # 2·|"free "+"ar"| / (10 + 10)
    assert normalize_color("dark navy blue") == "blue"  # first of the alphabetical colour set
    assert normalize_color("violet lavender") == "lavender"
    assert normalize_color("3 ounce") == "3 ounce"


def test_heuristic_nouns():
    assert heuristic_nouns("Acme Long Lasting Deodorant for Women, 3 Ounce") == ["acme", "deodorant", "women", "ounce"]


def test_attribute_matches_fuzzy_then_text():
    p = product(title="Acme Travel Size Deodorant", attributes=["long-lasting", "paraben free"],
                bullets=["Aluminum free formula"], description="Safe for sensitive skin.")
    assert attribute_matches(p, ["long lasting"]) == 1  # fuzzy 100 against an attribute
    assert attribute_matches(p, ["travel size", "aluminum free", "sensitive skin"]) == 3  # in the text
    assert attribute_matches(p, ["dairy free", "cruelty free"]) == 0  # 70 and absent


def test_option_matches_lists_and_synthetic_pairs():
    assert option_matches(["jet black", "x-large"], ["black", "x-large"]) == 2
    assert option_matches(["navy blue", "small"], {"color": "navy blue", "size": "large"}) == 1
    # A pair normalises to a colour only when an element *is* one: "standard" -> "tan" on
    # the chosen side, "style standard" on the goal side, as in the original.
    assert option_matches(["standard"], {"style": "standard"}) == 0
    assert option_matches(["lavender"], {"scent": "lavender"}) == 1


def test_purchase_reward_hand_computed():
    p = product(attributes=["long lasting"], options={"scent": ["citrus", "vanilla"], "size": ["1 ounce"]})
    g = goal(attributes=("long lasting", "cruelty free"), options={"scent": "citrus", "size": "1 ounce"})
    score, info = purchase_reward(p, g, 25.0, {"scent": "vanilla", "size": "1 ounce"}, heuristic_nouns)
    assert score == pytest.approx((1 + 1 + 1) / (2 + 2 + 1))
    assert info["r_type"] == 1.0 and info["r_price"] and info["r_option"] == 0.5
    score, _ = purchase_reward(p, g, 31.0, {"scent": "citrus", "size": "1 ounce"}, heuristic_nouns)
    assert score == pytest.approx((1 + 2 + 0) / 5)
    p_all = product(attributes=["long lasting", "cruelty free"], options=p.options)
    assert purchase_reward(p_all, g, 30.0, {"scent": "citrus", "size": "1 ounce"}, heuristic_nouns)[0] == 1.0


@pytest.mark.parametrize("goal_name,title,query,category,expected", [
    ("Zest Lemon Soap Bar", "Zest Lemon Soap Bar", "x", "Food › Snacks", 1.0),  # overlap 1
    ("Zest Lemon Soap Bar", "Zest Body Wash", "x", "Food › Snacks", 1.0),  # 1/4 > 0.2
    ("Zest Lemon Soap Bar Pack", "Zest Shampoo", "x", "Food › Snacks", 0.5),  # 1/5, nothing else
    ("Zest Lemon Soap Bar Pack", "Zest Shampoo", "bar soap", "Food › Snacks", 1.0),  # query match
    ("Zest Lemon Soap Bar Pack", "Zest Shampoo", "x", "Beauty › Bath", 1.0),  # 2 shared levels
    ("Zest Lemon Soap Bar Pack", "Zest Shampoo", "x", "Beauty › Hair", 0.5),  # 1 shared level
])
def test_type_reward_levels(goal_name, title, query, category, expected):
    g = goal(name=goal_name, query="bar soap", product_category="Beauty › Bath › Soap")
    p = product(title=title, query=query, product_category=category)
    assert type_reward(p, g, heuristic_nouns)["r_type"] == expected


def test_type_reward_low_overlap_overrides_matches():
    name = "Zest Apple Berry Cherry Grape Kiwi Lemon Mango Melon Peach Plum"  # 11 nouns
    g = goal(name=name)  # same query and category as the products below
    assert type_reward(product(title="Zest Soap"), g, heuristic_nouns)["r_type"] == 0.1  # 1/11 < 0.1
    assert type_reward(product(title="Dove Soap"), g, heuristic_nouns)["r_type"] == 0.0  # overlap 0
    no_nouns = goal(name="The Best")  # title_score 0.2
    assert type_reward(product(title="Dove Soap"), no_nouns, heuristic_nouns)["r_type"] == 1.0
    other = product(title="Dove Soap", query="soap", product_category="Food › Snacks")
    assert type_reward(other, no_nouns, heuristic_nouns)["r_type"] == 0.5


# -- shipped catalogue: oracle, search, splits -----------------------------------------------
@pytest.fixture(scope="module")
def env() -> WebShopEnv:
    return gymnasium.make("himac/WebShop-v0", split="test").unwrapped


def run_oracle(env: WebShopEnv, index: int) -> dict:
    env.reset(options={"goal_index": index})
    while True:
        _, reward, terminated, truncated, info = env.step(env.expert_action())
        if terminated or truncated:
            return {**info, "reward": reward}


def test_task_index_visits_the_split_in_order_without_repeats(env):
    goals = [env.reset(seed=7, options={"task_index": k})[1]["goal_index"] for k in range(len(env.split) + 2)]
    assert goals[:len(env.split)] == list(env.split)  # each test goal once, whatever the seed
    assert goals[len(env.split):] == list(env.split[:2])  # then it cycles
    with pytest.raises(ValueError, match="task_index must be an int >= 0, got -1"):
        env.reset(options={"task_index": -1})


def test_every_step_reports_the_score_as_the_env_metric(env):
    env.reset(options={"goal_index": 0})
    scores = []
    for action in ["click[nothing]", *(a for _, acts in env.expert_plan() for a in acts)]:
        info = env.step(action)[4]
        assert info["metrics"] == {"score": info["score"]}
        scores.append(info["score"])
    assert scores[-1] == 1.0 and set(scores[:-1]) == {0.0}


def test_declared_task_splits_are_the_split_argument_and_its_defaults():
    splits = envs.task_splits("webshop")
    assert splits == {"train": "train", "eval": "test"}
    assert WebShopEnv().split == WebShopEnv(split=splits["train"]).split  # the constructor's default
    assert len(WebShopEnv(split=splits["eval"]).split) > 0


def test_shipped_catalogue_size():
    cat = load_catalogue()
    assert len(cat.products) >= 100 and len({p.category for p in cat.products}) >= 5
    assert all(p.options and p.instruction and p.human_instructions for p in cat.products)


def test_oracle_wins_every_test_goal(env):
    for i in env.split:
        info = run_oracle(env, i)
        assert info["won"] and info["score"] == 1.0 and info["reward"] == 10.0, (i, info)
        assert info["noun_backend"] in ("spacy", "heuristic")


def test_oracle_opens_the_first_result_that_wins(env):
    """Not the goal's own product when a result above it scores 1.0 too: each results-page
    click is the first shown product that wins, and so is, more than once, a look-alike."""
    cat, look_alikes = env.shop.catalogue, 0
    for i in env.split:
        env.reset(options={"goal_index": i})
        env.step(env.expert_action())  # the search
        shown = env.state.shown
        clicked = env.expert_action()[len("click["):-1].upper()
        if clicked not in shown:
            continue  # the instruction does not retrieve a winner on page 1: the oracle pages on
        winning = [oracle.wins(env.goal, cat.by_asin[a], cat, env.nouns) for a in shown]
        assert winning.index(True) == shown.index(clicked), i
        env.step(f"click[{clicked.lower()}]")
        while env.state.view != "done":
            *_, info = env.step(env.expert_action())
        assert info["won"], i
        look_alikes += clicked != env.goal.asin
    assert look_alikes >= 5


def test_oracle_wins_human_goals():
    human = WebShopEnv(goals="human", split="all")
    assert len(human.shop.goals) >= 100
    for i in range(0, len(human.shop.goals), 3):
        assert run_oracle(human, i)["won"], i


def test_goal_product_in_top_10_for_its_query(env):
    for g in env.shop.goals[:500]:
        assert g.asin in env.shop.search.search(goal_query(g))[:10], g.instruction


def test_goal_index_and_seed_are_deterministic(env):
    other = WebShopEnv(split="test")
    assert env.reset(options={"goal_index": 7})[0] == other.reset(options={"goal_index": 7})[0]
    assert env.reset(seed=3)[1]["goal_index"] == other.reset(seed=3)[1]["goal_index"]
    picked = {env.reset(seed=s)[1]["goal_index"] for s in range(20)}
    assert len(picked) > 1 and picked <= set(range(500))
    train = WebShopEnv(split="train")
    assert all(train.reset(seed=s)[1]["goal_index"] >= 500 for s in range(20))
    assert env.reset(options={"goal_index": 600})[1]["goal_index"] == 600  # any index, not the split's
    with pytest.raises(ValueError, match="goal_index"):
        env.reset(options={"goal_index": len(env.shop.goals)})


def test_shop_is_shared_between_envs(env):
    assert WebShopEnv(split="test").shop is env.shop


# -- pages and actions -----------------------------------------------------------------------
def test_pages_and_navigation(env):
    text, info = env.reset(options={"goal_index": 0})
    task = info["task"]
    assert text == f"WebShop [SEP] Instruction: [SEP] {task} [SEP] Search"
    assert info["admissible_actions"] == ["search[<your query>]"]

    text, _, _, _, info = env.step(f"search[{goal_query(env.goal)}]")
    total = len(env.state.results)
    assert total == 50  # the shipped catalogue has many partial matches
    head = f"Instruction: [SEP] {task} [SEP] Back to Search [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] "
    assert text.startswith(head) and "< Prev" not in text
    first = env.shop.catalogue.by_asin[env.state.results[0]]
    assert text[len(head):].startswith(f"{first.asin} [SEP] {first.title} [SEP] {first.price_tag} [SEP] ")
    assert text.count(" [SEP] ") == 5 + 3 * 10 - 1
    assert info["admissible_actions"][:2] == ["click[back to search]", "click[next >]"]
    assert f"click[{first.asin.lower()}]" in info["admissible_actions"]
    assert not any(a.startswith("search[") for a in info["admissible_actions"])

    text, *_ = env.step("click[next >]")
    assert "Page 2 (Total results: 50) [SEP] < Prev [SEP] Next >" in text
    env.step("click[< prev]")
    assert env.state.page_num == 1

    text, _, _, _, info = env.step(f"click[{first.asin.lower()}]")
    group, values = next(iter(first.options.items()))
    assert text.startswith(f"Instruction: [SEP] {task} [SEP] Back to Search [SEP] < Prev [SEP] {group} [SEP] {values[0]}")
    assert text.endswith(f"{first.title} [SEP] Price: {first.price_tag} [SEP] Rating: N.A. [SEP] "
                         "Description [SEP] Features [SEP] Reviews [SEP] Buy Now")
    assert info["admissible_actions"][:6] == ["click[back to search]", "click[< prev]", "click[description]",
                                              "click[features]", "click[reviews]", "click[buy now]"]
    env.step(f"click[{values[1]}]")
    assert env.state.options == {group: values[1]}

    text, *_ = env.step("click[features]")
    assert text == f"Instruction: [SEP] {task} [SEP] Back to Search [SEP] < Prev [SEP] " + " [SEP] ".join(first.bullets)
    text, *_ = env.step("click[< prev]")
    assert env.state.view == "item" and env.state.options == {group: values[1]}  # options kept
    text, *_ = env.step("click[reviews]")
    assert text.endswith("< Prev [SEP] No reviews found")
    env.step("click[< prev]")
    env.step("click[< prev]")  # item -> the same results page
    assert env.state.view == "results" and env.state.options == {}
    text, *_ = env.step("click[back to search]")
    assert text == f"WebShop [SEP] Instruction: [SEP] {task} [SEP] Search"


def test_rank_references_click_products_by_their_place():
    env = gymnasium.make("himac/WebShop-v0", split="test", product_refs="rank").unwrapped
    env.reset(options={"goal_index": 0})
    text, _, _, _, info = env.step(f"search[{goal_query(env.goal)}]")
    shown = [env.shop.catalogue.by_asin[a] for a in env.state.results[:10]]
    head = "Page 1 (Total results: 50) [SEP] Next > [SEP] "
    assert text.split(head)[1].startswith(f"item 1 [SEP] {shown[0].asin} [SEP] {shown[0].title} [SEP] ")
    assert f"item 10 [SEP] {shown[9].asin} [SEP] " in text
    assert info["admissible_actions"] == ["click[back to search]", "click[next >]"] + [
        f"click[item {k}]" for k in range(1, 11)]
    _, _, _, _, info = env.step(f"click[{shown[0].asin.lower()}]")  # ASINs are not clickable in this mode
    assert info["action_valid"] is False
    env.step("click[next >]")
    env.step("click[item 3]")  # page 2's third product: rank 13 of the results
    assert env.state.view == "item" and env.state.asin == env.state.results[12]
    clicked = set()
    for i in env.split:  # the oracle speaks in ranks too, and still wins
        env.reset(options={"goal_index": i})
        while env.state.view != "done":
            action = env.expert_action()
            if env.state.view == "results" and action.startswith("click[item"):
                clicked.add((env.state.page_num, action))
            *_, info = env.step(action)
        assert info["won"], (i, info)
    assert (1, "click[item 1]") in clicked and (1, "click[item 2]") in clicked  # not only first results
    with pytest.raises(ValueError, match="product_refs must be 'asin' or 'rank', got 'index'"):
        WebShopEnv(product_refs="index")


@pytest.mark.parametrize("action", ["click[nothing here]", "click[search]", "search[]", "buy now", "",
                                    "click[buy now]", "look"])
def test_invalid_action_leaves_page_unchanged(env, action):
    before, _ = env.reset(options={"goal_index": 1})
    text, reward, terminated, truncated, info = env.step(action)
    assert (text, reward, terminated, info["action_valid"]) == (before, 0.0, False, False)


def test_parse_action_matches_the_original_regex():
    original = re.compile(r"(.+)\[(.+)\]")  # the original simulator's parser (backtracks quadratically)
    rng = random.Random(0)
    texts = ["search[red shoes]", " click[Buy Now] ", "click[a[b]]", "click[x]y", "a[]", "[a]", "x[\n]", "click[]]"]
    texts += ["".join(rng.choices("ab[] \n", k=rng.randint(0, 12))) for _ in range(20_000)]
    for text in texts:
        m = original.match(text.strip())
        assert parse_action(text) == ((m.group(1), m.group(2).lower()) if m else None), repr(text)


@pytest.mark.parametrize("action", ["[" * 100_000, "search[" + "a[" * 50_000, "click[" * 20_000 + "]"])
def test_long_garbage_action_is_invalid_in_linear_time(env, action):
    before, _ = env.reset(options={"goal_index": 1})
    start = time.perf_counter()
    text, _, terminated, _, info = env.step(action)
    elapsed = time.perf_counter() - start
    assert (text, terminated, info["action_valid"]) == (before, False, False)
    assert elapsed < 1.0, f"{elapsed:.2f}s for {len(action)} chars (quadratic parsing takes ~30 s)"


def test_search_only_where_there_is_a_search_bar(env):
    env.reset(options={"goal_index": 1})
    results, *_ = env.step("search[deodorant]")
    text, _, _, _, info = env.step("search[shampoo]")
    assert text == results and not info["action_valid"]


def test_wrong_purchase_and_reward_settings():
    plain = WebShopEnv(split="test")
    scaled = WebShopEnv(split="test", success_only=False, reward_scale=2.0)
    for e in (plain, scaled):
        e.reset(options={"goal_index": 0})
        while (a := e.expert_action()) != "click[buy now]":
            e.step(a)
        wanted = dict(e.state.options)
        product = e.shop.catalogue.by_asin[e.state.asin]
        name = next(iter(wanted))
        other = next(v for v in product.options[name] if v != wanted[name])
        e.step(f"click[{other}]")
        _, reward, terminated, _, info = e.step("click[buy now]")
        n = len(e.goal.attributes) + len(e.goal.options) + 1
        assert terminated and not info["won"] and info["score"] == pytest.approx((n - 1) / n)
    assert reward == pytest.approx(2.0 * info["score"])


def test_step_limit_truncates():
    e = WebShopEnv(split="test", max_steps=2)
    e.reset(options={"goal_index": 0})
    assert e.step("click[nothing]")[3] is False
    assert e.step("click[nothing]")[3] is True


# -- the original file formats ---------------------------------------------------------------
def write_tiny_catalogue(path):
    def rec(asin, **kw):
        return {"asin": asin, "name": f"Acme Soap {asin}", "full_description": "A soap.",
                "small_description": ["Lathers well", "Smells nice"], "pricing": "$12.50",
                "customization_options": {}, "images": ["x.jpg"], "category": "beauty",
                "query": " Bar Soap ", "product_category": "Beauty › Bath › Soap", **kw}
    items = [
        rec("B0000000A1", pricing="$10.99$15.99", small_description="One bullet",
            customization_options={"Color": [{"value": " Black/White ", "image": None}, {"value": "Red"}],
                                   "Size": [{"value": "S"}], "Style": None}),
        rec("nan"), rec("B0000000TOOLONG"), rec("B0000000A1", name="duplicate"),
        rec("B0000000A2", pricing="", customization_options={"Color": [{"value": "Red"}]}),
        rec("B0000000A3", pricing="$995.00"),
    ]
    ins = {"B0000000A1": {"attributes": ["moisturizing"], "instruction": "i need a moisturizing soap",
                          "instruction_attributes": ["moisturizing"]},
           "B0000000A3": {"attributes": ["luxury"], "instruction": "i want a luxury soap",
                          "instruction_attributes": ["luxury"]}}
    human = {"B0000000A2": [{"instruction": "a cheap soap please.", "instruction_attributes": ["lathers well"],
                             "instruction_options": ["red"]},
                            {"instruction": "no attributes", "instruction_attributes": [],
                             "instruction_options": []}]}
    (path / "items_shuffle_1000.json").write_text(json.dumps(items))
    (path / "items_ins_v2_1000.json").write_text(json.dumps(ins))
    (path / "items_human_ins.json").write_text(json.dumps(human))


def test_load_original_format(tmp_path):
    write_tiny_catalogue(tmp_path)
    cat = load_catalogue(tmp_path)
    assert [p.asin for p in cat.products] == ["B0000000A1", "B0000000A2", "B0000000A3"]
    a1, a2, a3 = cat.products
    assert a1.title == "Acme Soap B0000000A1" and a1.bullets == ["One bullet"]
    assert a1.options == {"color": ["black | white", "red"], "size": ["s"]}
    assert (a1.pricing, a1.price_tag) == ([10.99, 15.99], "$10.99 to $15.99")
    assert 10.99 <= cat.prices["B0000000A1"] <= 15.99
    assert (a2.pricing, a2.price_tag, cat.prices["B0000000A2"]) == ([100.0], "$100.0", 100.0)
    assert a2.attributes == ["DUMMY_ATTR"] and a1.query == "bar soap"

    shop = load_shop(str(tmp_path), "all")
    by_text = {g.instruction: g for g in shop.goals}
    assert len(shop.goals) == 2 + 1 + 1  # two option combinations, A3, one human goal
    a1_goals = [g for g in shop.goals if g.asin == "B0000000A1"]
    upper = a1_goals[0].price_upper  # steps above the price: first four, larger of two sampled
    assert all(g.price_upper == upper for g in a1_goals) and upper in (30.0, 40.0, 50.0)
    assert f"i need a moisturizing soap with color: black | white, and size: s, and price lower than {upper:.2f} dollars" in by_text
    assert by_text["i want a luxury soap"].price_upper == 1_000_000  # no price step above $995
    human = next(g for g in shop.goals if g.asin == "B0000000A2")
    assert human.instruction == "a cheap soap please, and price lower than " + f"{human.price_upper:.2f} dollars"
    assert human.options == ("red",) and human.price_upper in (120.0, 130.0, 140.0)

    e = gymnasium.make("himac/WebShop-v0", data_dir=str(tmp_path), goals="all", split="all").unwrapped
    for i in range(len(e.shop.goals)):
        info = run_oracle(e, i)
        assert info["won"], (i, info)


def test_missing_files_error_names_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="items_shuffle") as err:
        load_catalogue(tmp_path)
    assert str(tmp_path) in str(err.value) and "items_ins_v2" in str(err.value)


def test_empty_split_is_an_error(tmp_path):
    write_tiny_catalogue(tmp_path)
    with pytest.raises(ValueError, match="no goals"):
        WebShopEnv(data_dir=str(tmp_path), split="train")

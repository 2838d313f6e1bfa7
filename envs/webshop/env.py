"""WebShop as a gymnasium text env: an offline re-implementation of the original simulator
(Yao et al., 2022) with the same data files, pages, actions and reward.

    env = gymnasium.make("himac/WebShop-v0", split="test")        # shipped catalogue
    text, info = env.reset(options={"goal_index": 3})             # index before any split
    text, reward, terminated, truncated, info = env.step("search[long lasting deodorant]")

Actions: `search[query]` where the page has a search bar, `click[x]` for a clickable x
(lowercased); anything else leaves the page unchanged with info["action_valid"] False.
"Buy Now" ends the episode: info["score"] is the raw reward in [0, 1], info["won"] is
score == 1.0, and the env reward is reward_scale · won (or reward_scale · score with
success_only=False), as in the papers' training setup (10 for a perfect purchase).
admissible_actions() lists "search[<your query>]" (a placeholder; any query works) when a
search bar exists, then "click[x]" for every clickable. An agent restricted to the admissible
actions writes `search_query(instruction)` there (metadata["action_placeholders"]).
Every step's info["metrics"] is {"score": info["score"]}, the env's episode metric.
`product_refs="rank"` clicks the products of a results page by their place on it ("item 1"
.. "item 10", printed before each ASIN) instead of by ASIN: a small model then learns "open the
first result" as one token, where an ASIN is a new string for every product.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from envs.base import TextEnv
from envs.subgoals import ExpertPlan
from envs.webshop import oracle
from envs.webshop.goals import Goal, build_goals, split_indices
from envs.webshop.loader import DEFAULT_DATA_DIR, Catalogue, load_catalogue
from envs.webshop.pages import (
    PRODUCTS_PER_PAGE,
    Page,
    done_page,
    item_page,
    rank_ref,
    results_page,
    search_page,
    sub_page,
)
from envs.webshop.reward import noun_extractor, purchase_reward
from envs.webshop.search import BM25Search, PyseriniSearch, SearchEngine

QUERY_PLACEHOLDER = "<your query>"
SEARCH_PLACEHOLDER = f"search[{QUERY_PLACEHOLDER}]"
MAX_ORACLE_ACTIONS = 100  # expert_plan's guard; the oracle buys within a few dozen actions


@dataclass
class Shop:
    """Everything episodes share read-only: catalogue, shuffled goals, search index."""

    catalogue: Catalogue
    goals: list[Goal]
    search: SearchEngine


@lru_cache(maxsize=4)
def load_shop(data_dir: str, goals: str = "synthetic", num_products: int | None = None,
              index_path: str | None = None) -> Shop:
    """Load (once per process and configuration) a catalogue, its goals and its index."""
    catalogue = load_catalogue(data_dir, num_products)
    engine = PyseriniSearch(index_path) if index_path else BM25Search.from_products(catalogue.products)
    return Shop(catalogue, build_goals(catalogue, goals), engine)


@dataclass
class ShopState:
    """Where the shopper is: the browser session of the original server."""

    view: str = "search"  # search | results | item | description | features | reviews | done
    query: str = ""
    results: list[str] = field(default_factory=list)  # asins of the last search, best first
    page_num: int = 1
    asin: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # option group -> chosen value
    queries: list[str] = field(default_factory=list)  # every search of this episode

    @property
    def shown(self) -> list[str]:
        """The asins on the current results page, in order."""
        start = (self.page_num - 1) * PRODUCTS_PER_PAGE
        return self.results[start:start + PRODUCTS_PER_PAGE]


_PRICE_CLAUSE = re.compile(r",?\s*and\s+price\s+lower\s+than\s+[\d.,]+\s+dollars\.?", re.IGNORECASE)


def search_query(instruction: str) -> str:
    """The query an agent restricted to the admissible actions searches for (its `<your query>`):
    the instruction, lower-cased, without "and price lower than X dollars" — the query the
    instruction itself suggests, which such an agent could not write otherwise."""
    return " ".join(_PRICE_CLAUSE.sub("", instruction).lower().split())


def _scored(score: float, **info: Any) -> dict[str, Any]:
    """A step's info with its raw score, as `score` (stable) and as the env's episode metric."""
    return {**info, "score": score, "metrics": {"score": score}}


def parse_action(action: str) -> tuple[str, str] | None:
    """Split "name[arg]" into (name, lowercased arg); None when the action has no such form.

    The original's `re.match(r"(.+)\\[(.+)\\]", action)` on the stripped action, in linear
    time: within the first line, arg ends at the last "]" and starts after the last "[" that
    leaves it non-empty; name (non-empty) is everything before that "["; text after the "]"
    is ignored.
    """
    line = action.strip().partition("\n")[0]
    close = line.rfind("]")
    start = line.rfind("[", 1, close - 1) if close >= 3 else -1  # "n[a]" is the shortest match
    return (line[:start], line[start + 1:close].lower()) if start != -1 else None


class WebShopEnv(TextEnv):
    """Find and buy the product a goal instruction asks for."""

    # The shared shop is read-only: EnvWorker steps it on threads. Splits: `split` train|test|all
    # (test = the first 500 shuffled goals).
    metadata = {**TextEnv.metadata, "thread_safe": True,
                "task_splits": {"train": "train", "eval": "test"},
                "action_placeholders": {QUERY_PLACEHOLDER: search_query}}

    def __init__(self, data_dir: str | None = None, goals: str = "synthetic", split: str = "train",
                 max_steps: int = 15, reward_scale: float = 10.0, success_only: bool = True,
                 num_products: int | None = None, index_path: str | None = None,
                 noun_backend: str = "auto", product_refs: str = "asin", render_mode: str | None = None) -> None:
        super().__init__(max_steps=max_steps, render_mode=render_mode)
        if product_refs not in ("asin", "rank"):
            raise ValueError(f"product_refs must be 'asin' or 'rank', got {product_refs!r}")
        self.ranks = product_refs == "rank"
        self.shop = load_shop(str(data_dir or DEFAULT_DATA_DIR), goals, num_products, index_path)
        self.split = split_indices(len(self.shop.goals), split)
        if len(self.split) == 0:
            raise ValueError(f"split {split!r} has no goals ({len(self.shop.goals)} {goals} goals; "
                             "the first 500 are the test split)")
        self.reward_scale = float(reward_scale)
        self.success_only = bool(success_only)
        self.nouns, self.noun_backend = noun_extractor(noun_backend)
        self.goal: Goal | None = None
        self.goal_index = -1
        self.state = ShopState()
        self.page = Page("search", [])

    # -- TextEnv hooks -------------------------------------------------------------------
    def _reset(self, seed: int | None, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if "goal_index" in options:
            index = int(options["goal_index"])
            if not 0 <= index < len(self.shop.goals):
                raise ValueError(f"goal_index {index} outside [0, {len(self.shop.goals)})")
        elif self.task_index is not None:
            index = self.split[self.task_index % len(self.split)]
        else:
            index = self.split[int(self.np_random.integers(len(self.split)))]
        self.goal_index, self.goal = index, self.shop.goals[index]
        self.state = ShopState()
        self._go_search()
        return self.page.text, {"task": self.goal.instruction, "goal_index": index}

    def _step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        parsed = parse_action(action)
        name, arg = parsed if parsed else ("", "")
        if name == "search" and self.page.has_search_bar and arg.strip():
            self._search(arg)
        elif name == "click" and arg in self.page.clickables:
            if arg == "buy now":
                return self._buy()
            self._click(arg)
        else:
            return self.page.text, 0.0, False, _scored(0.0, action_valid=False)
        return self.page.text, 0.0, False, _scored(0.0, action_valid=True)

    def admissible_actions(self) -> list[str]:
        search = [SEARCH_PLACEHOLDER] if self.page.has_search_bar else []
        return search + [f"click[{c}]" for c in self.page.clickables]

    def render(self) -> str | None:
        return self.page.text if self.render_mode == "ansi" else None

    def expert_action(self) -> str:
        """The oracle's next action: search the goal, open the first result that would win, pick
        the goal's options, buy."""
        if self.goal is None or self.state.view == "done":
            raise RuntimeError("expert_action() needs a running episode")
        action = oracle.expert_action(self.goal, self.state, self.shop.catalogue, self.nouns)
        shown = [a.lower() for a in self.state.shown] if self.ranks and self.state.view == "results" else []
        target = action[len("click["):-1]
        return f"click[{rank_ref(shown.index(target))}]" if target in shown else action

    def expert_plan(self) -> ExpertPlan:
        """The oracle's remaining actions (those `expert_action()` plays from here, played on a
        copy of the episode) cut into subgoals: [("search for the product", ["search[...]"]),
        ("open the best match", ["click[<asin>]"]), ("choose color: black",
        ["click[black]"]), ("buy it", ["click[buy now]"])]."""
        if self.goal is None:
            raise RuntimeError("expert_plan() called before reset()")
        sim = copy.copy(self)
        sim.state = copy.deepcopy(self.state)
        steps = []
        while sim.state.view != "done":
            if len(steps) >= MAX_ORACLE_ACTIONS:
                raise RuntimeError(f"the oracle did not buy within {MAX_ORACLE_ACTIONS} actions: {steps[-3:]}")
            action = sim.expert_action()
            steps.append((action, sim.state.view, sim.state.asin))
            sim._step(action)
        return oracle.plan_subgoals(self.goal, steps, self.shop.catalogue)

    def expert_subgoals(self) -> list[str]:
        """The subgoal texts of `expert_plan()`: the expert's blueprint."""
        return [text for text, _ in self.expert_plan()]

    # -- transitions ---------------------------------------------------------------------
    def _go_search(self) -> None:
        self.state = ShopState(queries=self.state.queries)
        self.page = search_page(self.goal.instruction)

    def _search(self, query: str) -> None:
        self.state.queries.append(query)
        self.state.query = query
        self.state.results = self.shop.search.search(query)
        self._show_results(1)

    def _show_results(self, page_num: int) -> None:
        s = self.state
        s.view, s.page_num, s.asin, s.options = "results", page_num, None, {}
        shown = [self.shop.catalogue.by_asin[a] for a in s.shown]
        self.page = results_page(self.goal.instruction, shown, page_num, len(s.results), ranks=self.ranks)

    def _show_item(self) -> None:
        self.state.view = "item"
        self.page = item_page(self.goal.instruction, self.shop.catalogue.by_asin[self.state.asin])

    def _click(self, target: str) -> None:
        s = self.state
        if target == "back to search":
            self._go_search()
        elif s.view == "results" and target == "next >":
            self._show_results(s.page_num + 1)
        elif s.view == "results" and target == "< prev":
            self._show_results(s.page_num - 1)
        elif s.view == "results":  # a product: its asin, or "item k" with rank references
            shown = s.shown
            refs = self.page.clickables[-len(shown):]  # the page's product targets, in the order shown
            s.asin = shown[refs.index(target)]
            self._show_item()
        elif s.view == "item" and target == "< prev":
            self._show_results(s.page_num)
        elif s.view == "item" and target in ("description", "features", "reviews"):
            s.view = target
            self.page = sub_page(self.goal.instruction, self.shop.catalogue.by_asin[s.asin], target)
        elif s.view == "item":  # an option value: the last group offering it, as the original
            product = self.shop.catalogue.by_asin[s.asin]
            group = [name for name, values in product.options.items() if target in values][-1]
            s.options[group] = target
            self._show_item()
        else:  # "< prev" on a sub-page
            self._show_item()

    def _buy(self) -> tuple[str, float, bool, dict[str, Any]]:
        s = self.state
        product = self.shop.catalogue.by_asin[s.asin]
        score, details = purchase_reward(product, self.goal, self.shop.catalogue.prices[s.asin],
                                         s.options, self.nouns)
        won = score == 1.0
        reward = self.reward_scale * (float(won) if self.success_only else score)
        s.view = "done"
        self.page = done_page(self.goal.instruction, s.asin, dict(s.options), score)
        info = _scored(score, action_valid=True, won=won, reward_info=details, noun_backend=self.noun_backend,
                       purchased={"asin": s.asin, "options": dict(s.options)})
        return self.page.text, reward, True, info

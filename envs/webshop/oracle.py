"""WebShop oracle: the expert used for tests, demos and warm starts.

It searches the goal's instruction (without the price clause), opens the first result that
would win (score 1.0 with the goal's options: often a look-alike of the goal's product, and
otherwise the product itself, paging on and falling back to searching its title when the
instruction does not retrieve it), chooses the goal's option values and buys. Opening the
first winning result rather than the goal's own product makes the choice readable off the
results page: on the 1000-product catalogue the first result under the goal's price limit
wins 95.5% of the first 200 test goals, where the goal's product is the first result for 70%.
`plan_subgoals` names the pieces of its trajectory: search, open the product, one choice per
option, buy. The names carry only what the executor cannot read off its page: the instruction
is on every page (and the search query is the instruction), so the search and the product
click get fixed wording and the options their values, which leaves a planner one thing to copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envs.subgoals import ExpertPlan, split_after
from envs.webshop.goals import Goal, strip_price_clause
from envs.webshop.loader import Catalogue, Product
from envs.webshop.pages import PRODUCTS_PER_PAGE
from envs.webshop.reward import FUZZY_THRESHOLD, NounFn, fuzzy_ratio, normalize_color, purchase_reward

if TYPE_CHECKING:
    from envs.webshop.env import ShopState

MAX_SUBGOAL_CHARS = 79
NAVIGATION = ("next >", "< prev", "back to search", "description", "features", "reviews")
SEARCH_SUBGOAL, OPEN_SUBGOAL, BUY_SUBGOAL = "search for the product", "open the best match", "buy it"


def goal_query(goal: Goal) -> str:
    """The oracle's first query: the instruction without its price clause."""
    return strip_price_clause(goal.instruction).lower()


def goal_options(goal: Goal, product: Product) -> dict[str, str]:
    """The option values to choose on `product`: a synthetic goal names them; for a human
    goal, each group's value that best fuzzy-matches one of the goal's options (if > 85)."""
    if isinstance(goal.options, dict):
        return {k: v for k, v in goal.options.items() if v in product.options.get(k, [])}
    wanted = [normalize_color(o) for o in goal.options]
    chosen = {}
    for name, values in product.options.items():
        if not wanted:
            break
        score, value = max((max(fuzzy_ratio(normalize_color(v), w) for w in wanted), v) for v in values)
        if score > FUZZY_THRESHOLD:
            chosen[name] = value
    return chosen


def _clicks_into(product: Product, name: str, value: str) -> bool:
    """Clicking `value` sets group `name` (a value offered by several groups sets the last)."""
    return [n for n, vs in product.options.items() if value in vs][-1] == name


def wins(goal: Goal, product: Product, catalogue: Catalogue, nouns: NounFn) -> bool:
    """Buying `product` with the goal's options scores 1.0."""
    price = catalogue.prices[product.asin]
    return purchase_reward(product, goal, price, goal_options(goal, product), nouns)[0] == 1.0


def expert_action(goal: Goal, state: ShopState, catalogue: Catalogue, nouns: NounFn) -> str:
    title_query = catalogue.by_asin[goal.asin].title.lower()
    if state.view == "search":
        query = goal_query(goal) if goal_query(goal) not in state.queries else title_query
        return f"search[{query}]"
    if state.view == "results":
        shown = state.shown
        winner = next((a for a in shown if wins(goal, catalogue.by_asin[a], catalogue, nouns)), None)
        if winner is not None or goal.asin in shown:
            return f"click[{(winner or goal.asin).lower()}]"
        if state.page_num * PRODUCTS_PER_PAGE < len(state.results):
            return "click[next >]"
        if state.query != title_query or not shown:
            return "click[back to search]"
        return f"click[{shown[0].lower()}]"  # not retrievable: buy the best match
    if state.view == "item":
        product = catalogue.by_asin[state.asin]
        for name, value in goal_options(goal, product).items():
            if state.options.get(name) != value and _clicks_into(product, name, value):
                return f"click[{value}]"
        return "click[buy now]"
    return "click[< prev]"  # a sub-page


def plan_subgoals(goal: Goal, steps: list[tuple[str, str, str | None]], catalogue: Catalogue) -> ExpertPlan:
    """Name the pieces of an oracle trajectory, given as (action, view, asin) with the view
    and item before each action. Subgoals end at each search ("search for the product"),
    product click ("open the best match"), option click ("choose size: large") and the
    purchase ("buy it"); paging and "back to search" lead up to the next one."""
    actions, ends = [], []
    for action, view, asin in steps:
        name, _, arg = action.partition("[")
        arg = arg[:-1]
        text = None
        if name == "search":
            text = SEARCH_SUBGOAL
        elif arg == "buy now":
            text = BUY_SUBGOAL
        elif arg not in NAVIGATION and view == "results":
            text = OPEN_SUBGOAL
        elif arg not in NAVIGATION and view == "item":
            group = [n for n, vs in catalogue.by_asin[asin].options.items() if arg in vs][-1]
            text = _fit("choose ", f"{group}: {arg}")
        actions.append(action)
        ends.append(text)
    return split_after(actions, ends, "buy the product the instruction asks for")


def _fit(prefix: str, text: str) -> str:
    """prefix + text, cut at a word boundary to at most MAX_SUBGOAL_CHARS characters."""
    words, room = [], MAX_SUBGOAL_CHARS - len(prefix)
    for word in text.split():
        if len(" ".join([*words, word])) > room:
            break
        words.append(word)
    return prefix + (" ".join(words) or text[:room])

"""bench/webshop_dumps.py on hand-made episodes: every number checked by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("webshop_dumps", Path(__file__).parent.parent / "bench" / "webshop_dumps.py")
dumps = sys.modules["webshop_dumps"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dumps)

INSTRUCTION = "Instruction: [SEP] i want a usb hub with color: blue [SEP] Search"
RESULTS = "Instruction: [SEP] i want a usb hub with color: blue [SEP] Next > [SEP] B0AAAAAAAA [SEP] Hub [SEP] B0BBBBBBBB [SEP] Cable"
ITEM = "Instruction: [SEP] ... [SEP] color [SEP] black [SEP] blue [SEP] Buy Now"
BLUEPRINT = ["search for the product", "open the best match", "choose color: blue", "buy it"]


def episode(click: str, option: str, ret: float, won: bool) -> dict:
    turns = [{"subgoal": 0, "observation": INSTRUCTION, "action": "search[usb hub]"},
             {"subgoal": 1, "observation": RESULTS, "action": f"click[{click}]"},
             {"subgoal": 2, "observation": ITEM, "action": f"click[{option}]"},
             {"subgoal": 3, "observation": ITEM, "action": "click[buy now]"}]
    return {"task": "t", "won": won, "score": ret / 10, "return": ret, "blueprint": BLUEPRINT, "turns": turns}


def test_clicked_rank_is_the_position_on_the_results_page():
    assert dumps.clicked_rank({"observation": RESULTS, "action": "click[b0bbbbbbbb]"}) == 1
    assert dumps.clicked_rank({"observation": RESULTS, "action": "click[B0AAAAAAAA]"}) == 0
    assert dumps.clicked_rank({"observation": ITEM, "action": "click[blue]"}) is None
    assert dumps.clicked_rank({"observation": RESULTS, "action": "click[item 2]"}) == 1  # product_refs=rank
    assert dumps.clicked_rank({"observation": ITEM, "action": "click[item 2]"}) is None


def test_summary_by_hand():
    eps = [episode("b0aaaaaaaa", "blue", 10.0, True),  # first result, follows the plan, wins
           episode("b0bbbbbbbb", "blue", 6.0, False),  # wrong product, follows the plan: advantage -1
           episode("b0bbbbbbbb", "black", 5.0, False),  # wrong product, does not follow
           episode("b0aaaaaaaa", "blue", 7.0, False)]  # group mean return 7.0
    s = dumps.summarise(eps)
    assert s["episodes"] == 4 and s["won"] == 0.25 and abs(s["score"] - 0.7) < 1e-12
    assert s["first_click"] == 0.5 and s["planner_copy"] == 1.0 and s["exec_follow"] == 0.75
    assert s["first_click_adv"] == (3.0 + 0.0) / 2  # returns 10 and 7 against the mean 7
    assert s["follow_adv_negative"] == 1 / 3  # of the three that followed, only the 6.0 one is below 7


def test_under_limit_clicks_read_prices_against_the_instruction():
    page = ("Instruction: [SEP] a usb hub, and price lower than 50.00 dollars [SEP] Back to Search [SEP] "
            "item 1 [SEP] B0AAAAAAAA [SEP] Hub [SEP] $66.94 [SEP] item 2 [SEP] B0BBBBBBBB [SEP] Hub 2 [SEP] "
            "$9.50 to $60.00 [SEP] item 3 [SEP] B0CCCCCCCC [SEP] Hub 3 [SEP] $49.99")
    assert dumps.under_limit({"observation": page}) == [False, True, True]
    assert dumps.under_limit({"observation": RESULTS}) is None  # no price clause
    eps = [dict(episode("x", "blue", 10.0, True), turns=[{"subgoal": 1, "observation": page, "action": f"click[item {k}]"}])
           for k in (1, 2, 3, 3)]
    s = dumps.summarise(eps)
    assert s["under_limit_click"] == 3 / 4 and s["first_under_limit_click"] == 1 / 4

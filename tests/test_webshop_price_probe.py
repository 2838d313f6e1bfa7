"""bench/webshop_price_probe.py: its pages and labels are the oracle's results-page decisions."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from envs.webshop.loader import DEFAULT_DATA_DIR

_spec = importlib.util.spec_from_file_location("webshop_price_probe", Path(__file__).parent.parent / "bench" / "webshop_price_probe.py")
probe = sys.modules["webshop_price_probe"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(probe)


def test_pages_are_labelled_with_the_oracle_rank_and_the_first_price():
    pages = probe.results_pages(str(DEFAULT_DATA_DIR), "test", 60)
    assert len(pages) >= 50
    for prompt, rank, over in pages:
        assert prompt.startswith("goal: open the best match\n") and prompt.endswith("<action>click[item ")
        limit = re.search(r"price lower than ([\d.]+) dollars", prompt)
        first_price = float(re.search(r"item 1 \[SEP\] \S+ \[SEP\] [^[]+\[SEP\] \$([\d.]+)", prompt).group(1))
        assert 1 <= rank <= 9
        if limit:
            assert over == (first_price > float(limit.group(1)))  # prices shown with two decimals
        if over:
            assert rank > 1  # an over-limit first result never wins
    assert any(rank > 1 for _, rank, _ in pages)

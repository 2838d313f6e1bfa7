import pytest
import torch

from himac.protocol import Batch, TokenStats, reduce_metric


def make(n=5):
    """x: per position [n, 3]; r: per sample [n]."""
    return Batch({"x": torch.arange(n * 3).view(n, 3), "r": torch.arange(n, dtype=torch.float)}, per_position={"x"})


def test_size_mismatch_and_undeclared_fields_are_errors():
    with pytest.raises(ValueError, match="disagree"):
        Batch({"x": torch.zeros(3), "y": torch.zeros(2)})
    with pytest.raises(ValueError, match=r"per-position fields \['z'\]"):
        Batch({"x": torch.zeros(3, 2)}, per_position={"z"})


def test_select_keeps_samples_in_step_and_the_declaration():
    b = make().select([4, 0, 4])
    assert b["r"].tolist() == [4.0, 0.0, 4.0] and b["x"][:, 0].tolist() == [12, 0, 12]
    assert b.per_position == {"x"}


def test_cut_shortens_only_the_declared_per_position_fields():
    b = Batch({"x": torch.zeros(2, 5), "allowed": torch.zeros(2, 5, 3), "r": torch.zeros(2)}, per_position={"x"})
    c = b.cut(2)
    assert c["x"].shape == (2, 2) and c["allowed"].shape == (2, 5, 3)  # same shape, but not per position


def test_chunk_covers_everything_once():
    b = make(7)
    parts = b.chunk(3)
    assert [len(p) for p in parts] == [2, 2, 3]
    assert torch.equal(torch.cat([p["x"] for p in parts]), b["x"])


def test_pad_to_divisor():
    b = make(5)
    p, pad = b.pad_to_divisor(4)
    assert len(p) == 8 and pad == 3 and p["r"][5:].tolist() == [0.0, 1.0, 2.0]
    same, zero = b.pad_to_divisor(5)
    assert same is b and zero == 0


def test_token_stats_select_rows_and_cut_positions():
    t = torch.arange(12.0).view(3, 4)
    st = TokenStats(t, t > 5, ref_logp=-t).select(torch.tensor([2, 0]), 2)
    assert st.old_logp.tolist() == [[8.0, 9.0], [0.0, 1.0]] and st.ref_logp.tolist() == [[-8.0, -9.0], [0.0, -1.0]]
    assert st.hellinger is None and st.mask.tolist() == [[True, True], [False, False]]


def test_metrics_combine_by_mean_except_max_keys():
    assert reduce_metric("actor/ratio_max", [1.0, 3.0, 2.0]) == 3.0
    assert reduce_metric("dgpo/weight_max", [0.5]) == 0.5
    assert reduce_metric("actor/ratio_mean", [1.0, 3.0, 2.0]) == 2.0

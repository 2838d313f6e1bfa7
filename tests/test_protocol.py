import pytest
import torch

from himac.protocol import Batch, reduce_metric


def make(n=5):
    return Batch(
        {"x": torch.arange(n * 2).view(n, 2), "r": torch.arange(n, dtype=torch.float)},
        {"task": [f"t{i}" for i in range(n)]},
        {"it": 3},
    )


def test_size_mismatch_is_an_error():
    with pytest.raises(ValueError, match="disagree"):
        Batch({"x": torch.zeros(3)}, {"task": ["a", "b"]})


def test_select_keeps_tensors_and_fields_in_step():
    b = make().select([4, 0, 4])
    assert b["task"] == ["t4", "t0", "t4"]
    assert b["r"].tolist() == [4.0, 0.0, 4.0]
    assert b.meta == {"it": 3}


def test_concat_and_chunk_roundtrip():
    b = make(7)
    parts = b.chunk(3)
    assert [len(p) for p in parts] == [2, 2, 3]
    back = Batch.concat(parts)
    assert back["task"] == b["task"] and torch.equal(back["x"], b["x"])
    with pytest.raises(ValueError, match="keys differ"):
        Batch.concat([b, Batch({"x": b["x"]}, {"task": b["task"]})])


def test_micro_batches_cover_everything_once():
    b = make(7)
    mbs = list(b.micro_batches(3))
    assert [len(m) for m in mbs] == [3, 3, 1]
    assert sum((m["task"] for m in mbs), []) == b["task"]


def test_repeat_interleaved_and_tiled():
    b = make(2)
    assert b.repeat(3)["task"] == ["t0", "t0", "t0", "t1", "t1", "t1"]
    assert b.repeat(2, interleave=False)["task"] == ["t0", "t1", "t0", "t1"]


def test_pad_to_divisor_and_unpad():
    b = make(5)
    p, pad = b.pad_to_divisor(4)
    assert len(p) == 8 and pad == 3 and p["task"][5:] == ["t0", "t1", "t2"]
    u = p.unpad(pad)
    assert u["task"] == b["task"] and torch.equal(u["x"], b["x"])
    same, zero = b.pad_to_divisor(5)
    assert same is b and zero == 0


def test_metrics_combine_by_mean_except_max_keys():
    assert reduce_metric("actor/ratio_max", [1.0, 3.0, 2.0]) == 3.0
    assert reduce_metric("dgpo/weight_max", [0.5]) == 0.5
    assert reduce_metric("actor/ratio_mean", [1.0, 3.0, 2.0]) == 2.0

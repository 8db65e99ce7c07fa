"""`idcgen.report.dumps_indented` writes exactly what `json.dumps(obj, indent=2,
ensure_ascii=False)` writes (the JSON and SARIF reports use it), and leaves what it does
not take to json.dumps, errors included."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from idcgen.report import dumps_indented


def _value(rng: random.Random, depth: int) -> Any:
    r = rng.random()
    if depth > 4 or r < 0.4:
        return rng.choice(["", 'a"b\\c\n\t\x01é中\u2028', "x" * rng.randrange(5), 0, -5,
                           10**20, True, False, None, 1.5, -0.0, 1e300, (1, "t")])
    if r < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["k", "é", "a b", "\n", ""]) + str(i): _value(rng, depth + 1)
            for i in range(rng.randrange(4))}


@pytest.mark.parametrize("seed", range(5))
def test_same_text_as_json_dumps(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        obj = _value(rng, 0)
        assert dumps_indented(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("obj", [float("nan"), float("-inf"), {1: 2}, {"a": {1.5: [3]}},
                                 {"k": [True, None, 2.5]}])
def test_unusual_values_answer_like_json_dumps(obj: Any) -> None:
    assert dumps_indented(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


def test_errors_are_json_dumps_errors() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"x": object()})
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(circular)


@pytest.mark.parametrize("seed", range(3))
def test_chunks_join_to_the_same_text(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report is written chunk by chunk (peak memory): with tiny chunks every value
    boundary is a chunk boundary, and the chunks still join to json.dumps' text."""
    import idcgen.report as report

    monkeypatch.setattr(report, "CHUNK_PIECES", 3)
    rng = random.Random(seed)
    for _ in range(200):
        obj = _value(rng, 0)
        chunks = report.dumps_indented_chunks(obj)
        assert "".join(chunks) == json.dumps(obj, indent=2, ensure_ascii=False)
        if len(json.dumps(obj)) > 40:
            assert len(chunks) > 1


def test_unusual_value_falls_back_as_one_chunk() -> None:
    from idcgen.report import dumps_indented_chunks

    obj = {"a": [1, 2, 3], "b": float("nan")}
    assert dumps_indented_chunks(obj) == [json.dumps(obj, indent=2, ensure_ascii=False)]

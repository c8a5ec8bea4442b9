"""Bulk scoring: many answer sets in few calls, results as they come."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any, Dict, Iterator, List

import pytest

import rekindle
from conftest import scenario
from rekindle import Engine, InvalidAnswers, TraceDetail


def rows() -> List[Dict[str, Any]]:
    case = scenario()
    return [
        {"answers": case["answers"], "context": case["context"]},
        {"answers": {"q_misunderstandings": "often"}, "context": {"married": True}},
        {"answers": {"q_safety_fear": True}},
        {"answers": {}},
    ]


def test_each_result_is_the_single_call_result(engine: Engine) -> None:
    expected = [engine.assess_dict(r, detail=TraceDetail.RULES_ONLY) for r in rows()]
    assert list(engine.assess_many(rows())) == expected
    full = [engine.assess_dict(r) for r in rows()]
    assert list(engine.assess_many(rows(), detail=TraceDetail.FULL, chunk_size=3)) == full


def test_json_lines_go_in_as_they_are(engine: Engine) -> None:
    text = "\n".join(json.dumps(r) for r in rows())
    # A file object yields lines with their line breaks; blank lines are skipped.
    lines = io.StringIO(text.replace("\n", "\n\n", 1) + "\n")
    assert list(engine.assess_many(lines)) == list(engine.assess_many(rows()))


def test_results_stream_chunk_by_chunk(engine: Engine) -> None:
    taken: List[int] = []

    def source() -> Iterator[Dict[str, Any]]:
        for i in itertools.count():
            taken.append(i)
            yield rows()[i % 4]

    results = engine.assess_many(source(), chunk_size=10)
    first = next(results)
    assert isinstance(first, rekindle.Recommendation)
    # The first result came after one chunk was read, not the whole (endless) input.
    assert len(taken) == 10
    assert len(list(itertools.islice(results, 14))) == 14
    assert len(taken) == 20


def test_a_bad_answer_set_raises_with_its_position(engine: Engine) -> None:
    items = rows() + [{"answers": {"q_blame": "nope"}}] + rows()
    results = engine.assess_many(items, chunk_size=2)
    assert len(list(itertools.islice(results, 4))) == 4
    with pytest.raises(InvalidAnswers) as caught:
        next(results)
    assert str(caught.value).startswith("item 4: 1 problem in answers")
    assert caught.value.problems[0].path == "answers.q_blame"


def test_errors_can_be_returned_in_place(engine: Engine) -> None:
    items: List[Any] = [rows()[0], '{"answers": [', {"answers": {"q_blame": "nope"}}, rows()[1]]
    results = list(engine.assess_many(items, errors="return"))
    assert [type(r).__name__ for r in results] == [
        "Recommendation",
        "InvalidAnswers",
        "InvalidAnswers",
        "Recommendation",
    ]
    syntax, invalid = results[1], results[2]
    assert isinstance(syntax, InvalidAnswers) and syntax.tag == "syntax"
    assert isinstance(invalid, InvalidAnswers) and invalid.tag == "invalid"


def test_nothing_in_gives_nothing_out(engine: Engine) -> None:
    assert list(engine.assess_many([])) == []
    assert list(engine.assess_many(["", "  \n"])) == []


def test_results_as_json_lines_are_the_engine_json(engine: Engine) -> None:
    items: List[Any] = rows() + ['{"answers": {"q_blame": "nope"}}']
    lines = list(engine.assess_many_json(items, detail=TraceDetail.FULL))
    for line, stored in zip(lines, rows()):
        assert "\n" not in line
        assert json.loads(line) == json.loads(engine.assess_json_to_json(json.dumps(stored)))
    error = json.loads(lines[-1])["error"]
    assert (error["tag"], error["problems"][0]["kind"]) == ("invalid", "unknown_option")


def test_bad_options_for_many_are_invalid_arguments(engine: Engine) -> None:
    with pytest.raises(rekindle.InvalidArgument):
        list(engine.assess_many(rows(), errors="ignore"))  # type: ignore[call-overload]
    with pytest.raises(rekindle.InvalidArgument):
        list(engine.assess_many_json(rows(), chunk_size=0))

"""The package as Python users meet it: version, types, records that print
and convert, records in step with the engine, and the README's examples."""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import pathlib
import re
import runpy
import typing
from typing import Any, Dict, List

import pytest

import readme_examples
import rekindle
from conftest import ROOT, scenario
from rekindle import Engine, Recommendation

def test_version_is_the_library_version() -> None:
    cargo = (ROOT / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', cargo, re.MULTILINE)
    assert version is not None
    assert rekindle.__version__ == version.group(1)


def test_every_library_call_is_in_the_package_or_named_as_not_yet() -> None:
    """The generated module's free functions are the library's calls: each
    is the package's too, or the README names it as not yet in the layer,
    so the documentation never names a call the package lacks."""
    import inspect

    from rekindle import _native

    calls = {
        name
        for name, value in vars(_native).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__.startswith(_native.__name__)
    }
    assert {"supported_pack_format", "library_version", "default_pack_json"} <= calls
    readme = (ROOT / "bindings" / "python" / "README.md").read_text()
    not_yet = next(line for line in readme.splitlines() if line.startswith("| not yet in the layer"))
    for name in sorted(calls):
        assert name in rekindle.__all__ or f"`{name}`" in not_yet, name
    assert rekindle.supported_pack_format() == json.loads(rekindle.default_pack_json())["format"]
    assert rekindle.library_version() == rekindle.__version__


def test_the_package_is_typed() -> None:
    assert importlib.resources.files("rekindle").joinpath("py.typed").is_file()


def test_help_describes_the_package_and_its_calls() -> None:
    assert rekindle.__doc__ and "Engine" in rekindle.__doc__
    for name in ("assess", "assess_many", "questionnaire", "run_fixtures"):
        doc = getattr(Engine, name).__doc__
        assert doc, name
        # Plain words, not rustdoc link syntax.
        assert "[`" not in doc, name


def test_records_print_their_fields_and_convert_to_dicts(engine: Engine) -> None:
    case = scenario()
    plan = engine.assess(case["answers"], case["context"])
    assert repr(plan).startswith("Recommendation(focus_areas=[FocusAreaResult(id=")
    as_dict = dataclasses.asdict(plan)
    assert list(as_dict) == [f.name for f in dataclasses.fields(Recommendation)]
    assert as_dict["focus_areas"][0]["reasons"][0] == plan.focus_areas[0].reasons[0]
    assert as_dict["reasons"][0]["rule"] == plan.reasons[0].rule
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.therapy.level = "recommend"  # type: ignore[misc]


def walk(record: Any, found: Dict[type, List[Any]]) -> None:
    """Every record in a result, by type."""
    if dataclasses.is_dataclass(record):
        found.setdefault(type(record), []).append(record)
        for field in dataclasses.fields(record):
            walk(getattr(record, field.name), found)
    elif isinstance(record, list):
        for item in record:
            walk(item, found)
    else:
        assert not isinstance(record, dict), "a JSON object was left unconverted"


def test_records_match_the_engine_json_field_for_field(engine: Engine) -> None:
    """The records mirror the Rust records: a result converts to dict as the
    engine's own JSON, so a field added in Rust fails here until added."""
    case = scenario()
    for answers, context in [
        (case["answers"], case["context"]),
        ({"q_safety_fear": True, "q_misunderstandings": "often"}, {}),
    ]:
        text = json.dumps({"answers": answers, "context": context})
        plan = engine.assess_json(text)
        assert dataclasses.asdict(plan) == json.loads(engine.assess_json_to_json(text))
        found: Dict[type, List[Any]] = {}
        walk(plan, found)
    hints = typing.get_type_hints(Recommendation)
    assert set(hints) == {f.name for f in dataclasses.fields(Recommendation)}


def test_questionnaire_records_match_the_generated_records(engine: Engine) -> None:
    native = rekindle._native
    questionnaire = engine.questionnaire()
    raw = native.Engine().questionnaire()
    for ours, theirs in [
        (questionnaire.sections[0], raw.sections[0]),
        (questionnaire.context[0], raw.context[0]),
        (engine.info(), native.Engine().info()),
    ]:
        names = {f.name for f in dataclasses.fields(ours)}
        assert names == {n for n in vars(theirs) if not n.startswith("_")}
    assert len(questionnaire.questions) == len(raw.questions)


def test_problem_kinds_match_the_engine() -> None:
    native = {kind.name for kind in rekindle._native.ProblemKind}
    assert {kind.name for kind in rekindle.ProblemKind} == native
    assert all(kind.value == kind.name.lower() for kind in rekindle.ProblemKind)


def test_the_readme_examples_run(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = readme_examples.prepare(tmp_path)
    assert len(paths) >= 3
    monkeypatch.chdir(tmp_path)
    for path in paths:
        runpy.run_path(str(path), run_name="__main__")


def test_the_readme_examples_type_check(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("mypy.api")
    assert readme_examples.type_check(readme_examples.prepare(tmp_path)) == ""


def test_the_package_docstring_example_runs() -> None:
    import doctest

    failed, attempted = doctest.testmod(rekindle)
    assert (failed, attempted > 0) == (0, True)

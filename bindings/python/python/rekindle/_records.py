"""Plain, typed records for everything the engine returns.

Each record mirrors a Rust record field for field, in the same order, so the
JSON the engine writes (`serde`) becomes a record without renaming. Records
are frozen dataclasses: `repr`, `==` and `dataclasses.asdict` work on them.

Records are built in one place, from either form the engine gives: parsed
JSON (dicts and lists) or the objects of the generated module. The fields
to descend into are read from each class's type hints once, so a new Rust
field or record, or a field whose type changes (reasons given as rule ids
instead of records, say), needs only its dataclass here.

A :class:`Recommendation` is built from the engine's JSON text by
:func:`recommendation_from_json`, which leaves its trace as text until it is
first read, or by :func:`lazy_recommendation`, which leaves all of it as
text until any field is first read (for bulk scoring). Either way the
fields are real: ``repr``, ``==``, ``dataclasses.asdict`` and pickling read
them like any other.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import sys
import typing
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar, Union

T = TypeVar("T")

loads: Callable[[Union[str, bytes]], Any]
"""Parses JSON text (``str`` or UTF-8 ``bytes``)."""
try:
    # Optional (`pip install rekindle[fast]`): parses the engine's answers
    # in under half the time of `json.loads`, with the same result. Looked
    # up by name, so type checking does not depend on it being installed.
    loads = importlib.import_module("orjson").loads
except ImportError:
    loads = json.loads

# Field annotations below use `Optional` and `List` (not `X | None`): they are
# evaluated at import time to build the converters, and Python 3.9 cannot
# evaluate `X | None`.


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why something is in the result: the rule and the text it gives."""

    rule: str
    """The id of the rule that fired."""
    text: str
    """The rule's reason text."""


def _find_reason(reasons: List[Reason], rule: str) -> Optional[Reason]:
    for reason in reasons:
        if reason.rule == rule:
            return reason
    return None


def _reasons_for(reasons: List[Reason], rules: List[str]) -> List[Reason]:
    by_rule = {reason.rule: reason for reason in reasons}
    return [by_rule[rule] for rule in rules if rule in by_rule]


@dataclasses.dataclass(frozen=True)
class FocusAreaResult:
    """A focus area recommended to the couple.

    Its practices are looked up with :meth:`rekindle.Engine.focus_area`.
    """

    id: str
    title: str
    summary: str
    weight: float
    """Summed weight from the rules that fired."""
    reasons: List[str]
    """The ids of the rules that weighted it, in pack order; their texts
    are in the result's ``reasons``."""


@dataclasses.dataclass(frozen=True)
class PhaseResult:
    """The phase of a challenge to emphasise."""

    id: str
    first_day: int
    """First day, inclusive."""
    last_day: int
    """Last day, inclusive."""
    theme: str
    weight: float


@dataclasses.dataclass(frozen=True)
class ChallengeResult:
    """The 30-day challenge to follow and the phase to emphasise."""

    id: str
    title: str
    summary: str
    weight: float
    """Summed weight of the challenge and its phases."""
    phase: PhaseResult
    rationale: List[str]
    """The ids of the rules that weighted this challenge or phase, in pack
    order; their texts are in the result's ``reasons``."""


@dataclasses.dataclass(frozen=True)
class TherapyResult:
    """Whether and how to suggest therapy."""

    level: str
    """The level id (the pack's first level means no suggestion)."""
    rank: int
    """Position of the level in the pack, 0 for the baseline."""
    title: str
    message: str
    online: bool
    """Online therapy fits this couple."""
    reasons: List[str]
    """The ids of the rules that asked for this level or for online
    therapy."""


@dataclasses.dataclass(frozen=True)
class ResourceResult:
    """A place to find help."""

    id: str
    name: str
    description: str
    contact: str


@dataclasses.dataclass(frozen=True)
class SafetyNotice:
    """The safety notice. When present, show it before everything else."""

    title: str
    message: str
    resources: List[ResourceResult]
    reasons: List[str]
    """The ids of the safety rules that fired."""
    suppressed_tags: List[str]
    """The tags suppressed because of it."""


@dataclasses.dataclass(frozen=True)
class DimensionScore:
    """A dimension's 0-100 score and band."""

    id: str
    title: str
    score: Optional[float]
    """0-100, None when too few items were answered."""
    raw: Optional[float]
    band: Optional[str]
    band_label: Optional[str]
    answered: int
    """How many of its items were answered."""
    items: int


@dataclasses.dataclass(frozen=True)
class LeafTrace:
    """A condition leaf that decided a fired rule."""

    path: str
    """JSON path of the leaf in the pack, such as ``rules[3].when.all[1]``."""
    test: str
    actual: str
    held: bool


@dataclasses.dataclass(frozen=True)
class FiredRule:
    """A rule that fired and the leaves that decided it."""

    rule: str
    index: int
    leaves: List[LeafTrace]
    """Empty with ``TraceDetail.RULES_ONLY``."""


@dataclasses.dataclass(frozen=True)
class Trace:
    """Which rules fired, and on what evidence."""

    fired: List[FiredRule]
    suppressed_tags: List[str]


@dataclasses.dataclass(frozen=True)
class PackInfo:
    """Which pack produced a result."""

    id: str
    version: str
    title: str
    hash: str
    """SHA-256 of the pack's canonical JSON, in lowercase hex."""


class Direction(str, enum.Enum):
    """Which way a dimension moved since an earlier snapshot."""

    BETTER = "better"
    WORSE = "worse"
    STEADY = "steady"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class DimensionProgress:
    """One dimension now against before."""

    id: str
    title: str
    before: Optional[float]
    now: Optional[float]
    change: Optional[float]
    change_since_first: Optional[float]
    band_before: Optional[str]
    band_now: Optional[str]
    direction: Direction


@dataclasses.dataclass(frozen=True)
class Progress:
    """What changed since the most recent earlier snapshot."""

    since: str
    days: Optional[int]
    snapshots: int
    dimensions: List[DimensionProgress]
    not_comparable: List[str]
    previous_challenge: Optional[str]
    previous_phase: Optional[str]
    previous_day: Optional[int]


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """The plan for a couple: what to work on, how, and whether to seek help."""

    focus_areas: List[FocusAreaResult]
    """Most important first."""
    challenge: Optional[ChallengeResult]
    therapy: TherapyResult
    safety: Optional[SafetyNotice]
    """When present it always wins: show it first."""
    reasons: List[Reason]
    """The reason of every rule referred to above, each once, in pack
    order."""
    scores: List[DimensionScore]
    progress: Optional[Progress]
    """What changed since the most recent earlier snapshot given, if any."""
    trace: Trace
    pack: PackInfo

    def reason(self, rule: str) -> Optional[Reason]:
        """The reason of a rule, by its id."""
        return _find_reason(self.reasons, rule)

    def reasons_for(self, rules: List[str]) -> List[Reason]:
        """The reasons a list of rule ids refers to (a focus area's
        ``reasons``, the challenge's ``rationale``), in the list's order."""
        return _reasons_for(self.reasons, rules)


@dataclasses.dataclass(frozen=True)
class SharedView:
    """What both partners of a couple see together."""

    focus_areas: List[FocusAreaResult]
    challenge: Optional[ChallengeResult]
    activity: Optional[str]
    therapy: TherapyResult
    reasons: List[Reason]
    """The reason of every rule referred to above, each once, worded for
    both partners."""
    scores: List[DimensionScore]
    progress: Optional[Progress]

    def reasons_for(self, rules: List[str]) -> List[Reason]:
        """The reasons a list of rule ids refers to, in the list's order."""
        return _reasons_for(self.reasons, rules)


@dataclasses.dataclass(frozen=True)
class PartnerView:
    """What only one partner sees."""

    safety: Optional[SafetyNotice]
    focus_areas: List[FocusAreaResult]
    therapy: Optional[TherapyResult]
    scores: List[DimensionScore]
    reasons: List[Reason]
    """Every rule that held for this partner, with its reason; the focus
    areas, therapy and safety notice refer to these by rule id."""
    progress: Optional[Progress]

    def reasons_for(self, rules: List[str]) -> List[Reason]:
        """The reasons a list of rule ids refers to, in the list's order."""
        return _reasons_for(self.reasons, rules)


@dataclasses.dataclass(frozen=True)
class CouplePlan:
    """A couple's plan: show ``shared`` to both, ``a`` only to partner A and
    ``b`` only to partner B."""

    shared: SharedView
    a: PartnerView
    b: PartnerView
    pack: PackInfo


class ProblemKind(str, enum.Enum):
    """The stable kind of a :class:`Problem`; equal to its tag string."""

    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_REFERENCE = "unknown_reference"
    EMPTY = "empty"
    INVALID_ID = "invalid_id"
    INVALID_NUMBER = "invalid_number"
    IMPOSSIBLE_VALUE = "impossible_value"
    BAND_GAP = "band_gap"
    BAND_OVERLAP = "band_overlap"
    PHASE_DAYS = "phase_days"
    INVALID_CONDITION = "invalid_condition"
    AT_LEAST_TOO_LARGE = "at_least_too_large"
    TOO_DEEP = "too_deep"
    TOO_LARGE = "too_large"
    UNSAFE_SAFETY_RULE = "unsafe_safety_rule"
    INVALID_SUPPRESSION = "invalid_suppression"
    UNKNOWN_QUESTION = "unknown_question"
    UNKNOWN_CONTEXT = "unknown_context"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_OPTION = "unknown_option"
    OUT_OF_RANGE = "out_of_range"
    TOO_MANY_ANSWERS = "too_many_answers"
    DUPLICATE_KEY = "duplicate_key"
    TOO_MANY_PROBLEMS = "too_many_problems"
    COUPLE_ONLY = "couple_only"
    PRIVATE_EXPOSED = "private_exposed"
    NEVER_FIRES = "never_fires"
    DUPLICATE_RULE = "duplicate_rule"
    UNREACHABLE_BAND = "unreachable_band"
    UNREACHABLE_OUTCOME = "unreachable_outcome"
    ROUNDED_CUTOFF = "rounded_cutoff"
    UNUSED_SHARED_REASON = "unused_shared_reason"
    OWN_VIEW_SUPPRESSION = "own_view_suppression"
    SNAPSHOT_OTHER_PACK = "snapshot_other_pack"
    INVALID_SNAPSHOT = "invalid_snapshot"
    INVALID_DATE = "invalid_date"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem in a pack or in answers, with its JSON path."""

    kind: ProblemKind
    """The stable kind; a ``str`` equal to its tag, such as ``"unknown_reference"``."""
    path: str
    """Where it is, such as ``rules[3].when.all[1].answer``."""
    message: str
    """What is wrong, in words, without any answer values."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.kind}]"


@dataclasses.dataclass(frozen=True)
class ExpectationFailure:
    """One fixture expectation that did not hold."""

    expectation: str
    expected: str
    actual: str


@dataclasses.dataclass(frozen=True)
class FixtureOutcome:
    """The outcome of one fixture."""

    file: str
    name: str
    failures: List[ExpectationFailure]
    fired: List[str]
    explanation: str

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclasses.dataclass(frozen=True)
class FixtureReport:
    """The outcome of a fixture run; ``str(report)`` is the readable summary."""

    outcomes: List[FixtureOutcome]
    passed: int
    failed: int
    unfired_rules: List[str]
    """Rules that no fixture fired, in pack order."""

    def __str__(self) -> str:
        # The engine's own wording, kept when the report was made.
        summary: str = self.__dict__.get("_summary", f"{self.passed} passed, {self.failed} failed")
        return summary


@dataclasses.dataclass(frozen=True)
class FixtureSource:
    """One fixture file to run: a name used in reports and its JSON text."""

    name: str
    json: str


@dataclasses.dataclass(frozen=True)
class FocusAreaDetails:
    """A focus area and what to try, for the detail screen of a result."""

    id: str
    title: str
    summary: str
    practices: List[str]


@dataclasses.dataclass(frozen=True)
class PhaseDetails:
    """One phase of a challenge, with one activity per day."""

    id: str
    first_day: int
    last_day: int
    theme: str
    activities: List[str]


@dataclasses.dataclass(frozen=True)
class ChallengeDetails:
    """A 30-day challenge with every phase and daily activity."""

    id: str
    title: str
    summary: str
    phases: List[PhaseDetails]


@dataclasses.dataclass(frozen=True)
class Section:
    """A group of questions shown together."""

    id: str
    title: str
    intro: str


@dataclasses.dataclass(frozen=True)
class AnswerOption:
    """One option of an options question: send ``value`` as the answer."""

    value: str
    label: str


@dataclasses.dataclass(frozen=True)
class OptionsAnswer:
    """Pick one option; answer with its ``value`` (a ``str``)."""

    options: List[AnswerOption]


@dataclasses.dataclass(frozen=True)
class RangeAnswer:
    """A number from ``min`` to ``max``, in steps of ``step`` when given."""

    min: float
    max: float
    step: Optional[float]
    min_label: str
    max_label: str


@dataclasses.dataclass(frozen=True)
class YesNoAnswer:
    """Yes or no; answer with a ``bool``."""


AnswerKind = Union[OptionsAnswer, RangeAnswer, YesNoAnswer]
"""What kind of answer a question takes."""


@dataclasses.dataclass(frozen=True)
class Question:
    """One question of the self-assessment."""

    id: str
    """The id answers use."""
    section: Optional[str]
    prompt: str
    help: str
    answer: AnswerKind


class FactKind(str, enum.Enum):
    """The type of a context fact, and so which Python type to send."""

    BOOL = "bool"
    NUMBER = "number"
    CHOICE = "choice"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class ContextFact:
    """A fact about the couple that the app may pass as context."""

    id: str
    label: str
    kind: FactKind
    min: Optional[float]
    max: Optional[float]
    choices: List[str]


@dataclasses.dataclass(frozen=True)
class Questionnaire:
    """What an app needs to render the self-assessment, in display order."""

    sections: List[Section]
    questions: List[Question]
    context: List[ContextFact]


# ---------------------------------------------------------------------------
# Building records. Only fields that hold records, enums, or lists or
# options of them are converted; every other value is taken as it is.
#
# Each record type gets one straight-line function, written from its type
# hints the first time it is needed (as `dataclasses` writes `__init__`):
# a result holds some 40 to 80 records, and a loop over converters per
# field costs about twice as much per record.

Converter = Callable[[Any], Any]

_json_builders: Dict[Any, Converter] = {}
_native_builders: Dict[Any, Converter] = {}


def _args(hint: Any) -> Tuple[Any, ...]:
    return typing.get_args(hint)


def _is_optional(hint: Any) -> bool:
    return typing.get_origin(hint) is Union and type(None) in _args(hint)


def _present(hint: Any) -> Any:
    """The type an ``Optional`` holds when it holds something."""
    (present,) = [a for a in _args(hint) if a is not type(None)]
    return present


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, enum.Enum)


def _hints(cls: type) -> Dict[str, Any]:
    return typing.get_type_hints(cls, vars(sys.modules[__name__]))


# From parsed JSON. A record keeps its JSON object, converted in place, as
# its `__dict__`, and one function converts a record with every record in
# it, nested lists as loops in the function itself: making a record costs
# little more than a call to a function that makes it.


def _converts(hint: Any) -> bool:
    """Whether a JSON value of this type is converted (holds a record or enum)."""
    if typing.get_origin(hint) is list:
        return _converts(_args(hint)[0])
    if _is_optional(hint):
        return _converts(_present(hint))
    return _is_record(hint) or _is_enum(hint)


def _json_statements(hint: Any, value: str, target: str, indent: str, depth: int, names: Dict[str, Any]) -> List[str]:
    """Statements converting the JSON value named `value`, of this type, and
    storing the result in `target` (lists are converted in place)."""
    if typing.get_origin(hint) is list:
        index, item = f"i{depth}", f"x{depth}"
        return [
            f"{indent}for {index}, {item} in enumerate({value}):",
            *_json_statements(_args(hint)[0], item, f"{value}[{index}]", indent + "    ", depth + 1, names),
        ]
    if _is_optional(hint):
        return [
            f"{indent}if {value} is not None:",
            *_json_statements(_present(hint), value, target, indent + "    ", depth, names),
        ]
    if _is_enum(hint):
        name = f"t{len(names)}"
        names[name] = hint
        return [f"{indent}{target} = {name}({value})"]
    if not _is_record(hint):
        raise TypeError(f"no JSON conversion for {hint}")
    lines = []
    hints = _hints(hint)
    for field in dataclasses.fields(hint):
        if not _converts(hints[field.name]):
            continue
        inner = f"v{depth}"
        read = [f"{inner} = {value}[{field.name!r}]"]
        convert = _json_statements(hints[field.name], inner, f"{value}[{field.name!r}]", "", depth + 1, names)
        if getattr(vars(hint).get(field.name), "apart", False):
            # A field that may be left out, as text: converted on first read.
            lines.append(f"{indent}if {field.name!r} in {value}:")
            lines += [f"{indent}    {line}" for line in read + convert]
        else:
            lines += [f"{indent}{line}" for line in read + convert]
    # Frozen records: the attributes are set at once, past the frozen check,
    # with the class's own `__dict__` setter (cheaper than object.__setattr__).
    name = f"t{len(names)}"
    names[name] = hint
    names[f"{name}_dict"] = vars(hint)["__dict__"].__set__
    return lines + [
        f"{indent}record = new({name})",
        f"{indent}{name}_dict(record, {value})",
        f"{indent}{target} = record",
    ]


def _json_converter(hint: Any) -> Converter:
    if _is_enum(hint):
        return typing.cast(Converter, hint)
    if hint not in _json_builders:
        names: Dict[str, Any] = {"new": object.__new__}
        lines = ["def build(value):", *_json_statements(hint, "value", "value", "    ", 0, names), "    return value"]
        exec("\n".join(lines), names)
        _json_builders[hint] = names["build"]
    return _json_builders[hint]


def from_json(cls: Type[T], data: Dict[str, Any]) -> T:
    """A record of type ``cls`` from its parsed JSON object (which it keeps)."""
    return typing.cast(T, _json_converter(cls)(data))


# From the generated module's objects, which are read field by field.


def _expression(hint: Any, value: str, depth: int, names: Dict[str, Any]) -> str:
    """Python code converting `value` of this type hint; converters it calls
    are added to `names`."""
    if typing.get_origin(hint) is list:
        item = f"x{depth}"
        inner = _expression(_args(hint)[0], item, depth + 1, names)
        return value if inner == item else f"[{inner} for {item} in {value}]"
    if _is_optional(hint):
        inner = _expression(_present(hint), value, depth, names)
        return value if inner == value else f"(None if {value} is None else {inner})"
    if _is_record(hint) or _is_enum(hint) or typing.get_origin(hint) is Union:
        name = f"convert{len(names)}"
        names[name] = _native_converter(hint)
        return f"{name}({value})"
    return value


def _write_native_builder(cls: type) -> Converter:
    hints = _hints(cls)
    names: Dict[str, Any] = {"cls": cls, "new": object.__new__, "set_attribute": object.__setattr__}
    lines = ["def build(value):", "    data = {}"]
    for field in dataclasses.fields(cls):
        lines.append(f"    data[{field.name!r}] = {_expression(hints[field.name], f'value.{field.name}', 0, names)}")
    lines += [
        "    record = new(cls)",
        # Frozen records: set the attributes at once, past the frozen check.
        "    set_attribute(record, '__dict__', data)",
        "    return record",
    ]
    exec("\n".join(lines), names)
    build: Converter = names["build"]
    return build


def _answer_kind(value: Any) -> AnswerKind:
    if value.is_OPTIONS():
        return OptionsAnswer(options=[from_native(AnswerOption, o) for o in value.options])
    if value.is_RANGE():
        return from_native(RangeAnswer, value)
    return YesNoAnswer()


def _native_converter(hint: Any) -> Converter:
    if hint is AnswerKind:
        return _answer_kind
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _by_variant_name(hint)
    if hint not in _native_builders:
        _native_builders[hint] = _write_native_builder(hint)
    return _native_builders[hint]


def _by_variant_name(members: Type[enum.Enum]) -> Converter:
    """The generated enums carry the variant names; ours carry the tags."""

    def convert(item: Any) -> Any:
        return members[item.name]

    return convert


def from_native(cls: Type[T], value: Any) -> T:
    """A record of type ``cls`` from the generated module's object with the
    same field names."""
    return typing.cast(T, _native_converter(cls)(value))


# ---------------------------------------------------------------------------
# Recommendations from the engine's JSON text, converted as they are read.
#
# The trace holds about half of a result's records and is rarely read, so
# it stays text until it is. The engine writes a result's fields in the
# order of the Rust record, which these records mirror, so the trace is the
# text from `,"trace":` to the key of the field after it. Both sides of the
# cut are checked when they are parsed: the rest must have the record's
# other keys, the trace must be one JSON value (a cut anywhere else leaves
# brackets unbalanced, text over or keys wrong); if either check fails the
# whole text is parsed instead.

_APART = "trace"
"""The field kept as text apart from the others until it is read."""
_TEXT = "_json"
"""Key, in a record's ``__dict__``, of the engine's JSON of the whole
result while none of it has been read."""
_APART_TEXT = "_trace_json"
"""Key of the JSON of the whole result, with where the trace is in it,
while the trace has not been read."""


class _Deferred:
    """A :class:`Recommendation` field that may still be JSON text: the first
    read converts it and stores it in the record's ``__dict__``, where every
    later read finds it without coming here (a descriptor without
    ``__set__`` yields to the instance's own attributes)."""

    __slots__ = ("name", "apart")

    def __init__(self, name: str) -> None:
        self.name = name
        self.apart = name == _APART

    def __get__(self, record: Any, owner: Any = None) -> Any:
        if record is None:
            return self
        state = record.__dict__
        _read_head(state)
        if self.apart:
            _read_apart(state)
        try:
            return state[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


for _field in dataclasses.fields(Recommendation):
    setattr(Recommendation, _field.name, _Deferred(_field.name))

_NAMES = [field.name for field in dataclasses.fields(Recommendation)]
_HEAD_KEYS = frozenset(_NAMES) - {_APART}
_APART_KEY = f',"{_APART}":'.encode()
# The key of the field after the trace ends the trace's text; with none
# after it, the end of the result does.
_AFTER = _NAMES[_NAMES.index(_APART) + 1 :][:1]
_AFTER_KEY = f',"{_AFTER[0]}":'.encode() if _AFTER else b"}"


def recommendation_from_json(text: bytes) -> Recommendation:
    """A :class:`Recommendation` from the engine's JSON of one result; its
    trace is converted when first read."""
    build = _json_converter(Recommendation)
    start = text.rfind(_APART_KEY)
    end = text.rfind(_AFTER_KEY)
    if 0 < start < end:
        try:
            head = loads(text[:start] + text[end:])
        except ValueError:
            head = None
        if type(head) is dict and head.keys() == _HEAD_KEYS:
            record: Recommendation = build(head)
            head[_APART_TEXT] = (text, start + len(_APART_KEY), end)
            return record
    whole: Recommendation = build(loads(text))
    return whole


def lazy_recommendation(text: bytes) -> Recommendation:
    """A :class:`Recommendation` kept as the engine's JSON of one result until
    a field is first read."""
    record: Recommendation = object.__new__(Recommendation)
    object.__setattr__(record, "__dict__", {_TEXT: text})
    return record


def _read_head(state: Dict[str, Any]) -> None:
    """Converts every field but the trace, if the record is still text."""
    text = state.get(_TEXT)
    if text is not None:
        state.update(vars(recommendation_from_json(text)))
        # Last: another thread that finds the text gone finds the fields.
        state.pop(_TEXT, None)


def _read_apart(state: Dict[str, Any]) -> None:
    """Converts the trace, if it is still text."""
    found = state.get(_APART_TEXT)
    if found is None:
        return
    text, start, end = found
    try:
        value = loads(text[start:end])
    except ValueError:
        value = loads(text)[_APART]
    state[_APART] = _json_converter(Trace)(value)
    state.pop(_APART_TEXT, None)

"""The engine: a thin, typed layer over the generated module.

Assessments go through the engine's JSON path: a dict becomes JSON, the
engine returns the recommendation as JSON, and :mod:`._records` turns it
into records. Passing two strings across is much cheaper than lowering a
map of typed values and lifting a tree of objects one field at a time,
which is what the generated typed calls do; the strings cross as UTF-8
bytes (see :func:`._ffi.json_method`).
"""

from __future__ import annotations

import enum
import importlib
import itertools
import json
import math
import os
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Union,
    overload,
)

from ._ffi import json_method
from ._ffi import native as _native
from ._errors import InvalidAnswers, RekindleError, convert, invalid_argument
from ._records import (
    ChallengeDetails,
    CouplePlan,
    FixtureReport,
    FixtureSource,
    FocusAreaDetails,
    PackInfo,
    Problem,
    Questionnaire,
    Recommendation,
    from_json,
    from_native,
    lazy_recommendation,
    loads,
    recommendation_from_json,
)


Answer = Union[str, float, int, bool]
"""An answer or context value: an option value or choice (``str``), a number,
or yes/no (``bool``)."""

Responses = Mapping[str, Any]
"""One answer set as plain data: ``{"answers": {...}, "context": {...}}``
(``context`` may be left out)."""


class TraceDetail(enum.Enum):
    """How much evidence a result's trace keeps; every decision is the same."""

    FULL = "full"
    """Every fired rule with the condition leaves that decided it."""
    RULES_ONLY = "rules_only"
    """Fired rules without their leaves: less work and a smaller result."""


_NATIVE_DETAIL = {
    TraceDetail.FULL: _native.TraceDetail.FULL,
    TraceDetail.RULES_ONLY: _native.TraceDetail.RULES_ONLY,
}

_assess_json = json_method("assess_json_to_json")
_assess_json_lines = json_method("assess_json_lines", takes_detail=True)
_assess_couple_json = json_method("assess_couple_json_to_json")

_dumps = json.JSONEncoder(
    ensure_ascii=False,
    allow_nan=False,
    separators=(",", ":"),
    default=lambda value: _plain(value),
).encode
_fast_dumps: Optional[Callable[[Any], bytes]]
try:
    # With orjson (`pip install rekindle[fast]`), answer sets that hold only
    # plain values are written ten times faster. Everything else goes
    # through `json`, which decides what can be passed (orjson would also
    # write NaN as null, and enums, UUIDs and dates as values).
    _fast_dumps = importlib.import_module("orjson").dumps
except ImportError:
    _fast_dumps = None

_PLAIN_TYPES = frozenset({str, int, float, bool})

_CHUNK_SIZE = 64
"""Answer sets per call in bulk scoring. The crossing costs a few µs per
call, under 0.1 µs per answer set at 64; larger chunks gain nothing and
make the answers of a call (about 7 KB per result) fall out of the CPU's
caches before they are read, and make the memory allocator hand pages back
to the system and fault them in again on the next call."""


def _plain(value: Any) -> Any:
    """numpy and pandas scalars (``numpy.int64``, ``numpy.bool_``) as the
    Python values they hold, so rows of a data frame go in as they are."""
    item = getattr(value, "item", None)
    if callable(item):
        plain = item()
        if isinstance(plain, (str, int, float, bool)):
            return plain
    raise TypeError("not an answer value")


def _responses_json(answers: Mapping[str, Answer], context: Optional[Mapping[str, Answer]]) -> bytes:
    body: Dict[str, Any] = {"answers": _as_dict(answers, "answers")}
    if context:
        body["context"] = _as_dict(context, "context")
    return _encode(body)


def _as_dict(values: Mapping[str, Answer], what: str) -> Dict[str, Answer]:
    if isinstance(values, dict):
        return values
    if isinstance(values, Mapping):
        return dict(values)
    raise invalid_argument(f"{what} that are not a mapping by id")


def _encode(responses: Any) -> bytes:
    """One answer set as UTF-8 JSON, or :class:`InvalidArgument` if it holds a
    value that cannot be passed to the engine (the message never quotes it)."""
    fast = _encode_plain(responses)
    if fast is not None:
        return fast
    try:
        return _dumps(responses).encode("utf-8")
    except (TypeError, ValueError):
        # ValueError covers NaN and infinities, and strings that are not
        # Unicode (lone surrogates).
        pass
    # Raised here, outside the handler, so that Python's own error, whose
    # message may quote the value, is not kept as its context.
    raise invalid_argument("an answer or context value that is not a string, a finite number or a boolean")


def _encode_plain(responses: Any) -> Optional[bytes]:
    """The fast way for the common answer set, a dict of dicts (answers,
    context, a couple's two partners) of strings, finite numbers and
    booleans, or None to take the general way."""
    if _fast_dumps is None or type(responses) is not dict:
        return None
    for values in responses.values():
        if type(values) is not dict:
            return None
        kinds = set(map(type, values.values()))
        if not kinds <= _PLAIN_TYPES:
            return None
        # orjson would write NaN and the infinities as null; `json` refuses them.
        if float in kinds and not all(math.isfinite(v) for v in values.values() if type(v) is float):
            return None
    try:
        return _fast_dumps(responses)
    except TypeError:
        return None  # a key that is not a string, or an integer too large


def _utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    raise invalid_argument(what)


def _call(what: str, function: Callable[..., Any], *args: Any) -> Any:
    """Calls the generated module, raising only our errors (see `convert`)."""
    try:
        return function(*args)
    except Exception as error:
        failure = convert(error, what)
    # Outside the handler: the generated module's error is not kept as context.
    raise failure


def _one_line(text: bytes) -> bytes:
    """One answer set as one JSON Lines entry: line breaks in JSON text are
    whitespace (a string cannot hold them raw), so spaces do as well."""
    if b"\n" in text or b"\r" in text:
        return text.replace(b"\r", b" ").replace(b"\n", b" ")
    return text


def _placed(error: RekindleError, position: int, errors: str) -> RekindleError:
    """The error of one item of many: raised, or returned, with its position."""
    if errors == "raise":
        error.detail = f"item {position}: {error.detail}"
        error.args = (error.detail,)
        raise error
    return error


def _split_lines(text: bytes) -> List[bytes]:
    """The lines of the engine's batch answer. `bytes.split` looks at every
    byte in turn, which costs as much as a tenth of the engine's own work on
    results this long; `find` skips to the next line break much faster."""
    lines = []
    start = 0
    end = text.find(b"\n")
    while end >= 0:
        lines.append(text[start:end])
        start = end + 1
        end = text.find(b"\n", start)
    if text:
        lines.append(text[start:])
    return lines


_ERROR_ENTRY = b'{"error":'


def _is_result(line: bytes) -> bool:
    """Whether a line of the engine's batch answer is a result (not an error
    entry, nor the ``null`` of a result it could not write)."""
    return not line.startswith(_ERROR_ENTRY) and line != b"null"


def _error(entry: Any) -> RekindleError:
    """The error of an entry of the engine's batch answer that is not a result."""
    if entry is None:
        return RekindleError("internal", "the engine could not write this result")
    error = entry["error"]
    problems = [from_json(Problem, p) for p in error["problems"]]
    return InvalidAnswers(error["tag"], error["detail"], problems)


class Engine:
    """A compiled rule pack that assesses answers.

    ``Engine()`` is the default pack compiled into the library;
    :meth:`from_json` loads another. Immutable and safe to share between
    threads: build one and keep it.
    """

    __slots__ = ("_engine",)

    def __init__(self) -> None:
        self._engine = _native.Engine()

    @classmethod
    def from_json(cls, pack_json: str) -> Engine:
        """Parses, validates and compiles a rule pack.

        Raises :class:`InvalidPack` listing every problem with its JSON path.
        """
        native = _call("the pack JSON", _native.Engine.from_json, pack_json)
        engine = cls.__new__(cls)
        engine._engine = native
        return engine

    def __repr__(self) -> str:
        info = self.info()
        return f"<rekindle.Engine {info.id} {info.version}>"

    def info(self) -> PackInfo:
        """The pack's id, version, title and content hash."""
        return from_native(PackInfo, self._engine.info())

    def questionnaire(self) -> Questionnaire:
        """The sections, questions and context facts to render, in order."""
        return from_native(Questionnaire, self._engine.questionnaire())

    def rule_ids(self) -> List[str]:
        """The ids of every rule, in pack order."""
        return list(self._engine.rule_ids())

    def focus_area(self, id: str) -> Optional[FocusAreaDetails]:
        """A focus area with its practices, by the id results name it by."""
        found = _call("the focus area id", self._engine.focus_area, id)
        return None if found is None else from_native(FocusAreaDetails, found)

    def challenge(self, id: str) -> Optional[ChallengeDetails]:
        """A challenge with its phases and daily activities, by id."""
        found = _call("the challenge id", self._engine.challenge, id)
        return None if found is None else from_native(ChallengeDetails, found)

    def activity(self, phase: str, day: int) -> Optional[str]:
        """The activity for a day of a phase (1 for its first day), if any."""
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day < 2**32:
            raise invalid_argument("the day")
        found: Optional[str] = _call("the phase id", self._engine.activity, phase, day)
        return found

    def assess(
        self,
        answers: Mapping[str, Answer],
        context: Optional[Mapping[str, Answer]] = None,
        *,
        detail: TraceDetail = TraceDetail.FULL,
    ) -> Recommendation:
        """Assesses one person's answers, by question id, with optional
        context facts, by fact id.

        Raises :class:`InvalidAnswers` listing every problem; messages name
        questions, never answers.
        """
        return self._assess_one(_responses_json(answers, context), detail)

    def assess_dict(self, responses: Responses, *, detail: TraceDetail = TraceDetail.FULL) -> Recommendation:
        """Assesses an answer set stored as ``{"answers": ..., "context": ...}``."""
        return self._assess_one(_encode(responses), detail)

    def assess_json(self, responses_json: str, *, detail: TraceDetail = TraceDetail.FULL) -> Recommendation:
        """Assesses an answer set given as JSON text."""
        if not isinstance(responses_json, str):
            raise invalid_argument("the responses JSON (it must be a str)")
        return self._assess_one(_utf8(responses_json, "the responses JSON"), detail)

    def assess_couple(
        self,
        a: Mapping[str, Answer],
        b: Mapping[str, Answer],
        context: Optional[Mapping[str, Answer]] = None,
    ) -> CouplePlan:
        """Assesses a couple from each partner's answers: one shared plan
        and one private view per partner. Errors name the partner
        (``a.q_blame``), never the answer."""
        body: Dict[str, Any] = {"a": _as_dict(a, "answers"), "b": _as_dict(b, "answers")}
        if context:
            body["context"] = _as_dict(context, "context")
        text = _call("the couple's answers", _assess_couple_json, self._engine, _encode(body))
        return from_json(CouplePlan, loads(text))

    def assess_json_to_json(self, responses_json: str) -> str:
        """The recommendation as JSON text, for callers that store or
        forward JSON (the shape ``rekindle assess --json`` prints)."""
        if not isinstance(responses_json, str):
            raise invalid_argument("the responses JSON (it must be a str)")
        data = _utf8(responses_json, "the responses JSON")
        text: bytes = _call("the responses JSON", _assess_json, self._engine, data)
        return text.decode("utf-8")

    def _assess_one(self, data: bytes, detail: TraceDetail) -> Recommendation:
        if detail is TraceDetail.FULL:
            text: bytes = _call("the responses JSON", _assess_json, self._engine, data)
            return recommendation_from_json(text)
        # Only the batch call takes a detail: one line through it. An empty
        # text is still one (malformed) answer set, not none.
        [line] = _split_lines(self._run(_one_line(data) or b" ", detail))
        if not _is_result(line):
            raise _error(loads(line))
        return recommendation_from_json(line)

    def _run(self, lines: bytes, detail: TraceDetail) -> bytes:
        """The engine's answer for JSON Lines: a line for each, a result or
        an error, as JSON."""
        if not isinstance(detail, TraceDetail):
            raise invalid_argument("a detail that is not a TraceDetail")
        text: bytes = _call("the answer sets", _assess_json_lines, self._engine, lines, _NATIVE_DETAIL[detail])
        return text

    def _chunks(
        self, items: Iterable[Union[Responses, str]], detail: TraceDetail, chunk_size: int, errors: str
    ) -> Iterator[List[bytes]]:
        """The engine's answer for each item, as lines of JSON, a chunk of
        items per call."""
        if errors not in ("raise", "return"):
            raise invalid_argument('an errors choice other than "raise" or "return"')
        if isinstance(items, (str, bytes)):
            raise invalid_argument("a single string as items (pass a list, or text.splitlines())")
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise invalid_argument("a chunk_size that is not a positive whole number")
        if not isinstance(detail, TraceDetail):
            raise invalid_argument("a detail that is not a TraceDetail")
        source = iter(items)
        while True:
            lines = []
            for item in itertools.islice(source, chunk_size):
                if isinstance(item, str):
                    if item and not item.isspace():
                        lines.append(_one_line(_utf8(item, "the answer sets")))
                else:
                    lines.append(_encode(item))
            if not lines:
                return
            yield _split_lines(self._run(b"\n".join(lines), detail))

    @overload
    def assess_many(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = ...,
        chunk_size: int = ...,
        errors: Literal["raise"] = ...,
    ) -> Iterator[Recommendation]: ...

    @overload
    def assess_many(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = ...,
        chunk_size: int = ...,
        errors: Literal["return"],
    ) -> Iterator[Union[Recommendation, RekindleError]]: ...

    def assess_many(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = TraceDetail.RULES_ONLY,
        chunk_size: int = _CHUNK_SIZE,
        errors: Literal["raise", "return"] = "raise",
    ) -> Iterator[Union[Recommendation, RekindleError]]:
        """Assesses many answer sets, yielding each result as it is ready.

        ``items`` are answer sets as dicts (``{"answers": ..., "context":
        ...}``) or as JSON text, one per item: an open JSON Lines file works
        as it is (blank lines are skipped). The engine takes ``chunk_size``
        items per call, so results stream while the rest are still read.
        Each result stays in the engine's JSON until one of its fields is
        first read, so results that are only counted, filtered by position
        or kept for later cost little.

        With ``errors="raise"`` (the default) an answer set that cannot be
        assessed raises its :class:`InvalidAnswers`, whose message starts
        with the item's position (0-based, blank lines not counted); with
        ``errors="return"`` the error is yielded in the result's place and
        the run goes on. The trace keeps fired rules only unless ``detail``
        asks for more.
        """
        position = 0
        for lines in self._chunks(items, detail, chunk_size, errors):
            for line in lines:
                if _is_result(line):
                    yield lazy_recommendation(line)
                else:
                    yield _placed(_error(loads(line)), position, errors)
                position += 1

    @overload
    def assess_many_dicts(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = ...,
        chunk_size: int = ...,
        errors: Literal["raise"] = ...,
    ) -> Iterator[Dict[str, Any]]: ...

    @overload
    def assess_many_dicts(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = ...,
        chunk_size: int = ...,
        errors: Literal["return"],
    ) -> Iterator[Union[Dict[str, Any], RekindleError]]: ...

    def assess_many_dicts(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = TraceDetail.RULES_ONLY,
        chunk_size: int = _CHUNK_SIZE,
        errors: Literal["raise", "return"] = "raise",
    ) -> Iterator[Union[Dict[str, Any], RekindleError]]:
        """Like :meth:`assess_many`, yielding each result as plain dicts and
        lists (what ``dataclasses.asdict`` gives for a record, and the JSON
        of ``assess_json_to_json`` parsed), ready for a data frame or a
        document store."""
        position = 0
        for lines in self._chunks(items, detail, chunk_size, errors):
            for line in lines:
                if _is_result(line):
                    yield loads(line)
                else:
                    yield _placed(_error(loads(line)), position, errors)
                position += 1

    def assess_many_json(
        self,
        items: Iterable[Union[Responses, str]],
        *,
        detail: TraceDetail = TraceDetail.RULES_ONLY,
        chunk_size: int = _CHUNK_SIZE,
    ) -> Iterator[str]:
        """Like :meth:`assess_many`, yielding each answer as one line of JSON
        text, ready to write to a JSON Lines file: the result (the shape
        ``assess_json_to_json`` gives), or ``{"error": {"tag": ...,
        "detail": ..., "problems": [...]}}`` for an answer set that cannot
        be assessed. The fastest way through many answer sets, since no
        Python objects are built for the results."""
        for lines in self._chunks(items, detail, chunk_size, "return"):
            for line in lines:
                yield line.decode("utf-8")

    def run_fixtures(self, files: Iterable[Union[FixtureSource, os.PathLike[str]]]) -> FixtureReport:
        """Runs fixture files against this engine's pack: ``FixtureSource``
        records, or paths to read. ``str(report)`` lists the failures and
        ends with ``N passed, N failed``."""
        sources = []
        for file in files:
            if isinstance(file, FixtureSource):
                sources.append(_native.FixtureSource(name=file.name, json=file.json))
            else:
                path = os.fspath(file)
                with open(path, encoding="utf-8") as handle:
                    sources.append(_native.FixtureSource(name=os.path.basename(path), json=handle.read()))
        native = _call("the fixture files", self._engine.run_fixtures, sources)
        report = from_native(FixtureReport, native)
        object.__setattr__(report, "_summary", _native.fixture_summary(native))
        return report

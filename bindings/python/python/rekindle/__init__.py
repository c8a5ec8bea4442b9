"""rekindle: a rule-based recommendation engine for a couple's
relationship self-assessment.

The engine turns one person's answers into a plan: which focus areas to
work on, which phase of a 30-day challenge to emphasise, whether to suggest
therapy, and a safety notice that always comes first. The decisions come
from a JSON rule pack; the default pack is compiled in.

    >>> import rekindle
    >>> engine = rekindle.Engine()
    >>> plan = engine.assess({"q_misunderstandings": "often"}, {"married": True})
    >>> plan.focus_areas[0].id
    'active_listening'

Start with :class:`Engine`: ``assess`` (a dict of answers), ``assess_dict``
and ``assess_json`` (stored answer sets), ``assess_many`` and
``assess_many_dicts`` (bulk scoring, streamed), ``questionnaire``,
``focus_area``, ``challenge``, ``activity`` and ``run_fixtures``. Results are frozen dataclasses (:class:`Recommendation`
and the records it holds). Every error is a :class:`RekindleError`.
"""

from __future__ import annotations

from ._ffi import native as _native
from ._engine import Answer, Engine, Responses, TraceDetail
from ._errors import (
    InvalidAnswers,
    InvalidArgument,
    InvalidFixtures,
    InvalidPack,
    RekindleError,
)
from ._records import (
    SharedView,
    Progress,
    PartnerView,
    Direction,
    DimensionProgress,
    CouplePlan,
    AnswerKind,
    AnswerOption,
    ChallengeDetails,
    ChallengeResult,
    ContextFact,
    DimensionScore,
    ExpectationFailure,
    FactKind,
    FiredRule,
    FixtureOutcome,
    FixtureReport,
    FixtureSource,
    FocusAreaDetails,
    FocusAreaResult,
    LeafTrace,
    OptionsAnswer,
    PackInfo,
    PhaseDetails,
    PhaseResult,
    Problem,
    ProblemKind,
    Question,
    Questionnaire,
    RangeAnswer,
    Reason,
    Recommendation,
    ResourceResult,
    SafetyNotice,
    Section,
    TherapyResult,
    Trace,
    YesNoAnswer,
)

__version__: str = _native.library_version()
"""The version of the rekindle library inside this package."""


def library_version() -> str:
    """The version of the rekindle library inside this package (also
    ``__version__``)."""
    version: str = _native.library_version()
    return version


def supported_pack_format() -> int:
    """The pack ``format`` this library reads, so an app can ask its server
    for a pack it can load (see ``rules/FORMAT.md``)."""
    fmt: int = _native.supported_pack_format()
    return fmt


def default_pack_json() -> str:
    """The JSON text of the default pack compiled into the library."""
    text: str = _native.default_pack_json()
    return text


def fixture_summary(report: FixtureReport) -> str:
    """A readable report of a fixture run's failures, ending with
    ``N passed, N failed``; the same as ``str(report)``."""
    return str(report)


__all__ = [
    "library_version",
    "supported_pack_format",
    "SharedView",
    "Progress",
    "PartnerView",
    "Direction",
    "DimensionProgress",
    "CouplePlan",
    "Answer",
    "AnswerKind",
    "AnswerOption",
    "ChallengeDetails",
    "ChallengeResult",
    "ContextFact",
    "DimensionScore",
    "Engine",
    "ExpectationFailure",
    "FactKind",
    "FiredRule",
    "FixtureOutcome",
    "FixtureReport",
    "FixtureSource",
    "FocusAreaDetails",
    "FocusAreaResult",
    "InvalidAnswers",
    "InvalidArgument",
    "InvalidFixtures",
    "InvalidPack",
    "LeafTrace",
    "OptionsAnswer",
    "PackInfo",
    "PhaseDetails",
    "PhaseResult",
    "Problem",
    "ProblemKind",
    "Question",
    "Questionnaire",
    "RangeAnswer",
    "Reason",
    "Recommendation",
    "RekindleError",
    "ResourceResult",
    "Responses",
    "SafetyNotice",
    "Section",
    "TherapyResult",
    "Trace",
    "TraceDetail",
    "YesNoAnswer",
    "__version__",
    "default_pack_json",
    "fixture_summary",
]

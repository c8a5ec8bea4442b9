"""The one error type the package raises, and its kinds.

Every failure of a call into the engine is a :class:`RekindleError`:
the engine's own typed errors; anything the generated module raises for a
value it cannot pass across (a wrong type, a number out of range), which
becomes :class:`InvalidArgument`; and UniFFI's internal error, which
becomes a ``RekindleError`` tagged ``"internal"``. ``str(error)`` is the
readable message; no error repeats an answer or context value.
"""

from __future__ import annotations

from typing import Any, List, Optional

from ._ffi import native as _native
from ._records import Problem, from_native


class RekindleError(Exception):
    """Base of every error the package raises.

    ``tag`` is a stable, machine-readable word (``"syntax"``, ``"invalid"``,
    ``"too_large"``, ...); ``detail`` is the readable message, also given by
    ``str(error)``; ``problems`` lists every problem with its kind and JSON
    path (empty unless ``tag`` is ``"invalid"``).
    """

    tag: str
    detail: str
    problems: List[Problem]

    def __init__(self, tag: str, detail: str, problems: Optional[List[Problem]] = None) -> None:
        super().__init__(detail)
        self.tag = tag
        self.detail = detail
        self.problems = problems if problems is not None else []

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tag={self.tag!r}, detail={self.detail!r}, problems={self.problems!r})"


class InvalidPack(RekindleError):
    """The rule pack could not become an engine; keep the bundled pack."""


class InvalidAnswers(RekindleError):
    """The answers or context do not fit the pack."""


class InvalidFixtures(RekindleError):
    """A fixture file could not be read; ``file`` names it."""

    file: str

    def __init__(self, tag: str, detail: str, file: str) -> None:
        super().__init__(tag, detail)
        self.file = file

    def __repr__(self) -> str:
        return f"InvalidFixtures(tag={self.tag!r}, detail={self.detail!r}, file={self.file!r})"


class InvalidArgument(RekindleError):
    """A Python value that cannot be passed to the engine (tag
    ``"invalid_argument"``). The message names the parameter, never the
    value."""


def invalid_argument(what: str) -> InvalidArgument:
    return InvalidArgument("invalid_argument", f"{what} cannot be passed to the engine")


def convert(error: BaseException, what: str) -> RekindleError:
    """Our error for whatever a call into the generated module raised.

    ``what`` names the argument for errors the generated module raises
    while passing values across; its own messages may quote the value, so
    they are dropped.
    """
    if isinstance(error, _native.RekindleError.InvalidPack):
        return InvalidPack(error.tag, error.detail, _problems(error.problems))
    if isinstance(error, _native.RekindleError.InvalidAnswers):
        return InvalidAnswers(error.tag, error.detail, _problems(error.problems))
    if isinstance(error, _native.RekindleError.InvalidFixtures):
        return InvalidFixtures(error.tag, error.detail, error.file)
    if isinstance(error, _native.InternalError):
        # The engine could not finish the call (UniFFI caught a panic or
        # could not read a value): a bug to report, not bad input.
        return RekindleError("internal", "the engine could not complete the call; this is a bug")
    return invalid_argument(what)


def _problems(problems: Any) -> List[Problem]:
    return [from_native(Problem, p) for p in problems]

"""The module UniFFI generates (``rekindle._native``), as an untyped value,
and the engine's JSON calls with bytes in and bytes out.

The generated code has no type annotations; importing it this way keeps
type checkers out of it, for this package and for the code that uses it.
Only this package's own layer calls it.

The JSON calls (a string in, a string out) are the package's hot path. The
generated wrapper of such a call lowers the string through a general
buffer writer and lifts the answer through a general reader: about 15 µs
of Python around an assessment that takes 30. :func:`json_method` makes the
same call into the same library function with the generated module's own
ctypes declarations, copying the bytes in and out once. It checks those
declarations first and falls back to the generated wrapper if they are not
what it expects, so a change in the generated code costs speed, not
correctness.
"""

from __future__ import annotations

import ctypes
import importlib
from typing import Any, Callable, Dict, List, Optional, Tuple

native: Any = importlib.import_module("rekindle._native")

JsonMethod = Callable[..., bytes]
"""``method(native_engine, utf8_json, *other_arguments) -> utf8_json``; an
error is raised as the generated module raises it (see ``_errors.convert``)."""


def json_method(name: str, *, takes_detail: bool = False) -> JsonMethod:
    """The engine method ``name``, which takes a JSON string (and a
    ``TraceDetail`` if ``takes_detail``) and returns a JSON string, called
    with UTF-8 bytes and returning UTF-8 bytes."""
    return _direct(name, takes_detail) or generated_json_method(name, takes_detail=takes_detail)


def generated_json_method(name: str, *, takes_detail: bool = False) -> JsonMethod:
    """The same call through the generated wrapper (strings in and out)."""
    method = getattr(native.Engine, name)

    def call(engine: Any, data: bytes, *detail: Any) -> bytes:
        text: str = method(engine, data.decode("utf-8"), *detail)
        return text.encode("utf-8")

    return call


class _BytesView(ctypes.Structure):
    """UniFFI's `ForeignBytes` (a length and a pointer to bytes the caller
    keeps), with the pointer typed so that ctypes takes a `bytes` as it is."""

    _fields_ = [("len", ctypes.c_int32), ("data", ctypes.c_char_p)]


def _layout(structure: Any) -> List[Tuple[str, int, int]]:
    """Each field's name, offset and size."""
    fields = [getattr(structure, field[0]) for field in structure._fields_]
    return [(field[0], place.offset, place.size) for field, place in zip(structure._fields_, fields)]


def _direct(name: str, takes_detail: bool) -> Optional[JsonMethod]:
    """The call straight through the library, or None if the generated
    module is not laid out as this code expects (UniFFI 0.32: objects are
    handles to clone per call, strings are `RustBuffer`s of UTF-8 bytes
    that the callee owns, errors come back in a call status).

    Each call into the library through ctypes costs about half a µs, so
    the bytes go in with one (`rustbuffer_from_bytes` copies them) and come
    out by slicing the buffer's pointer, which ctypes does without one."""
    try:
        generated = importlib.import_module("rekindle._native.rekindle")
        library = generated._UniffiLib
        buffer_type = generated._UniffiRustBuffer
        status_type = generated._UniffiRustCallStatus
        check_status = generated._uniffi_check_call_status
        error_type = generated._UniffiFfiConverterTypeRekindleError
        lower_detail = generated._UniffiFfiConverterTypeTraceDetail.lower
        function = getattr(library, f"uniffi_rekindle_fn_method_engine_{name}")
        clone = library.uniffi_rekindle_fn_clone_engine
        free = library.ffi_rekindle_rustbuffer_free
        generated_from_bytes = library.ffi_rekindle_rustbuffer_from_bytes
        foreign_bytes = generated._UniffiForeignBytes
        status_pointer = ctypes.POINTER(status_type)
        declared = [
            (function, (ctypes.c_uint64, buffer_type) + ((buffer_type,) if takes_detail else ()), buffer_type),
            (clone, (ctypes.c_uint64,), ctypes.c_uint64),
            (free, (buffer_type,), None),
            (generated_from_bytes, (foreign_bytes,), buffer_type),
        ]
        if any(
            tuple(f.argtypes or ()) != arguments + (status_pointer,) or f.restype is not returns
            for f, arguments, returns in declared
        ) or _layout(foreign_bytes) != _layout(_BytesView):
            return None
    except (ImportError, AttributeError):
        return None
    # A function object of our own (indexing makes a new one), declared
    # with our view of the same layout.
    from_bytes = library["ffi_rekindle_rustbuffer_from_bytes"]
    from_bytes.argtypes = (_BytesView, status_pointer)
    from_bytes.restype = buffer_type
    byref = ctypes.byref
    largest = 2**31 - 1

    def buffer(data: bytes, status: Any) -> Any:
        """A buffer holding `data`, for a callee that takes ownership of it."""
        if len(data) > largest:
            # More than the view's length can say: the engine refuses it.
            raise ValueError("too large to pass")
        made = from_bytes(_BytesView(len(data), data), byref(status))
        check_status(None, status)
        return made

    def take(made: Any, status: Any) -> bytes:
        """The bytes of a buffer the caller owns, which is then freed."""
        try:
            data: bytes = made.data[: made.len] if made.len else b""
            return data
        finally:
            free(made, byref(status))

    # Each detail as the generated code lowers it, kept as bytes: lowering
    # through the generated writer costs more than the assessment saves.
    details: Dict[Any, bytes] = {}

    def lowered(detail: Any) -> bytes:
        found = details.get(detail)
        if found is None:
            found = details[detail] = take(lower_detail(detail), status_type())
        return found

    def call(engine: Any, data: bytes, *detail: Any) -> bytes:
        status = status_type()
        # What can fail goes first, before anything is allocated.
        detail_bytes = [lowered(d) for d in detail]
        argument = buffer(data, status)
        extra = [buffer(d, status) for d in detail_bytes]
        handle = clone(engine._handle, byref(status))
        check_status(None, status)
        result = function(handle, argument, *extra, byref(status))
        # Raises the engine's error as the generated module does; the
        # result is empty then and owns nothing.
        check_status(error_type, status)
        return take(result, status)

    return call


def direct_calls() -> bool:
    """Whether :func:`json_method` calls the library directly (a test checks
    that it does with the UniFFI version this package is built with)."""
    return _direct("assess_json_to_json", False) is not None

"""The module UniFFI generates (``rekindle._native``), as an untyped value.

The generated code has no type annotations; importing it this way keeps
type checkers out of it, for this package and for the code that uses it.
Only this package's own layer calls it.
"""

import importlib
from typing import Any

native: Any = importlib.import_module("rekindle._native")

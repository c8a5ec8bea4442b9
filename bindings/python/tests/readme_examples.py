"""The README's Python examples, runnable and type-checked.

Run as a script in any environment where rekindle is installed:

    python bindings/python/tests/readme_examples.py

It writes each example to a scratch directory beside the files the
examples read (a pack, fixtures, a JSON Lines file), runs each, and
type-checks them with mypy (strict, for Python 3.9) when mypy is there.
The tests import it too.
"""

from __future__ import annotations

import json
import pathlib
import re
import runpy
import sys
import tempfile
from typing import List

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parent / "README.md"
ROOT = HERE.parents[2]


def examples() -> List[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def prepare(directory: pathlib.Path) -> List[pathlib.Path]:
    """Writes the examples and the files they read; returns the examples."""
    (directory / "fixtures").mkdir()
    for source in (ROOT / "rules" / "fixtures").glob("*.json"):
        (directory / "fixtures" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (directory / "my-pack.json").write_text((ROOT / "rules" / "default.json").read_text(encoding="utf-8"))
    stored = json.loads((ROOT / "examples" / "answers.json").read_text(encoding="utf-8"))
    line = json.dumps({"answers": stored["answers"], "context": stored.get("context", {})})
    (directory / "answers.jsonl").write_text(f"{line}\n{line}\n", encoding="utf-8")
    paths = []
    for i, code in enumerate(examples()):
        path = directory / f"example_{i}.py"
        path.write_text(code, encoding="utf-8")
        paths.append(path)
    return paths


def type_check(paths: List[pathlib.Path]) -> str:
    """mypy's complaints, or an empty string."""
    from mypy import api

    out, err, status = api.run(
        ["--strict", "--python-version", "3.9", "--no-incremental", *map(str, paths)]
    )
    return "" if status == 0 else out + err


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        paths = prepare(directory)
        sys.path.insert(0, scratch)
        import os

        os.chdir(directory)
        for path in paths:
            runpy.run_path(str(path), run_name="__main__")
        try:
            complaints = type_check(paths)
        except ImportError:
            print(f"ran {len(paths)} README examples (mypy not installed: not type-checked)")
            return 0
        if complaints:
            print(complaints, file=sys.stderr)
            return 1
        print(f"ran and type-checked {len(paths)} README examples")
        return 0


if __name__ == "__main__":
    sys.exit(main())

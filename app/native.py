"""Use the compiled build of the scoring engine when one matches the sources.

`make install` compiles the engine's hot modules with mypyc (``scripts/build_native.py``) into
``build/native/``. The compiled modules behave exactly like the Python ones (the test suite checks
both give the same results) and score several times faster. They are used only when the stamp
written with them matches the current sources and interpreter, so an edited ``.py`` file is never
shadowed by a stale build; without a build (no C compiler, or ``TOUCHSTONE_PURE_PYTHON=1``) the
engine runs as plain Python.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import app.scoring

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "native"
SOURCES = ROOT / "app" / "scoring"
# The modules compiled, in dependency order; the others (models, policy, answer checks) stay Python.
MODULES = (
    "numbers",
    "overclaiming",
    "tenure",
    "text",
    "compiled",
    "collect",
    "evidence",
    "verdict",
    "mentoring",
    "role",
    "engine",
)
STAMP = BUILD / "STAMP"
GROUP = "app.scoring.native"
"""mypyc's shared library is named after this group, inside the package, so no sys.path change is needed."""


def stamp() -> str:
    """Identify the sources and interpreter a build is for."""
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for name in MODULES:
        digest.update(name.encode())
        digest.update((SOURCES / f"{name}.py").read_bytes())
    return digest.hexdigest()


def build_matches() -> bool:
    """True when build/native holds a build of exactly the current sources."""
    try:
        return STAMP.read_text(encoding="ascii").strip() == stamp()
    except OSError:
        return False


def activate() -> bool:
    """Put the compiled modules in front of the Python ones, when they match; return whether they do."""
    if os.environ.get("TOUCHSTONE_PURE_PYTHON") or not build_matches():
        return False
    compiled = str(BUILD / "app" / "scoring")
    if compiled not in app.scoring.__path__:
        app.scoring.__path__.insert(0, compiled)
    return True


ACTIVE = activate()

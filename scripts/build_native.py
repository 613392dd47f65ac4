"""Compile the scoring engine's hot modules with mypyc into build/native (see app/native.py).

Usage: python scripts/build_native.py [--force] [--require]
Skips the build when build/native already matches the sources. Needs a C compiler and the Python
headers; without them it says so and exits 0 (or 1 with --require), and the engine runs as plain
Python, with the same results, several times slower.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import native  # noqa: E402

SETUP = textwrap.dedent(
    """
    from setuptools import setup
    from mypyc.build import mypycify

    setup(
        name="touchstone-native",
        ext_modules=mypycify({paths!r}, opt_level="3", group_name={group!r}, debug_level="0"),
        script_args=["build_ext", "--inplace", "--build-temp", {temp!r}],
    )
    """
)


def _missing_tools() -> str | None:
    for module in ("mypyc", "setuptools"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed"
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        return "no C compiler (cc or gcc) was found"
    return None


def build(force: bool = False, require: bool = False) -> int:
    """Build when needed; return the exit status (non-zero only when ``require`` and no build was made)."""
    failed = 1 if require else 0
    if not force and native.build_matches():
        print("native engine: up to date")
        return 0
    missing = _missing_tools()
    if missing:
        print(f"native engine: not built ({missing}); the engine runs as plain Python")
        return failed
    stamp = native.stamp()
    with tempfile.TemporaryDirectory(prefix="touchstone-native-") as tmp:
        work = Path(tmp)
        # Compile a copy, so the build never writes into the source tree.
        package = work / "app" / "scoring"
        package.mkdir(parents=True)
        (work / "app" / "__init__.py").write_text("", encoding="utf-8")
        for source in (ROOT / "app" / "scoring").glob("*.py"):
            shutil.copy2(source, package / source.name)
        paths = [f"app/scoring/{name}.py" for name in native.MODULES]
        setup = SETUP.format(paths=paths, group=native.GROUP, temp=str(work / "temp"))
        (work / "setup.py").write_text(setup, encoding="utf-8")
        done = subprocess.run([sys.executable, "setup.py"], cwd=work, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            print("native engine: the build failed (output above); the engine runs as plain Python")
            return failed
        target = native.BUILD / "app" / "scoring"
        if native.BUILD.exists():
            shutil.rmtree(native.BUILD)
        target.mkdir(parents=True)
        for library in package.glob("*.so"):
            shutil.copy2(library, target / library.name)
    native.STAMP.write_text(stamp + "\n", encoding="ascii")
    print(f"native engine: compiled {len(native.MODULES)} modules into {native.BUILD.relative_to(ROOT)}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the build matches")
    parser.add_argument("--require", action="store_true", help="exit 1 when the engine cannot be compiled")
    args = parser.parse_args()
    sys.exit(build(force=args.force, require=args.require))


if __name__ == "__main__":
    main()

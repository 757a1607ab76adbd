"""The package's shape: layers import downwards only, no cycles, small modules.

Layers, bottom up (README, "Project layout"):

    core     pure domain: no dash, plotly, flask, click or kaleido, no file I/O
    text     the user-visible strings, one catalogue per language
    sources  reading and writing files
    render   figures, themes and image export
    web      the Dash app: factory, server, page shell and one module per panel
    cli      the `contested-map` commands (only `cli.serve` imports web)

Every import inside `dashboard/` is read from the source (function-level and
`TYPE_CHECKING` imports included), so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"

#: Which layers each layer may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "text": {"core"},
    "sources": {"core"},
    "render": {"core", "text"},
    "web": {"core", "text", "sources", "render"},
    "cli": {"core", "text", "sources", "render"},
    "testing": {"core", "text", "sources", "render", "web", "cli"},
}
#: The one sanctioned upward-looking import: `serve` starts the web app.
EXCEPTIONS = {("dashboard.cli.serve", "web")}
#: What the domain may not import: UI, web, CLI and rendering frameworks.
FORBIDDEN_IN_CORE = {"dash", "plotly", "flask", "werkzeug", "click", "kaleido", "waitress", "choreographer"}
#: Calls that read or write files.
FILE_IO_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "read_file",
    "to_file",
    "read_parquet",
    "to_parquet",
    "urlopen",
    "mkdir",
    "unlink",
    "replace",
    "rename",
}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imports(path: Path) -> Iterator[str]:
    """Every module this file imports, absolute, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            yield base
            for alias in node.names:  # `from dashboard.web import shell` imports a module
                if f"{base}.{alias.name}" in MODULES:
                    yield f"{base}.{alias.name}"


@functools.cache
def internal_graph() -> dict[str, frozenset[str]]:
    """Which package modules each module imports: read once, shared by every test here."""
    graph: dict[str, frozenset[str]] = {}
    for name, path in MODULES.items():
        graph[name] = frozenset(m for m in imports(path) if m in MODULES and m != name)
    return graph


def find_cycle(graph: Mapping[str, Collection[str]]) -> list[str] | None:
    """One import cycle, as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            # A package's __init__ importing its own submodules is not a cycle through the package.
            if nxt.startswith(node + ".") and MODULES[node].name == "__init__.py":
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_there_are_layer_packages():
    assert {layer(m) for m in MODULES} >= {"core", "text", "sources", "render", "web", "cli", "testing"}


def test_no_import_cycle_anywhere():
    assert find_cycle(internal_graph()) is None


def test_the_cycle_finder_finds_cycles():
    """The check above must be able to fail."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer(m) in ALLOWED))
def test_layers_import_only_downwards(name):
    own = layer(name)
    for target in internal_graph()[name]:
        other = layer(target)
        if other in (own, None) or (name, other) in EXCEPTIONS:
            continue
        assert other in ALLOWED[own], f"{name} ({own}) imports {target} ({other})"


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer(m) == "core"))
def test_core_is_pure(name):
    path = MODULES[name]
    for target in imports(path):
        assert target.split(".")[0] not in FORBIDDEN_IN_CORE, f"{name} imports {target}"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in ("replace", "rename", "mkdir", "unlink"):
                # str.replace and dataclasses.replace are not file operations; os.replace is.
                owner = func.value if isinstance(func, ast.Attribute) else None
                if not (isinstance(owner, ast.Name) and owner.id in ("os", "shutil")):
                    continue
            assert called not in FILE_IO_CALLS, f"{name} calls {called}() (file I/O belongs in sources)"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


def test_the_import_checks_see_function_level_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from dashboard.web import app\n\nif False:\n    import plotly\n")
    assert {"dashboard.web", "plotly"} <= set(imports(sample))


#: The tests of the benchmark harness itself; every other test builds its data with `dashboard.testing`.
BENCHMARK_TESTS = {"test_benchmarks.py", "test_control_benchmark.py", "test_map_only_floor.py"}


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_tests_do_not_import_the_benchmarks(path):
    if path.name in BENCHMARK_TESTS:
        return
    imported = {name.split(".")[0] for name in imports(path)}
    assert "benchmarks" not in imported, f"{path.name} imports benchmarks: test helpers live in dashboard.testing"

"""The import rules of docs/architecture.md: the contracts in pyproject.toml, no import circle, pure engines."""

import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.conftest import REPO_ROOT

PACKAGES = ("articles", "entities", "newsroom", "partners")
# Packages with no Django in them: each may import itself, the standard library and plain libraries.
PURE = ("articles.extraction", "entities.tagging")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_the_import_contracts_in_pyproject_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [lint_imports, "--no-cache", "--config", "pyproject.toml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def import_circles(graph) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's algorithm)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def test_no_module_of_the_project_imports_itself_in_a_circle(graph):
    # Imports inside functions count: a circle held apart by a late import is still a circle.
    assert import_circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    graph.add_import(importer="articles.models", imported="articles.tasks")
    assert any({"articles.models", "articles.tasks"} <= set(circle) for circle in import_circles(graph))


@pytest.mark.parametrize("package", PURE)
def test_pure_engines_import_only_themselves_of_the_project(graph, package):
    outside = {
        (module, imported)
        for module in graph.find_descendants(package) | {package}
        for imported in graph.find_modules_directly_imported_by(module)
        if not (imported == package or imported.startswith(f"{package}."))
    }
    assert outside == set()


@pytest.mark.parametrize(
    "module",
    ["articles.related.scoring", "articles.related.lists", "articles.extraction", "entities.tagging"],
)
def test_pure_modules_load_without_django_settings(module):
    # A fresh interpreter with no settings module: importing must not reach Django.
    code = f"import sys, {module}; assert not [m for m in sys.modules if m.startswith('django')]"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr

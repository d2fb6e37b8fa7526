#!/usr/bin/env python3
"""Print the app→app import edges of hoiccb/ and fail on any edge that runs up a floor
or any import cycle between files.

Floors (lower first): lib → accounts, org → members → feature apps → demo. An app
imports lower floors freely and apps of its own floor sideways; no import runs up a
floor, and no two files import each other, directly or round a loop. Every import
counts, at module level or inside a function. Tests are left out of the floor rule (a
test may build data of any app) but not of the file-cycle rule.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "hoiccb"

FLOORS: dict[str, int] = {
    "lib": 0,
    "formats": 0,
    "accounts": 1,
    "org": 1,
    "members": 2,
    "activities": 3,
    "awards": 3,
    "reports": 3,
    "meetings": 3,
    "news": 3,
    "finance": 3,
    "demo": 4,
    # The project package itself (settings, urls) wires every app together.
    "": 5,
    "tests_browser": 5,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in {"settings", "urls", "wsgi", "conftest", "asgi"}:
        return ""
    return parts[1]


def is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "tests_browser" in parts or parts[-1] == "conftest"


def imports_of(path: Path, module: str, known: set[str]) -> set[str]:
    """Return the project modules that the file at `path` imports (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            # `from pkg import mod` imports the submodule when there is one.
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module and name.startswith(PACKAGE + "."):
                found.add(name)
    # `from hoiccb.x import y` lists both hoiccb.x.y (when a module) and hoiccb.x: keep the deepest.
    return {m for m in found if not any(o.startswith(m + ".") for o in found) or m.endswith("__init__")}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one file (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def app_edges(graph: dict[str, set[str]]) -> dict[tuple[str, str], list[str]]:
    """Return {(app, app): ["file → file", …]} for the imports between different apps."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            a, b = app_of(source), app_of(target)
            if a != b:
                edges[(a or PACKAGE, b or PACKAGE)].append(f"{source} → {target}")
    return edges


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Return the imports (tests left out) from an app to an app of a higher floor."""
    found = []
    for source, targets in sorted(graph.items()):
        a = app_of(source)
        for target in sorted(targets):
            b = app_of(target)
            if a != b and not is_test(source) and a in FLOORS and b in FLOORS and FLOORS[b] > FLOORS[a]:
                found.append(f"  {source} → {target}  ({a} floor {FLOORS[a]} → {b} floor {FLOORS[b]})")
    return found


def main() -> int:
    files = {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py")}
    known = set(files)
    graph = {m: imports_of(p, m, known) for m, p in files.items()}
    # A package's __init__ is imported on the way to any submodule; counting that as an
    # edge would make every `from pkg import mod` inside pkg a cycle.
    graph = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in graph.items()}
    edges = app_edges(graph)

    print("App → app import edges (files):")
    for (a, b), where in sorted(edges.items(), key=lambda kv: (FLOORS.get(kv[0][0], 9), kv[0])):
        tests_only = all(is_test(w.split(" → ")[0]) for w in where)
        print(f"  {a:>10} → {b:<10} {len(where):3d}{'  (tests only)' if tests_only else ''}")

    failed = False
    unknown = {app for pair in edges for app in pair if app != PACKAGE and app not in FLOORS}
    if unknown:
        failed = True
        print("\nApps without a floor (add them to FLOORS): " + ", ".join(sorted(unknown)))
    upward = upward_imports(graph)
    if upward:
        failed = True
        print(f"\n{len(upward)} import(s) run up a floor:")
        print("\n".join(upward))
    # Apps of one floor may lean on each other (accounts and org: the tree and who holds
    # which part of it); a loop through apps of different floors always has an upward edge.
    app_graph: dict[str, set[str]] = defaultdict(set)
    for (a, b), where in edges.items():
        if any(not is_test(w.split(" → ")[0]) for w in where):
            app_graph[a].add(b)
    for cycle in find_cycles(app_graph):
        same_floor = len({FLOORS.get(app, -1) for app in cycle}) == 1
        failed = failed or not same_floor
        label = (
            "Apps of one floor lean on each other (allowed; no file loop)"
            if same_floor
            else ("Apps of different floors import each other in a loop")
        )
        print(f"\n{label}: " + " ↔ ".join(cycle))
    file_cycles = find_cycles(graph)
    if file_cycles:
        failed = True
        print("\nFiles that import each other in a loop:")
        for cycle in file_cycles:
            print("  " + " ↔ ".join(cycle))
    if failed:
        return 1
    print("\nNo import runs up a floor; no loop between files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

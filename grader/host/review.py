"""Code an instructor should read: a submitted file that reaches for the grader's internals.

The checks inside the test process stop accidental and ready-made tampering, but code in
that process can reach pytest's configuration and through it the grader itself (see the
README's trust section). No exercise needs to import pytest, pluggy or the grader, to build
an import or run code from a string, to read the attributes that lead from any object to
another module's globals, a closure's cells or the class tree, or to touch what the kit's
event loop adds to asyncio's (its per-step integrity probe, say). This module finds those
in a file's syntax tree, on the host, without running it: what it finds is shown beside
the grade as something to review, and the grade itself is left as the tests decided.
"""

from __future__ import annotations

import ast
import asyncio
from functools import cache
from pathlib import Path

# Modules that run the tests or decide a verdict (the top-level package is enough).
HARNESS_MODULES = frozenset({"_pytest", "pytest", "pluggy", "grader", "pytest_asyncio",
                             "pytest_timeout", "looptime", "conftest", "importlib"})  # fmt: skip
# Attributes that lead from an object to code, globals or objects it does not hand out.
INTROSPECTION_ATTRIBUTES = frozenset({
    "__globals__", "__closure__", "cell_contents", "__code__", "__subclasses__",
    "__builtins__", "__self__", "__func__", "__mro__", "__bases__", "__base__",
    "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame", "cr_frame", "ag_frame",
    "tb_frame", "__defaults__", "__kwdefaults__",
})  # fmt: skip
# Builtins that run or import code given as a string.
CODE_FROM_STRINGS = frozenset({"eval", "exec", "compile", "__import__"})
_SYS_INTERNALS = frozenset({"modules", "_getframe", "settrace", "setprofile", "_current_frames",
                            "addaudithook", "meta_path", "path_hooks"})  # fmt: skip


@cache
def kit_loop_attributes() -> frozenset[str]:
    """What the kit's virtual-clock loop has and asyncio's own loop does not (its checks)."""
    from grader.inside.virtual_clock import VirtualClockLoop

    added = set(dir(VirtualClockLoop)) - set(dir(asyncio.SelectorEventLoop))
    return frozenset(name for name in added if not name.startswith("__"))


def findings(path: Path) -> list[str]:
    """What in the file at ``path`` reaches for the grader, as short phrases; [] for none."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return []  # a file that does not parse or cannot be read fails its tests anyway
    except (MemoryError, RecursionError):  # nested deeper than the parser goes
        return ["is too deeply nested to be read"]
    found: dict[str, None] = {}
    sys_names = {"sys"}
    for node in ast.walk(tree):
        for phrase in _phrases(node, sys_names):
            found.setdefault(phrase)
    return list(found)


def _phrases(node: ast.AST, sys_names: set[str]) -> list[str]:
    """The findings of one node; ``sys_names`` collects what the sys module is called."""
    if isinstance(node, ast.Import):
        sys_names.update(
            alias.asname for alias in node.names if alias.name == "sys" and alias.asname
        )
        return [f"imports {alias.name}" for alias in node.names if _harness(alias.name)]
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if _harness(module):
            return [f"imports {module}.{alias.name}" for alias in node.names]
        if module == "sys":
            return [f"imports sys.{a.name}" for a in node.names if a.name in _SYS_INTERNALS]
        return []
    if isinstance(node, ast.Attribute):
        if node.attr in INTROSPECTION_ATTRIBUTES:
            return [f"reads {node.attr}"]
        if node.attr in kit_loop_attributes():
            return [f"uses the kit's event loop's own {node.attr}"]
        if isinstance(node.value, ast.Name) and node.value.id in sys_names:
            return [f"uses sys.{node.attr}"] if node.attr in _SYS_INTERNALS else []
        return []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in CODE_FROM_STRINGS:
            return [f"calls {node.func.id}()"]
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        # getattr(x, "__globals__"), attrgetter("__closure__"), import_module("_pytest")
        if node.value in INTROSPECTION_ATTRIBUTES or node.value in kit_loop_attributes():
            return [f"names {node.value}"]
        return [f"names the module {node.value}"] if _harness(node.value) else []
    return []


def _harness(module: str) -> bool:
    """Whether ``module`` (a dotted name) is one of the harness's modules or inside one."""
    parts = module.split(".")
    return all(part.isidentifier() for part in parts) and parts[0] in HARNESS_MODULES

"""The package tree is the architecture: stages import only earlier stages and lower layers,
nothing imports the CLI, there are no cycles, the CLI starts without the heavy libraries,
and the public API is a sorted, lazily resolved `__all__`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import i18n_posts

PKG = Path(i18n_posts.__file__).resolve().parent

LAYERS: list[tuple[str, ...]] = [
    ("i18n_posts", "i18n_posts.errors", "i18n_posts.model", "i18n_posts.locales", "i18n_posts.memory.state"),
    ("i18n_posts._syntax",),
    # generator syntax: parser extensions over _syntax's parser; heading ids as generators make them
    ("i18n_posts.dialects", "i18n_posts.links.slugs", "i18n_posts.links._diacritics"),
    ("i18n_posts.config", "i18n_posts.glossary"),
    ("i18n_posts.backends",),
    ("i18n_posts.load",),  # the stages, in pipeline order (check before translate: it checks answers)
    ("i18n_posts.segment",),
    ("i18n_posts.repo",),
    ("i18n_posts.check", "i18n_posts.check_fidelity", "i18n_posts.messages"),
    ("i18n_posts.translate",),
    ("i18n_posts.assemble",),
    ("i18n_posts.write",),
    ("i18n_posts.align", "i18n_posts.memory"),
    ("i18n_posts.links",),
    ("i18n_posts.pipeline",),
    ("i18n_posts.sync", "i18n_posts.glossary.lint", "i18n_posts.glossary.mine", "i18n_posts.glossary.report"),
    ("i18n_posts.review",),  # reads the memory and the outputs; saves edits through sync
    ("i18n_posts.cli", "i18n_posts.ci"),  # ci runs the CLI as a program, it does not import it
    ("i18n_posts.__main__",),  # the entry point of `python -m i18n_posts`
]


def _module(path: Path) -> str:
    parts = ["i18n_posts", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = (-1, -1)  # (length of the matching prefix, layer)
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best[0]:
                best = (len(p), i)
    assert best[1] >= 0, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def _imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (anywhere in it, lazy imports included)."""
    modules = {_module(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{a.name}" for a in node.names]
                found = [n for n in names if n in modules] or ([target] if target in modules else [])
                graph[mod].update(found)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                graph[mod].update(n for n in names if n in modules)
    return graph


PACKAGES = {_module(p) for p in PKG.rglob("__init__.py")}


def _package(module: str) -> str:
    return module if module in PACKAGES else module.rsplit(".", 1)[0]


def test_every_module_imports_only_lower_layers_or_its_own_package():
    bad = []
    for mod, targets in _imports().items():
        for t in targets:
            if t == "i18n_posts" or (_package(t) == _package(mod) and _layer(t) == _layer(mod)):
                continue  # the version; a module of the same package and layer
            if _layer(t) >= _layer(mod):
                bad.append(f"{mod} (layer {_layer(mod)}) imports {t} (layer {_layer(t)})")
    assert bad == []


def test_nothing_imports_the_cli():
    users = {m for m, ts in _imports().items() if any(t.startswith("i18n_posts.cli") for t in ts)}
    assert {m for m in users if not m.startswith("i18n_posts.cli")} == {"i18n_posts.__main__"}


def test_no_import_cycles():
    graph = _imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            if t.startswith(m + "."):
                continue  # a package's __init__ may name its own modules
            if state.get(t) == 1:
                cycles.append([*path[path.index(t) :], t] if t in path else [m, t])
            elif t not in state:
                visit(t, [*path, t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_the_cli_starts_without_the_heavy_libraries():
    code = (
        "import sys, i18n_posts.cli\n"
        "heavy = [m for m in ('yaml', 'babel', 'httpx', 'markdown_it') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_public_api_is_sorted_and_resolves():
    assert i18n_posts.__all__ == sorted(i18n_posts.__all__)
    for name in i18n_posts.__all__:
        assert getattr(i18n_posts, name) is not None, name


def test_backends_are_never_probed_for_capabilities():
    """Every capability is declared on the `Backend` protocol: no getattr/hasattr on a backend."""
    offenders = [
        f"{p.relative_to(PKG)}:{i}"
        for p in PKG.rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if ("getattr(" in line or "hasattr(" in line) and "backend" in line and "_MEMBERS" not in line
    ]
    assert offenders == []


def test_the_built_in_backends_are_the_ones_registered():
    """`BUILT_IN` finds our own backends without reading entry points: it must list exactly
    what pyproject.toml registers in the entry-point group."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    from i18n_posts.backends import BUILT_IN, GROUP

    project = tomllib.loads((PKG.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert BUILT_IN == project["project"]["entry-points"][GROUP]


def test_naming_a_built_in_backend_reads_no_metadata():
    code = (
        "import sys\n"
        "from i18n_posts.backends import load_backend\n"
        "load_backend('pseudo', {})\n"
        "print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

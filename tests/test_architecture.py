"""The house rules of issue 17, checked on the code as it is (docs/architecture.md).

- every module has at most 500 lines and every folder at most 12 modules;
- imports go one way along the data's path: read → extract → store → analyse | exchange →
  present; run imports none of the stages; the shared vocabulary imports no stage;
- every module is named in the map of docs/architecture.md and of the README.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lawnb"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)

#: What each stage may import besides itself and the shared vocabulary.
EARLIER: dict[str, frozenset[str]] = {
    "read": frozenset(),
    "extract": frozenset({"read"}),
    "store": frozenset({"read", "extract"}),
    "analyse": frozenset({"read", "extract", "store"}),
    "exchange": frozenset({"read", "extract", "store"}),
    "present": frozenset({"read", "extract", "store", "analyse"}),
    "run": frozenset(),
}
STAGES = frozenset(EARLIER)
#: The composition root: the command line wires the stages together.
COMPOSERS = frozenset({"cli", "__init__"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _place(module: str) -> str:
    """The stage of a module (``lawnb.read.reader`` → read), or ``shared``/a composer."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1] if parts[1] in STAGES | COMPOSERS else "shared"


def _imports(module: str, source: str) -> list[tuple[int, str]]:
    """Every lawnb module a module imports anywhere (functions included), as absolute names.

    ``from lawnb import name`` counts as an import of ``lawnb.name``: a submodule, or the public
    API (the composition root), except ``__version__``.
    """
    package = module if module.count(".") == 0 else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "lawnb":
                found.append((node.lineno, base))
            found += [
                (node.lineno, f"{base}.{alias.name}")
                for alias in node.names
                if alias.name != "__version__"
                and (base == "lawnb" or _known(f"{base}.{alias.name}"))
            ]
    return [(line, name) for line, name in found if name.split(".")[0] == "lawnb"]


def _known(name: str) -> bool:
    """True when ``name`` is a module or package of lawnb (not a function imported from one)."""
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative).is_dir()


def _backward_imports(modules: list[tuple[str, str]]) -> list[str]:
    """``module:line imports name`` for each import against the pipeline's direction."""
    wrong = []
    for module, source in modules:
        here = _place(module)
        if here in COMPOSERS:
            continue
        for line, name in _imports(module, source):
            there = _place(name) if _known(name) else "__init__"
            allowed = there in (here, "shared") or (here in STAGES and there in EARLIER[here])
            if not allowed:
                wrong.append(f"{module}:{line} ({here}) imports {name} ({there})")
    return wrong


def test_the_package_is_found():
    assert len(MODULES) > 40
    assert {p.parent.name for p in MODULES} >= STAGES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 500, f"{path.relative_to(ROOT)} has {lines} lines: split it along a seam"


def test_no_folder_holds_more_than_12_modules():
    folders: dict[Path, int] = {}
    for path in MODULES:
        folders[path.parent] = folders.get(path.parent, 0) + 1
    crowded = {str(k.relative_to(ROOT)): n for k, n in folders.items() if n > 12}
    assert not crowded


def test_imports_go_one_way_along_the_pipeline():
    modules = [(_module_name(p), p.read_text(encoding="utf-8")) for p in MODULES]
    wrong = _backward_imports(modules)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("module", "source", "caught"),
    [
        ("lawnb.store.probe", "def f():\n    from lawnb.present import views\n", True),
        ("lawnb.run.probe", "import lawnb.store.dataset\n", True),
        ("lawnb.read.probe", "from ..extract.facts import extract_facts\n", True),
        ("lawnb.analyse.probe", "from lawnb.exchange import excel\n", True),
        ("lawnb.present.probe", "from lawnb import load_dataset\n", True),
        ("lawnb.names", "from lawnb.read import reader\n", True),
        (
            "lawnb.present.probe",
            "from lawnb.analyse import changes\nfrom lawnb import names\n",
            False,
        ),
        (
            "lawnb.store.probe",
            "from lawnb import __version__\nfrom .dataset import Dataset\n",
            False,
        ),
        ("lawnb.cli", "from lawnb.present import views\n", False),
    ],
)
def test_the_direction_check_itself(module, source, caught):
    assert bool(_backward_imports([(module, source)])) is caught


def _named_in(text: str) -> set[str]:
    """Module paths named in a map: ``lawnb/read/reader.py`` or ``read/reader``-style words."""
    names = set(re.findall(r"(?:lawnb/)?((?:[a-z_]+/)*[a-z_]+)\.py", text))
    return {n.removeprefix("lawnb/") for n in names}


@pytest.mark.parametrize("doc", ["docs/architecture.md", "README.md"])
def test_every_module_is_named_in_the_map(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = _named_in(text)
    modules = {
        str(p.relative_to(PACKAGE).with_suffix(""))
        for p in MODULES
        if p.name not in ("__init__.py", "__main__.py")
    }
    assert modules - named == set(), f"{doc} does not name these modules"
    gone = {n for n in named if "/" in n and n.split("/")[0] in STAGES} - modules
    assert not gone, f"{doc} names modules that do not exist: {sorted(gone)}"

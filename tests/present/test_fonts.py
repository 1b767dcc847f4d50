"""The charts' own Chinese font: OFL Noto Sans SC from a data-only pip package, nothing non-free.

The bundled font must be found and be an OFL-licensed Noto font; with every system font hidden
it must draw every Chinese character the pages use (labels, schema names, the chart code's own
words and the fictional demo dataset) without a missing glyph; and the environment the tests
run in must hold no SimHei or other font without a licence to redistribute.
"""

from __future__ import annotations

import ast
import io
import os
import sys
import sysconfig
import unicodedata
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager as fm
from matplotlib import ft2font
from matplotlib.figure import Figure

import lawnb
from lawnb import labels, schema
from lawnb.present import charts
from lawnb.present.charts import fonts
from lawnb.store.loading import load_dataset

PACKAGE, FONT_FILE = fonts.BUNDLED_FONT
OFL = "SIL Open Font License"
FONT_SUFFIXES = frozenset(
    {".ttf", ".ttc", ".otf", ".otc", ".woff", ".woff2", ".eot", ".fon", ".pfb", ".pfa"}
)
# Lower-case beginnings of the file names of fonts that may not be redistributed: Windows' and
# Office's Chinese fonts (SimHei, SimSun, KaiTi, FangSong, YaHei, JhengHei, MingLiU, DFKai-SB,
# LiSu, YouYuan), Apple's (STHeiti & co., PingFang, Hiragino) and Arial Unicode MS.
NON_FREE_FONTS: tuple[str, ...] = (
    "simhei",
    "simsun",
    "nsimsun",
    "simkai",
    "simfang",
    "simli",
    "simyou",
    "kaiti",
    "fangsong",
    "msyh",
    "msjh",
    "mingliu",
    "pmingliu",
    "kaiu",
    "stheiti",
    "stxihei",
    "stsong",
    "stkaiti",
    "stfangso",
    "stzhongs",
    "stxinwei",
    "pingfang",
    "hiragino",
    "arialuni",
)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _restore_fonts():
    """Each test starts from matplotlib's own rcParams and leaves no font choice behind."""
    with mpl.rc_context():
        yield
    fonts._font.clear()
    fm.fontManager._findfont_cached.cache_clear()


def font_names(path: str | Path) -> dict[int, str]:
    """A font file's name table (name ID -> text), Windows records first."""
    names: dict[int, str] = {}
    for (platform, _encoding, _language, name_id), raw in (
        ft2font.FT2Font(str(path)).get_sfnt().items()
    ):
        text = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1", errors="replace")
        if platform == 3 or name_id not in names:
            names[name_id] = text
    return names


def is_non_free(name: str) -> bool:
    lower = name.lower()
    return Path(lower).suffix in FONT_SUFFIXES and lower.startswith(NON_FREE_FONTS)


def strings_in(value: object) -> Iterator[str]:
    """Every string inside a label table (dicts, tuples, sets, nested)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for v in value:
            yield from strings_in(v)


def code_strings(folder: Path) -> Iterator[str]:
    """The string constants (docstrings left out) of every module under ``folder``."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if (
                    body
                    and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                ):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                yield node.value


def page_text() -> str:
    """Every Chinese text a page's charts may draw: labels, schema names, the chart and
    sentence code's own words and the fictional demo dataset's tables."""
    parts: list[str] = []
    for module in (labels, schema):
        for name in dir(module):
            if name.isupper():
                parts.extend(strings_in(getattr(module, name)))
    parts.extend(code_strings(Path(lawnb.__file__).parent / "present"))
    demo = load_dataset("demo")
    for table in (demo.reports, demo.facts):
        for column in table.columns:
            parts.extend(str(v) for v in table[column].dropna().unique())
    return "\n".join(parts)


def wide_characters(text: str) -> list[str]:
    """The distinct full-width characters (Han, CJK punctuation, full-width forms) in text."""
    return sorted({c for c in text if unicodedata.east_asian_width(c) in "WF" and not c.isspace()})


def hide_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave matplotlib only its own fonts (DejaVu, STIX…), as in a machine with no fonts."""
    own = str(Path(mpl.get_data_path()).resolve())
    kept = [f for f in fm.fontManager.ttflist if str(Path(f.fname).resolve()).startswith(own)]
    monkeypatch.setattr(fm.fontManager, "ttflist", kept)
    fm.fontManager._findfont_cached.cache_clear()
    fonts._font.clear()


def missing_glyphs(fig: Figure) -> list[str]:
    """Draw the figure to PNG and return every warning about a missing glyph."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def environment_roots() -> list[Path]:
    """site-packages, and the whole virtual environment when the tests run in one."""
    paths = sysconfig.get_paths()
    roots = {Path(paths["purelib"]).resolve(), Path(paths["platlib"]).resolve()}
    if sys.prefix != sys.base_prefix:
        roots.add(Path(sys.prefix).resolve())
    return sorted(roots)


def non_free_fonts(roots: list[Path]) -> list[str]:
    """Every file under the roots whose name is that of a non-free font."""
    found = set()
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            found.update(os.path.join(folder, f) for f in files if is_non_free(f))
    return sorted(found)


# --------------------------------------------------------------------------- the bundled font


def test_bundled_font_is_found_and_is_ofl_noto_sans_sc():
    path = fonts._bundled_path()
    assert path is not None, f"{fonts.BUNDLED_DISTRIBUTION} is not installed"
    assert Path(path).is_file()
    assert Path(path).name == FONT_FILE
    assert Path(path).parent.name == PACKAGE
    names = font_names(path)
    assert names[1] == "Noto Sans SC"  # family
    assert "Noto" in names[7]  # trademark: "Noto is a trademark of Google Inc."
    assert OFL in names[13]  # licence description
    assert fm.FontProperties(fname=path).get_name() == "Noto Sans SC"


def test_font_package_is_ofl_and_ships_only_noto_fonts():
    dist = metadata.distribution(fonts.BUNDLED_DISTRIBUTION)
    assert any("OFL" in c for c in dist.metadata.get_all("Classifier") or [])
    assert not dist.requires  # data only: it brings nothing else along
    shipped = [Path(str(f)) for f in dist.files or []]
    font_files = [f for f in shipped if f.suffix.lower() in FONT_SUFFIXES]
    assert Path(PACKAGE, FONT_FILE) in font_files
    for f in font_files:
        names = font_names(dist.locate_file(f))
        assert names[1].startswith("Noto "), f
        assert OFL in names[13], f
    others = [
        f
        for f in shipped
        if f not in font_files
        and f.suffix not in (".py", ".pyc", ".typed")
        and not f.parts[0].endswith(".dist-info")
    ]
    assert others == []


def test_missing_package_error_names_the_new_package(monkeypatch):
    hide_system_fonts(monkeypatch)
    monkeypatch.setattr(fonts, "_bundled_path", lambda: None)
    with pytest.raises(lawnb.errors.LawnbError, match=f"pip install {fonts.BUNDLED_DISTRIBUTION}"):
        fonts.setup()


# --------------------------------------------------------------------------- every glyph


def test_every_chinese_character_of_the_pages_is_in_the_bundled_font():
    chars = wide_characters(page_text())
    assert len(chars) > 500  # the collection did find the pages' words
    assert {"法", "治", "镇", "区", "无", "数", "据", "，", "（", "）"} <= set(chars)
    charmap = ft2font.FT2Font(fonts._bundled_path()).get_charmap()
    missing = [c for c in chars if ord(c) not in charmap]
    assert missing == []


def test_a_chart_of_every_chinese_character_renders_with_the_bundled_font_only(monkeypatch):
    hide_system_fonts(monkeypatch)
    assert not any(f.name in fonts.SYSTEM_FONTS or "CJK" in f.name for f in fm.fontManager.ttflist)
    family = charts.setup(prefer_system=True)  # no system font left: falls back
    assert family == "Noto Sans SC"
    assert fm.fontManager.findfont(fm.FontProperties(family=family)) == fonts._bundled_path()

    text = page_text()
    chars = wide_characters(text)
    lines = ["".join(chars[i : i + 40]) for i in range(0, len(chars), 40)]
    fig = Figure(figsize=(8, 1 + 0.22 * len(lines)))
    ax = fig.add_axes((0.25, 0.8, 0.7, 0.15))
    dims = list(schema.DIMENSIONS.values())
    ax.barh(dims[:4], [3, 1, 4, 1])
    ax.set_title("、".join(schema.PARTS.values()))
    ax.set_xlabel(labels.COLUMN_LABELS["value"] + "（件）")
    for i, line in enumerate(lines):
        fig.text(0.02, 0.75 - i * 0.72 / len(lines), line, fontsize=9)
    # Latin letters, digits and signs too, with the fallbacks a bare machine has.
    fig.text(0.02, 0.01, "".join(sorted({c for c in text if c.isascii() and c.isprintable()})))
    assert missing_glyphs(fig) == []


@pytest.mark.slow
def test_real_charts_of_the_demo_dataset_render_with_the_bundled_font_only(monkeypatch):
    hide_system_fonts(monkeypatch)
    demo = load_dataset("demo")
    facts = demo.facts[demo.facts["report_id"] == demo.facts["report_id"].iloc[0]]
    source = charts.source_line("示例区东湖镇", 2021, demo=True)
    figures = [
        charts.by_dimension(facts, source=source),
        charts.indicator_bars(facts, title="全部指标", source=source),
    ]
    assert fonts._font["path"] == fonts._bundled_path()
    for fig in figures:
        assert missing_glyphs(fig) == []


def test_missing_glyph_check_does_catch_a_missing_glyph(monkeypatch):
    hide_system_fonts(monkeypatch)
    fig = Figure()
    fig.text(0.5, 0.5, "示例区", family="DejaVu Sans")
    assert missing_glyphs(fig)


# --------------------------------------------------------------------------- the environment


def test_non_free_font_matcher():
    for name in ("SimHei.ttf", "simsun.ttc", "msyhbd.ttc", "STHeiti Light.ttc", "simkai.TTF"):
        assert is_non_free(name), name
    for name in ("NotoSansSC-Regular.otf", "STIXGeneral.ttf", "DejaVuSans.ttf", "simhei.py"):
        assert not is_non_free(name), name


def test_the_walk_finds_a_non_free_font_deep_in_a_tree(tmp_path):
    deep = tmp_path / "site-packages" / "somepkg" / "fonts"
    deep.mkdir(parents=True)
    (deep / "SimHei.ttf").write_bytes(b"")
    (deep / "NotoSansSC-Regular.otf").write_bytes(b"")
    assert non_free_fonts([tmp_path]) == [str(deep / "SimHei.ttf")]


def test_environment_holds_no_simhei_or_other_non_free_font():
    roots = environment_roots()
    assert any((root / "matplotlib").is_dir() for root in roots)  # the walk sees site-packages
    found = non_free_fonts(roots)
    assert found == [], "不可再分发的字体文件：" + "、".join(found)

"""Fonts for Chinese charts: a system CJK font when there is one, else the bundled Noto Sans SC.

:func:`setup` takes a preference (system font or the OFL font shipped by the pip package
pylopdf-fonts-zh-cn), sets matplotlib's rcParams and gives the family used; :func:`ensure_font`
does the same once, lazily, for every chart function. matplotlib is imported inside the
functions.

The pip package is data only: Noto Sans SC and Noto Serif SC (Regular, the SubsetOTF files of
notofonts/noto-cjk), both under the SIL Open Font License 1.1, about 20 MB, no dependencies.
Only the sans file is used, located with :mod:`importlib.resources` (not the package's API).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lawnb.errors import LawnbError

# System CJK families to use when present, best first.
SYSTEM_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
    "Hiragino Sans GB",
)
# The OFL font shipped by the pip package pylopdf-fonts-zh-cn (import package, file inside it).
# Never SimHei or any other font without a licence to redistribute.
BUNDLED_FONT: tuple[str, str] = ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf")
#: The pip distribution that ships :data:`BUNDLED_FONT` (named in the error message).
BUNDLED_DISTRIBUTION = "pylopdf-fonts-zh-cn"

_font: dict[str, Any] = {}  # prefer_system, family, path of the set-up done last


def setup(prefer_system: bool = True) -> str:
    """Make matplotlib draw Chinese text; return the font family used.

    With ``prefer_system`` a CJK font the system already has (:data:`SYSTEM_FONTS`) is used;
    otherwise, or when there is none, the Noto Sans SC file shipped by pylopdf-fonts-zh-cn is
    registered and put first, so it wins over a system font of the same family name. Sets
    ``font.family``, ``font.sans-serif`` and ``axes.unicode_minus``. Cheap when repeated;
    every chart function calls it lazily (keeping whichever choice was made last).
    """
    import matplotlib as mpl
    from matplotlib import font_manager as fm

    if _font.get("prefer_system") == prefer_system and _still_current(mpl, fm):
        return str(_font["family"])
    bundled = _bundled_path()
    family = path = None
    if prefer_system:
        _reorder(fm, bundled, first=False)
        family, path = _system_font(fm, bundled)
    if family is None:
        if bundled is None:
            raise LawnbError(
                f"找不到中文字体：请安装 pip 包 {BUNDLED_DISTRIBUTION}"
                f"（pip install {BUNDLED_DISTRIBUTION}，内含开源字体 Noto Sans SC），"
                "或安装系统中文字体（如 Debian/Ubuntu 的 fonts-noto-cjk）。"
            )
        if not any(f.fname == bundled for f in fm.fontManager.ttflist):
            fm.fontManager.addfont(bundled)
        _reorder(fm, bundled, first=True)
        family = fm.FontProperties(fname=bundled).get_name()
        path = bundled
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *rest]  # the rest stay as glyph fallbacks
    mpl.rcParams["axes.unicode_minus"] = False
    _font.update(prefer_system=prefer_system, family=family, path=path)
    return family


def ensure_font() -> None:
    """Set fonts up on first use, keeping an earlier explicit choice; cheap afterwards."""
    setup(bool(_font.get("prefer_system", True)))


def _still_current(mpl: Any, fm: Any) -> bool:
    family = _font.get("family")
    if not family or list(mpl.rcParams["font.sans-serif"][:1]) != [family]:
        return False
    return _resolve(fm, family) == _font.get("path")


def _resolve(fm: Any, family: str) -> str | None:
    """The file matplotlib would draw ``family`` from, or None."""
    try:
        found = fm.fontManager.findfont(fm.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    return str(found)


@cache
def _bundled_path() -> str | None:
    """The Noto Sans SC file inside pylopdf-fonts-zh-cn, located without the package's API."""
    from importlib import resources

    package, inner = BUNDLED_FONT
    try:
        res = resources.files(package).joinpath(inner)
    except ModuleNotFoundError:
        return None
    path = Path(str(res))
    return str(path) if path.is_file() else None


def _system_font(fm: Any, bundled: str | None) -> tuple[str | None, str | None]:
    names = {f.name for f in fm.fontManager.ttflist if f.fname != bundled}
    for family in SYSTEM_FONTS:
        if family in names:
            path = _resolve(fm, family)
            if path is not None and path != bundled:
                return family, path
    return None, None


def _reorder(fm: Any, path: str | None, *, first: bool) -> None:
    """Move the font manager's entries for ``path`` to the front (or back) of its list.

    Among equally good matches matplotlib takes the first, so this decides between the
    bundled file and a system font of the same family name.
    """
    if path is None:
        return
    ttf = fm.fontManager.ttflist
    mine = [f for f in ttf if f.fname == path]
    if not mine:
        return
    others = [f for f in ttf if f.fname != path]
    ttf[:] = mine + others if first else others + mine
    cached = getattr(fm.fontManager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()

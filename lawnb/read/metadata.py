"""A report's title, unit, district, level and year, and where each was read from.

Takes a report's text (as written and in simplified characters) and where its first heading
starts, and gives ``Metadata``: the title right above the body (``lawnb.read.preamble``), the
unit read, in order of trust, from the title, the page's metadata (发布机构) and the
addressee, the opening sentence, the file name (names: ``lawnb.read.places``); the district
the unit belongs to; the year. It never reads a year from a page clock, a publication date or
a cited plan. The words are data: ``lawnb/rules/metadata.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from lawnb.read.places import (
    HAN,
    Place,
    expand_department,
    names_department,
    names_in,
    parse_place,
    suffix_level,
)
from lawnb.read.preamble import (
    YEAR,
    YEAR_RANGE,
    Line,
    head_lines,
    is_title,
    join_title,
    pick_title,
    title_candidates,
    title_who,
)
from lawnb.read.words import alternation
from lawnb.ruledata import load_rules

__all__ = ["Metadata", "read_metadata"]

_BOOK = re.compile(r"《[^》\n]*》|〈[^〉\n]*〉|<[^>\n]*>")
_NAME_WINDOW = 3000  # how far into a report names are looked for (its opening pages)


@dataclass(frozen=True)
class _Rules:
    meta_pair: re.Pattern[str]
    publisher_keys: frozenset[str]
    title_keys: frozenset[str]
    lead_openings: tuple[str, ...]
    district_levels: dict[str, tuple[str, ...]]
    stated_district_levels: dict[str, tuple[str, ...]]
    subject: re.Pattern[str]
    opening_time: re.Pattern[str]
    relative: dict[str, str]
    relative_department: re.Pattern[str]
    relative_levels: dict[str, str]
    short_form: re.Pattern[str]
    short_form_suffix: dict[str, str]


@cache
def _rules() -> _Rules:
    data = load_rules("metadata.yaml")
    keys = alternation(data["metadata_keys"])
    prefixes = alternation(data["relative_prefixes"], longest_first=False)
    return _Rules(
        meta_pair=re.compile(
            rf"(?P<key>{keys})\s*[\]】]?\s*[：:|]?\s*(?P<value>.*?)(?=\s*[\[【]?\s*(?:{keys})\s*[\]】]?\s*[：:|]|$)"
        ),
        publisher_keys=frozenset(data["publisher_keys"]),
        title_keys=frozenset(data["title_keys"]),
        lead_openings=tuple(data["lead_openings"]),
        district_levels={k: tuple(v) for k, v in data["district_levels"].items()},
        stated_district_levels={k: tuple(v) for k, v in data["stated_district_levels"].items()},
        subject=re.compile(rf"(?:{alternation(data['subject_followers'])})"),
        opening_time=re.compile(
            rf"^(?:{alternation(data['opening_time_words'], longest_first=False)})"
        ),
        relative={str(k): str(v) for k, v in data["relative_names"].items()},
        relative_department=re.compile(rf"^({prefixes})([{HAN}]{{2,}})$"),
        relative_levels={str(k): str(v) for k, v in data["relative_prefixes"].items()},
        short_form=re.compile(
            rf"(?:{alternation(data['short_form_prefixes'])})(?!{alternation(data['short_form_not'])})"
            rf"([{HAN}]{{2}})(?={alternation(data['short_form_followers'])})"
        ),
        short_form_suffix={str(k): str(v) for k, v in data["short_form_suffix"].items()},
    )


@dataclass
class Metadata:
    """What the text says of itself, with the source of each field (``lawnb.schema.META_SOURCES``)."""

    title: str | None = None
    title_end: int = 0
    body_start: int = 0  # the first line of the report's own text (after chrome and title)
    unit: str | None = None
    district: str | None = None
    level: str | None = None
    year: int | None = None
    sources: dict[str, str] = field(default_factory=dict)


# --- reading -----------------------------------------------------------------------------------


def read_metadata(text: str, plain: str, body_start: int, file_stem: str = "") -> Metadata:
    """Title (as written in ``text``), unit, district, level and year (read in ``plain``).

    ``plain`` is ``text`` in simplified characters, of the same length; ``body_start`` is
    where the first numbered heading starts (the end of the text when there is none).
    """
    head_end = body_start if body_start < len(plain) else min(len(plain), 2000)
    lines = head_lines(plain, head_end)
    meta = Metadata()
    chosen = pick_title(plain, title_candidates(plain, lines))
    if chosen:
        meta.title = join_title(text, chosen)
        meta.title_end = chosen[1] + 1
    meta.body_start = next(
        (
            line.start
            for line in lines
            if line.start >= meta.title_end and line.kind in ("sentence", "addressee")
        ),
        body_start,
    )
    published = _metadata_block(lines)
    opening = _opening(plain, lines, meta.title_end, body_start)

    places: list[tuple[str, Place | None, int | None]] = []
    if chosen:
        who, year = title_who(chosen[2])
        places.append(("title", parse_place(who) if who else None, year))
    for value in published["titles"]:
        who, year = title_who(value)
        places.append(("metadata", parse_place(who) if who else None, year))
    for value in published["publishers"]:
        places.append(("metadata", parse_place(value), None))
    places.append(("opening", _opening_subject(plain, opening), None))
    stem = re.sub(r"((?:19|20)\d{2})$", r"\1年", re.sub(r"[-_\s]", "", file_stem))
    stem_who, stem_year = title_who(stem)
    places.append(("file_name", parse_place(stem_who) if stem_who else None, stem_year))

    for source, place, _ in places:
        if (place is not None and place.chain) or (place is not None and place.department):
            meta.unit, meta.level = place.unit, place.level
            meta.sources["unit"] = meta.sources["level"] = source
            break
    if meta.unit:
        _find_district(meta, places, lines, plain[: max(_NAME_WINDOW, head_end)])
    for source, _, year in places:
        if year and source != "opening":
            meta.year, meta.sources["year"] = year, source
            break
    if meta.year is None:
        year = _opening_year(opening) or _opening_year(plain[body_start : body_start + 300])
        if year:
            meta.year, meta.sources["year"] = year, "opening"
        elif stem_year:
            meta.year, meta.sources["year"] = stem_year, "file_name"
    for name in ("unit", "district", "level", "year"):
        meta.sources.setdefault(name, "none")
    meta.sources["title"] = "title" if meta.title else "none"
    return meta


def _metadata_block(lines: list[Line]) -> dict[str, list[str]]:
    rules = _rules()
    out: dict[str, list[str]] = {"publishers": [], "titles": []}
    for line in lines:
        if line.kind != "meta":
            continue
        for pair in rules.meta_pair.finditer(line.text):
            key, value = pair.group("key"), pair.group("value").strip(" •-|[]【】")
            if not value:
                continue
            if key in rules.publisher_keys:
                out["publishers"].append(value)
            elif key in rules.title_keys and is_title(value):
                out["titles"].append(value)
    return out


def _opening(plain: str, lines: list[Line], title_end: int, body_start: int) -> str:
    """The report's first sentences: body lines after the title, before the first heading."""
    body = [
        line.text
        for line in lines
        if line.start >= title_end and line.kind in ("sentence",) and len(line.text) > 20
    ]
    text = "\n".join(body)
    return text if text else plain[body_start : body_start + 400]


def _opening_year(opening: str) -> int | None:
    cleaned = YEAR_RANGE.sub("", _BOOK.sub("", opening))
    found = YEAR.search(cleaned[:300])
    return int(found.group(1)) if found else None


def _opening_subject(plain: str, opening: str) -> Place | None:
    """The unit the opening sentence is about (2023年，鹤龙街坚持… ; 我县…; 区应急管理局在…)."""
    rules = _rules()
    window = _BOOK.sub(lambda m: "“" * len(m.group(0)), opening[:400])
    for match in re.finditer(rf"(?:^|(?<=[，、。；：\n]))([{HAN}（）]{{2,24}})", window):
        phrase = match.group(1)
        names = [phrase[: f.start()] for f in rules.subject.finditer(phrase, 2)]
        lead = next((w for w in rules.lead_openings if phrase.startswith(w)), None)
        if lead:  # 现将市人力资源和社会保障局2019年度…报告如下
            names.insert(0, phrase[len(lead) :])
        for name in names:
            for candidate in (name, rules.opening_time.sub("", name)):
                place = _resolve(candidate, plain)
                if place is not None:
                    return place
    return None


def _resolve(name: str, plain: str) -> Place | None:
    """A name from the opening, with a relative one (我县, 市政府, 区应急管理局) made whole."""
    rules = _rules()
    if len(name) < 2:
        return None
    if name in rules.relative:
        return _most_named(plain, rules.relative[name])
    relative = rules.relative_department.match(name)
    if relative and names_department(relative.group(2)):
        department = expand_department(relative.group(2))
        level = rules.relative_levels[relative.group(1)]
        for short in {relative.group(2), department}:
            pattern = rf"([{HAN}]{{1,5}}{relative.group(1)}){re.escape(short)}"
            for whole in re.finditer(pattern, plain):
                for cut in range(len(whole.group(1)) - 2, -1, -1):
                    government = whole.group(1)[cut:]
                    if suffix_level(government, strict=True) and len(government) > 2:
                        return Place([(government, level)], department)
        government = _most_named(plain, level)
        return Place(government.chain[-1:], department) if government else None
    place = parse_place(name)
    if place is None or (not place.chain and not place.department):
        return None
    if not all(suffix_level(part, strict=True) for part, _ in place.chain):
        return None  # 现将市…: running text read as a name
    if not place.department and (len(place.chain) > 3 or len(name) > 14):
        return None
    return place


def _most_named(plain: str, level: str) -> Place | None:
    """The administrative name of a level that the text names most often."""
    names = Counter(name for name, lv, _ in names_in(plain[:_NAME_WINDOW]) if lv == level)
    if not names:
        return None
    first = {name: plain.find(name) for name in names}
    name = max(names, key=lambda n: (names[n], -first[n]))
    return Place([(name, level)])


def _find_district(
    meta: Metadata,
    places: list[tuple[str, Place | None, int | None]],
    lines: list[Line],
    window: str,
) -> None:
    """The district of the unit: from the unit's own chain, the metadata, the addressee, the text."""
    rules = _rules()
    level = meta.level or ""
    if level in ("city", "province"):
        meta.district, meta.sources["district"] = None, meta.sources["unit"]
        return
    allowed = rules.district_levels.get(level, ())
    stated = rules.stated_district_levels.get(level, allowed)
    unit_name = meta.unit or ""
    for source, place, _ in places:
        if place is None or place.parent is None or place.parent[1] not in stated:
            continue
        if (
            place.unit == meta.unit
            or place.unit.endswith(unit_name)
            or unit_name.endswith(place.unit)
        ):
            meta.district, meta.sources["district"] = place.parent[0], source
            return
    for line in lines:
        if line.kind == "addressee":
            for part in re.split(r"[，、,]", line.text.rstrip("：:")):
                found = parse_place(part)
                if found and found.chain and not found.department and found.chain[-1][1] in stated:
                    meta.district, meta.sources["district"] = found.chain[-1][0], "metadata"
                    return
    if level == "department":
        prefix = _chain_prefix(unit_name)
        if prefix:
            meta.district, meta.sources["district"] = prefix, meta.sources["unit"]
            return
    own = {name for name, _ in (places[0][1].chain if places and places[0][1] else [])}
    counts = Counter(
        name
        for name, lv, _ in names_in(window)
        if lv in allowed and name != meta.unit and name not in own
    )
    if counts:
        first = {name: window.find(name) for name in counts}
        meta.district = max(counts, key=lambda n: (counts[n], -first[n]))
        meta.sources["district"] = "opening"
        return
    suffix = rules.short_form_suffix.get(level)
    if suffix:
        for match in rules.short_form.finditer(window):
            stem = match.group(1)
            if stem not in (meta.unit or ""):
                meta.district, meta.sources["district"] = stem + suffix, "opening"
                return


def _chain_prefix(unit: str) -> str | None:
    """The government a department belongs to: 武汉市 of 武汉市司法局."""
    place = parse_place(unit)
    if place and place.department is not None and place.chain:
        return place.chain[-1][0]
    return None

"""A report's title, unit, district, level and year, and where each was read from.

Web pages put a lot before a report's title: site names, breadcrumbs, metadata blocks,
publication dates, view counters; documents put document numbers, addressees and cover
letters. This module sorts the lines before the first heading into those kinds, takes the
title right above the body, and reads the unit from, in order of trust: the title, the
page's metadata (发布机构) and the addressee, the opening sentence, the file name. It never
reads a year from a page clock, a publication date or a cited plan. The words are data:
``lawnb/rules/metadata.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from lawnb.read.words import word_bounds
from lawnb.ruledata import load_rules

_HAN = r"\u4e00-\u9fff"
_YEAR = re.compile(r"(?<![\d\-/.])((?:19|20)\d{2})\s*年(?!\d)")
_RANGE = re.compile(r"[（(]?\d{4}\s*[-－—~～至到]+\s*\d{4}\s*年?[)）]?")
_BOOK = re.compile(r"《[^》\n]*》|〈[^〉\n]*〉|<[^>\n]*>")
_SENTENCE_MARKS = re.compile(r"[。；！？]")
_LEFT_BOUNDARY = set("年在对和与及的了据于共由向经为、，。；：“”《》〈〉（）()\n ")


@dataclass(frozen=True)
class _Rules:
    chrome: re.Pattern[str]
    meta_key: re.Pattern[str]
    meta_pair: re.Pattern[str]
    publisher_keys: frozenset[str]
    title_keys: frozenset[str]
    date_line: re.Pattern[str]
    doc_number: re.Pattern[str]
    watermark: re.Pattern[str]
    title_words: tuple[str, ...]
    lead_openings: tuple[str, ...]
    suffixes: tuple[tuple[str, str], ...]
    suffix_chars: frozenset[str]
    district_levels: dict[str, tuple[str, ...]]
    stated_district_levels: dict[str, tuple[str, ...]]
    government_words: tuple[str, ...]
    department: re.Pattern[str]
    aliases: tuple[tuple[str, str], ...]
    not_names: frozenset[str]
    not_name_endings: tuple[str, ...]
    not_in_names: tuple[str, ...]
    subject: re.Pattern[str]
    relative: dict[str, str]
    short_form: re.Pattern[str]
    short_form_suffix: dict[str, str]


def _either(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _rules() -> _Rules:
    data = load_rules("metadata.yaml")
    keys = _either(data["metadata_keys"])
    suffixes = tuple(
        sorted(
            ((str(k), str(v)) for k, v in data["admin_suffixes"].items()),
            key=lambda kv: -len(kv[0]),
        )
    )
    return _Rules(
        chrome=re.compile("|".join(f"(?:{p})" for p in data["page_chrome"])),
        meta_key=re.compile(rf"^[-•·|\[【\s]*(?:{keys})|(?:{keys})\s*[\]】]?\s*[：:|]"),
        meta_pair=re.compile(
            rf"(?P<key>{keys})\s*[\]】]?\s*[：:|]?\s*(?P<value>.*?)(?=\s*[\[【]?\s*(?:{keys})\s*[\]】]?\s*[：:|]|$)"
        ),
        publisher_keys=frozenset(data["publisher_keys"]),
        title_keys=frozenset(data["title_keys"]),
        date_line=re.compile(data["date_line"]),
        doc_number=re.compile(data["doc_number"]),
        watermark=re.compile(data["watermark"]),
        title_words=tuple(data["title_words"]),
        lead_openings=tuple(data["lead_openings"]),
        suffixes=suffixes,
        suffix_chars=frozenset(ch for suffix, _ in suffixes for ch in suffix),
        district_levels={k: tuple(v) for k, v in data["district_levels"].items()},
        stated_district_levels={k: tuple(v) for k, v in data["stated_district_levels"].items()},
        government_words=tuple(sorted(data["government_words"], key=len, reverse=True)),
        department=re.compile(rf"(?:{_either(data['department_suffixes'])})$"),
        aliases=tuple(
            sorted(
                ((str(k), str(v)) for k, v in data["department_aliases"].items()),
                key=lambda kv: -len(kv[0]),
            )
        ),
        not_names=frozenset(data["not_names"]),
        not_name_endings=tuple(data["not_name_endings"]),
        not_in_names=tuple(data["not_in_names"]),
        subject=re.compile(rf"(?:{_either(data['subject_followers'])})"),
        relative={str(k): str(v) for k, v in data["relative_names"].items()},
        short_form=re.compile(
            rf"(?:{_either(data['short_form_prefixes'])})(?!{_either(data['short_form_not'])})"
            rf"([{_HAN}]{{2}})(?={_either(data['short_form_followers'])})"
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


@dataclass
class _Place:
    """A name read as a chain of administrative units, maybe ending in a department."""

    chain: list[tuple[str, str]]  # (name, level), outermost first
    department: str | None = None
    # The department's name already holds its government (国家税务总局上海市税务局).
    named_whole: bool = False

    @property
    def unit(self) -> str:
        if self.department and self.named_whole:
            return self.department
        if self.department:
            return (self.chain[-1][0] if self.chain else "") + self.department
        return self.chain[-1][0]

    @property
    def level(self) -> str:
        return "department" if self.department else self.chain[-1][1]

    @property
    def parent(self) -> tuple[str, str] | None:
        if self.department:
            return self.chain[-1] if self.chain else None
        return self.chain[-2] if len(self.chain) > 1 else None


# --- names -------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _suffix_level(name: str, *, strict: bool = False) -> str | None:
    """The level of an administrative name by its suffix, or None when it is not one.

    The name before the suffix has 1 to 6 characters and is not a word that only looks like
    a name (社区, 依法治区: ``not_names``). ``strict`` (for names read from running text)
    also refuses a function word inside it (在, 的, 次 …).
    """
    rules = _rules()
    if (
        name in rules.not_names
        or name.endswith(rules.not_name_endings)
        or any(word in name for word in rules.not_in_names)
    ):
        return None
    for suffix, level in rules.suffixes:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if (
                stem
                and len(stem) <= 6
                and not all(ch in _SINGLE_SUFFIX for ch in stem)
                and not (strict and any(ch in _NOT_IN_NAMES for ch in stem))
            ):
                return level
            return None
    return None


_NOT_IN_NAMES = set("在和的了与及对为是度全各本我该等年其并或向由把被从到以将所这那之委次") | set(
    "，、。；：“”《》（）() 0123456789"
)
_SINGLE_SUFFIX = set("省市区县旗州乡镇街盟")


@cache
def _chain(text: str) -> tuple[tuple[str, str], ...] | None:
    """``text`` read wholly as administrative names (宝山区罗店镇 → 宝山区, 罗店镇), or None.

    Of several readings the one with the fewest names starting with a one-character suffix
    (区新田镇 in 宣州+区新田镇) wins, then the one with the most names.
    """
    readings = _readings(text)
    if not readings:
        return None
    return min(
        readings,
        key=lambda chain: (sum(name[0] in _SINGLE_SUFFIX for name, _ in chain), -len(chain)),
    )


@cache
def _readings(text: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    if not text:
        return ((),)
    out: list[tuple[tuple[str, str], ...]] = []
    for end in range(2, min(len(text), 12) + 1):
        level = _suffix_level(text[:end])
        if level is None:
            continue
        for rest in _readings(text[end:])[:8]:
            out.append(((text[:end], level), *rest))
    return tuple(out)


def _strip_government(name: str) -> str:
    """名 without the party committee before a joint name and the government words after."""
    rules = _rules()
    joint = re.match(rf"^中共([{_HAN}]+?)(?:委员会|党工委|党委|委)(?=[{_HAN}]{{2}})", name)
    if joint and _chain(joint.group(1)):
        name = name[joint.end() :]
    if name.startswith("中共"):  # a party committee stands for its government here
        name = re.sub(r"(?:委员会|党工委|党委|委)$", "", name[2:])
    for word in rules.government_words:
        name = name.replace(word, "")
    return name


def _expand(department: str) -> str:
    for short, full in _rules().aliases:
        if department.endswith(short):
            return department[: -len(short)] + full
    return department


def parse_place(name: str) -> _Place | None:
    """Read a unit's name: 长沙市天心区坡子街街道办事处, 重庆市大足区卫生健康委员会, 赵县人民政府."""
    rules = _rules()
    name = _strip_government(name.strip())
    if len(name) < 2:
        return None
    whole = _chain(name)
    if whole:
        return _Place(list(whole))
    if not rules.department.search(name):
        return None
    bounds = word_bounds(name)
    for split in range(len(name) - 2, 1, -1):
        chain = _chain(name[:split])
        if chain and split in bounds and _clean_department(name[split:]):
            return _Place(list(chain), _expand(name[split:]))
    if not _clean_department(name):
        return None
    # A department named without its government first (国家税务总局上海市税务局): the
    # government is the last name inside it; or none at all (司法局).
    inner = [found for found in _names_in(name) if found[0] != name]
    return _Place([(n, lv) for n, lv, _ in inner[-1:]], _expand(name), named_whole=True)


def _clean_department(name: str) -> bool:
    """A department's own name: 3 to 16 characters, no function word, no government word."""
    return (
        3 <= len(name) <= 16
        and not any(ch in _NOT_IN_NAMES - {"委", "所"} for ch in name)
        and not any(word in name for word in ("政府", "党委", "领导", "指导"))
    )


@lru_cache(maxsize=16)  # the opening window is searched for several levels
def _names_in(text: str) -> list[tuple[str, str, int]]:
    """Administrative names written in running text, with their level and offset.

    The text is cut into words by the jieba-rs segmenter: a name is a word ending with an
    administrative suffix (杨浦区, 景德镇市), or a place-name word followed by a suffix word
    (大足 区, 乐都 区). Words that only look like names (全市, 辖区, 城市) are not names.
    """
    import rjieba

    words = rjieba.tag(text)
    found: list[tuple[str, str, int]] = []
    offset = 0
    for index, (word, tag) in enumerate(words):
        start, offset = offset, offset + len(word)
        if tag == "x" or word in _SINGLE_SUFFIX:
            continue
        name = word
        following = words[index + 1][0] if index + 1 < len(words) else ""
        if tag in ("ns", "nz", "nr") and following in _SUFFIX_WORDS and not _suffix_level(word):
            name = word + following
        level = _suffix_level(name, strict=True)
        if level and len(name) == 2 and name[-1] != "县":
            continue  # one-character names are counties (赵县); 跨省, 广州 (广州市) are not
        if level:
            found.append((name, level, start))
    seen = {start for _, _, start in found}
    for match in re.finditer(rf"(?:《|〈|^)(?:\d{{4}}\s*年度?)?([{_HAN}]{{2,16}})", text, re.M):
        # 《江州市临湖区…方案》: names the segmenter does not know, read as a chain
        stem = match.group(1)
        for end in range(len(stem), 1, -1):
            chain = _chain(stem[:end])
            if chain and all(_suffix_level(n, strict=True) for n, _ in chain):
                offset = match.start(1)
                for name, level in chain:
                    if offset not in seen:
                        found.append((name, level, offset))
                    offset += len(name)
                break
    return sorted(found, key=lambda item: item[2])


_NAME_WINDOW = 3000  # how far into a report names are looked for (its opening pages)
_SUFFIX_WORDS = {"市", "区", "县", "乡", "镇", "街道", "街", "省", "旗", "州", "新区", "自治县"}


# --- lines -------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    start: int
    kind: str  # chrome, meta, date, docno, addressee, attachment, sentence, text


def _line_kind(line: str) -> str:
    rules = _rules()
    if rules.meta_key.search(line) and len(line) < 160:
        return "meta"
    if rules.chrome.search(line) and not _SENTENCE_MARKS.search(line):
        return "chrome"
    if rules.date_line.search(line):
        return "date"
    if rules.doc_number.search(line) and len(line) <= 50:
        return "docno"
    if re.match(r"^附件\s*\d*[:：]?$", line) or re.search(r"\.(docx?|pdf|wps|txt)$", line, re.I):
        return "attachment"
    if line.startswith(rules.lead_openings) and re.search(r"[，,：:]", line):
        return "sentence"
    if (
        re.search(r"[：:]$", line)
        and len(line) <= 40
        and "。" not in line
        and not re.search(r"如下[：:]$|^(?:19|20)\d{2}\s*年", line)
    ):
        return "addressee"
    if _SENTENCE_MARKS.search(line) or "，" in line or len(line) > 60:
        return "sentence"
    return "text"


def _lines(text: str, limit: int) -> list[_Line]:
    out, offset = [], 0
    for line in text[:limit].split("\n")[:60]:
        out.append(_Line(line, offset, _line_kind(line)))
        offset += len(line) + 1
    return out


# --- title -------------------------------------------------------------------------------------


def _clean_title(text: str, start: int, end: int) -> tuple[int, int]:
    """The title's span without a watermark before it or a date after it."""
    rules = _rules()
    mark = rules.watermark.search(text[start:end])
    if mark:
        start += mark.end()
    date = re.search(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*$", text[start:end])
    if date:
        end = start + date.start()
    return start, end


def _is_title(plain: str) -> bool:
    rules = _rules()
    return (
        any(word in plain for word in rules.title_words)
        and 6 <= len(plain) <= 90
        and "*" not in plain
        and not plain.startswith(rules.lead_openings)
        and not _SENTENCE_MARKS.search(plain)
    )


def _title_candidates(plain: str, lines: list[_Line]) -> list[tuple[int, int, str]]:
    """(start, end, joined text) of every title-like block: a line, or two lines joined."""
    found = []
    for index, line in enumerate(lines):
        if line.kind not in ("text", "sentence") or (
            line.kind == "sentence" and len(line.text) > 90
        ):
            continue
        start, end = _clean_title(plain, line.start, line.start + len(line.text))
        here = plain[start:end]
        previous = lines[index - 1] if index else None
        if (
            previous is not None
            and previous.kind == "text"
            and len(previous.text) <= 40
            and not _is_title(previous.text)
            and _is_title(previous.text + here)
            and (len(here) <= 30 or not parse_place_prefix(here))
        ):
            p_start, _ = _clean_title(plain, previous.start, previous.start + len(previous.text))
            found.append(
                (p_start, end, plain[p_start : previous.start + len(previous.text)] + here)
            )
        elif _is_title(here) and line.kind == "text":
            found.append((start, end, here))
    return found


def parse_place_prefix(title: str) -> _Place | None:
    """The unit a title names before its year or 关于 (海安镇2020年…, 贤庠镇人民政府关于…)."""
    who = _title_who(title)[0]
    return parse_place(who) if who else None


def _title_who(title: str) -> tuple[str, int | None]:
    match = re.match(
        rf"^(?:(?P<y1>(?:19|20)\d{{2}})\s*年度?)?(?P<who>[{_HAN}（）]*?)(?:关于|(?P<y2>(?:19|20)\d{{2}})\s*年|推进|法治|依法|“|年度|$)",
        title,
    )
    if not match:
        return "", None
    year = match.group("y1") or match.group("y2")
    if year is None:
        found = _YEAR.search(_RANGE.sub("", title))
        year = found.group(1) if found else None
    return match.group("who"), int(year) if year else None


def _pick_title(plain: str, candidates: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The title right above the body; an earlier intact copy wins over a damaged later one."""
    if not candidates:
        return None
    last = candidates[-1]
    for earlier in candidates[:-1]:
        whole = earlier[2]
        if whole != last[2] and whole.endswith(last[2]):
            cut = len(whole) - len(last[2])
            if not _word_boundary(whole, cut):
                return earlier
    return last


def _word_boundary(text: str, offset: int) -> bool:
    """True when ``offset`` falls between two words of ``text``.

    The segmenter glues short place names (海东市乐都区共和乡 → 共和, 乡), so a cut right after
    an administrative suffix counts as a boundary too.
    """
    return offset in word_bounds(text) or (offset > 0 and text[offset - 1] in _rules().suffix_chars)


# --- reading -----------------------------------------------------------------------------------


def read_metadata(text: str, plain: str, body_start: int, file_stem: str = "") -> Metadata:
    """Title (as written in ``text``), unit, district, level and year (read in ``plain``).

    ``plain`` is ``text`` in simplified characters, of the same length; ``body_start`` is
    where the first numbered heading starts (the end of the text when there is none).
    """
    head_end = body_start if body_start < len(plain) else min(len(plain), 2000)
    lines = _lines(plain, head_end)
    meta = Metadata()
    chosen = _pick_title(plain, _title_candidates(plain, lines))
    if chosen:
        meta.title = _join_title(text, chosen)
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

    places: list[tuple[str, _Place | None, int | None]] = []
    if chosen:
        who, year = _title_who(chosen[2])
        places.append(("title", parse_place(who) if who else None, year))
    for value in published["titles"]:
        who, year = _title_who(value)
        places.append(("metadata", parse_place(who) if who else None, year))
    for value in published["publishers"]:
        places.append(("metadata", parse_place(value), None))
    places.append(("opening", _opening_subject(plain, opening), None))
    stem = re.sub(r"((?:19|20)\d{2})$", r"\1年", re.sub(r"[-_\s]", "", file_stem))
    stem_who, stem_year = _title_who(stem)
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


def _join_title(text: str, chosen: tuple[int, int, str]) -> str:
    """The chosen title as written (traditional characters kept), its lines joined."""
    start, end, _ = chosen
    return re.sub(r"\s*\n\s*", "", text[start:end]).strip()


def _metadata_block(lines: list[_Line]) -> dict[str, list[str]]:
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
            elif key in rules.title_keys and _is_title(value):
                out["titles"].append(value)
    return out


def _opening(plain: str, lines: list[_Line], title_end: int, body_start: int) -> str:
    """The report's first sentences: body lines after the title, before the first heading."""
    body = [
        line.text
        for line in lines
        if line.start >= title_end and line.kind in ("sentence",) and len(line.text) > 20
    ]
    text = "\n".join(body)
    return text if text else plain[body_start : body_start + 400]


def _opening_year(opening: str) -> int | None:
    cleaned = _RANGE.sub("", _BOOK.sub("", opening))
    found = _YEAR.search(cleaned[:300])
    return int(found.group(1)) if found else None


def _opening_subject(plain: str, opening: str) -> _Place | None:
    """The unit the opening sentence is about (2023年，鹤龙街坚持… ; 我县…; 区应急管理局在…)."""
    rules = _rules()
    window = _BOOK.sub(lambda m: "“" * len(m.group(0)), opening[:400])
    for match in re.finditer(rf"(?:^|(?<=[，、。；：\n]))([{_HAN}（）]{{2,24}})", window):
        phrase = match.group(1)
        names = [phrase[: f.start()] for f in rules.subject.finditer(phrase, 2)]
        lead = next((w for w in rules.lead_openings if phrase.startswith(w)), None)
        if lead:  # 现将市人力资源和社会保障局2019年度…报告如下
            names.insert(0, phrase[len(lead) :])
        for name in names:
            for candidate in (name, re.sub(r"^(?:一年来|今年以来|今年|近年来|全年)", "", name)):
                place = _resolve(candidate, plain)
                if place is not None:
                    return place
    return None


def _resolve(name: str, plain: str) -> _Place | None:
    """A name from the opening, with a relative one (我县, 市政府, 区应急管理局) made whole."""
    rules = _rules()
    if len(name) < 2:
        return None
    if name in rules.relative:
        return _most_named(plain, rules.relative[name])
    relative = re.match(rf"^(市|区|县|省)([{_HAN}]{{2,}})$", name)
    if relative and rules.department.search(relative.group(2)):
        department = _expand(relative.group(2))
        level = {"市": "city", "区": "county", "县": "county", "省": "province"}[relative.group(1)]
        for short in {relative.group(2), department}:
            pattern = rf"([{_HAN}]{{1,5}}{relative.group(1)}){re.escape(short)}"
            for whole in re.finditer(pattern, plain):
                for cut in range(len(whole.group(1)) - 2, -1, -1):
                    government = whole.group(1)[cut:]
                    if _suffix_level(government, strict=True) and len(government) > 2:
                        return _Place([(government, level)], department)
        government = _most_named(plain, level)
        return _Place(government.chain[-1:], department) if government else None
    place = parse_place(name)
    if place is None or (not place.chain and not place.department):
        return None
    if not all(_suffix_level(part, strict=True) for part, _ in place.chain):
        return None  # 现将市…: running text read as a name
    if not place.department and (len(place.chain) > 3 or len(name) > 14):
        return None
    return place


def _most_named(plain: str, level: str) -> _Place | None:
    """The administrative name of a level that the text names most often."""
    names = Counter(name for name, lv, _ in _names_in(plain[:_NAME_WINDOW]) if lv == level)
    if not names:
        return None
    first = {name: plain.find(name) for name in names}
    name = max(names, key=lambda n: (names[n], -first[n]))
    return _Place([(name, level)])


def _find_district(
    meta: Metadata,
    places: list[tuple[str, _Place | None, int | None]],
    lines: list[_Line],
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
        for name, lv, _ in _names_in(window)
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

"""Administrative names: a unit's name read as a chain of places, maybe ending in a department.

Takes a name (长沙市天心区坡子街街道办事处, 重庆市大足区卫生健康委员会, 赵县人民政府) or a
stretch of running text, and gives ``Place`` (the chain of names with their levels, outermost
first, and the department) or the names written in the text with their level and offset.
A name's level comes from its suffix (市, 区, 镇 …). The words are data:
``lawnb/rules/metadata.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lawnb.read.words import alternation, word_bounds
from lawnb.ruledata import load_rules

HAN = r"\u4e00-\u9fff"  # the common Chinese characters, for character classes


@dataclass(frozen=True)
class _Rules:
    suffixes: tuple[tuple[str, str], ...]
    suffix_chars: frozenset[str]
    one_char_suffixes: frozenset[str]
    suffix_words: frozenset[str]
    government_words: tuple[str, ...]
    party_prefix: str
    joint_party: re.Pattern[str]
    committee_end: re.Pattern[str]
    department: re.Pattern[str]
    aliases: tuple[tuple[str, str], ...]
    not_names: frozenset[str]
    not_name_endings: tuple[str, ...]
    not_in_names: tuple[str, ...]
    function_chars: frozenset[str]
    department_chars: frozenset[str]
    not_in_departments: tuple[str, ...]


@cache
def _rules() -> _Rules:
    data = load_rules("metadata.yaml")
    suffixes = tuple(
        sorted(
            ((str(k), str(v)) for k, v in data["admin_suffixes"].items()),
            key=lambda kv: -len(kv[0]),
        )
    )
    party = re.escape(data["party_prefix"])
    committee = alternation(data["party_committee_endings"], longest_first=False)
    return _Rules(
        suffixes=suffixes,
        suffix_chars=frozenset(ch for suffix, _ in suffixes for ch in suffix),
        one_char_suffixes=frozenset(suffix for suffix, _ in suffixes if len(suffix) == 1),
        suffix_words=frozenset(data["suffix_words"]),
        government_words=tuple(sorted(data["government_words"], key=len, reverse=True)),
        party_prefix=str(data["party_prefix"]),
        joint_party=re.compile(rf"^{party}([{HAN}]+?)(?:{committee})(?=[{HAN}]{{2}})"),
        committee_end=re.compile(rf"(?:{committee})$"),
        department=re.compile(rf"(?:{alternation(data['department_suffixes'])})$"),
        aliases=tuple(
            sorted(
                ((str(k), str(v)) for k, v in data["department_aliases"].items()),
                key=lambda kv: -len(kv[0]),
            )
        ),
        not_names=frozenset(data["not_names"]),
        not_name_endings=tuple(data["not_name_endings"]),
        not_in_names=tuple(data["not_in_names"]),
        # Function words never inside a name; punctuation, spaces and digits neither.
        function_chars=frozenset(data["function_chars"]) | set("，、。；：“”《》（）() 0123456789"),
        department_chars=frozenset(data["department_function_chars"]),
        not_in_departments=tuple(data["not_in_departments"]),
    )


def names_department(name: str) -> bool:
    """True when ``name`` ends like a department's name (…局, …委员会, …中心)."""
    return _rules().department.search(name) is not None


def suffix_chars() -> frozenset[str]:
    """Every character of an administrative suffix (市, 区, 街, 道 …)."""
    return _rules().suffix_chars


@dataclass
class Place:
    """A name read as a chain of administrative units, maybe ending in a department."""

    chain: list[tuple[str, str]]  # (name, level), outermost first
    department: str | None = None
    # The department's name already holds its government (国家税务总局上海市税务局).
    named_whole: bool = False

    @property
    def unit(self) -> str:
        """The unit's name: the last place, with its department when there is one."""
        if self.department and self.named_whole:
            return self.department
        if self.department:
            return (self.chain[-1][0] if self.chain else "") + self.department
        return self.chain[-1][0]

    @property
    def level(self) -> str:
        """``department`` for a department, else the level of the last place."""
        return "department" if self.department else self.chain[-1][1]

    @property
    def parent(self) -> tuple[str, str] | None:
        """(name, level) of the place the unit belongs to, or None."""
        if self.department:
            return self.chain[-1] if self.chain else None
        return self.chain[-2] if len(self.chain) > 1 else None


@lru_cache(maxsize=16384)
def suffix_level(name: str, *, strict: bool = False) -> str | None:
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
                and not all(ch in rules.one_char_suffixes for ch in stem)
                and not (strict and any(ch in rules.function_chars for ch in stem))
            ):
                return level
            return None
    return None


@cache
def chain_of(text: str) -> tuple[tuple[str, str], ...] | None:
    """``text`` read wholly as administrative names (宝山区罗店镇 → 宝山区, 罗店镇), or None.

    Of several readings the one with the fewest names starting with a one-character suffix
    (区新田镇 in 宣州+区新田镇) wins, then the one with the most names.
    """
    readings = _readings(text)
    if not readings:
        return None
    one_char = _rules().one_char_suffixes
    return min(
        readings,
        key=lambda chain: (sum(name[0] in one_char for name, _ in chain), -len(chain)),
    )


@cache
def _readings(text: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    if not text:
        return ((),)
    out: list[tuple[tuple[str, str], ...]] = []
    for end in range(2, min(len(text), 12) + 1):
        level = suffix_level(text[:end])
        if level is None:
            continue
        for rest in _readings(text[end:])[:8]:
            out.append(((text[:end], level), *rest))
    return tuple(out)


def _strip_government(name: str) -> str:
    """名 without the party committee before a joint name and the government words after."""
    rules = _rules()
    joint = rules.joint_party.match(name)
    if joint and chain_of(joint.group(1)):
        name = name[joint.end() :]
    if name.startswith(rules.party_prefix):  # a party committee stands for its government here
        name = rules.committee_end.sub("", name[len(rules.party_prefix) :])
    for word in rules.government_words:
        name = name.replace(word, "")
    return name


def expand_department(department: str) -> str:
    """A department's full name for a short one it ends with (…人社局 → …人力资源和社会保障局)."""
    for short, full in _rules().aliases:
        if department.endswith(short):
            return department[: -len(short)] + full
    return department


def parse_place(name: str) -> Place | None:
    """Read a unit's name: 长沙市天心区坡子街街道办事处, 重庆市大足区卫生健康委员会, 赵县人民政府."""
    rules = _rules()
    name = _strip_government(name.strip())
    if len(name) < 2:
        return None
    whole = chain_of(name)
    if whole:
        return Place(list(whole))
    if not rules.department.search(name):
        return None
    bounds = word_bounds(name)
    for split in range(len(name) - 2, 1, -1):
        chain = chain_of(name[:split])
        if chain and split in bounds and _clean_department(name[split:]):
            return Place(list(chain), expand_department(name[split:]))
    if not _clean_department(name):
        return None
    # A department named without its government first (国家税务总局上海市税务局): the
    # government is the last name inside it; or none at all (司法局).
    inner = [found for found in names_in(name) if found[0] != name]
    return Place([(n, lv) for n, lv, _ in inner[-1:]], expand_department(name), named_whole=True)


def _clean_department(name: str) -> bool:
    """A department's own name: 3 to 16 characters, no function word, no government word."""
    rules = _rules()
    return (
        3 <= len(name) <= 16
        and not any(ch in rules.function_chars - rules.department_chars for ch in name)
        and not any(word in name for word in rules.not_in_departments)
    )


@lru_cache(maxsize=16)  # the opening window is searched for several levels
def names_in(text: str) -> list[tuple[str, str, int]]:
    """Administrative names written in running text, with their level and offset.

    The text is cut into words by the jieba-rs segmenter: a name is a word ending with an
    administrative suffix (杨浦区, 景德镇市), or a place-name word followed by a suffix word
    (大足 区, 乐都 区). Words that only look like names (全市, 辖区, 城市) are not names.
    """
    import rjieba

    rules = _rules()
    words = rjieba.tag(text)
    found: list[tuple[str, str, int]] = []
    offset = 0
    for index, (word, tag) in enumerate(words):
        start, offset = offset, offset + len(word)
        if tag == "x" or word in rules.one_char_suffixes:
            continue
        name = word
        following = words[index + 1][0] if index + 1 < len(words) else ""
        if tag in ("ns", "nz", "nr") and following in rules.suffix_words and not suffix_level(word):
            name = word + following
        level = suffix_level(name, strict=True)
        if level and len(name) == 2 and name[-1] != "县":
            continue  # one-character names are counties (赵县); 跨省, 广州 (广州市) are not
        if level:
            found.append((name, level, start))
    seen = {start for _, _, start in found}
    for match in re.finditer(rf"(?:《|〈|^)(?:\d{{4}}\s*年度?)?([{HAN}]{{2,16}})", text, re.M):
        # 《江州市临湖区…方案》: names the segmenter does not know, read as a chain
        stem = match.group(1)
        for end in range(len(stem), 1, -1):
            chain = chain_of(stem[:end])
            if chain and all(suffix_level(n, strict=True) for n, _ in chain):
                offset = match.start(1)
                for name, level in chain:
                    if offset not in seen:
                        found.append((name, level, offset))
                    offset += len(name)
                break
    return sorted(found, key=lambda item: item[2])

"""The rule files in ``lawnb/rules/``: read once, each checked against the keys it must have.

Analysts may edit these files; a missing key or a value of the wrong kind is a ``LawnbError``
naming the file and the key (never a ``KeyError`` deep in the code).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lawnb.errors import LawnbError

# The keys every rule file must have, with the kind of value (generated from the shipped files;
# a new key goes here and in its file).
_REQUIRED: dict[str, dict[str, type]] = {
    "audit.yaml": {
        **dict.fromkeys(["mandated_parts", "unit_suffixes"], list),
        **dict.fromkeys(["findings", "must_precede"], dict),
        **dict.fromkeys(
            [
                "content_min_chars",
                "group_empty_min",
                "min_measures_facts",
                "min_next_steps_targets",
            ],
            int,
        ),
        **dict.fromkeys(["content_marks", "paragraph_endings"], str),
    },
    "catalog.yaml": {
        **dict.fromkeys(["indicators"], list),
    },
    "compare.yaml": {
        **dict.fromkeys(["ordinal", "quotes"], str),
        **dict.fromkeys(["leading", "trailing"], list),
        **dict.fromkeys(["not_before"], dict),
        **dict.fromkeys(["min_length"], int),
    },
    "dimensions.yaml": {
        **dict.fromkeys(["heading_factor", "max_hits", "threshold"], int),
        **dict.fromkeys(["dimensions"], dict),
    },
    "facts.yaml": {
        **dict.fromkeys(["measures", "qualifiers_after", "qualifiers_before"], dict),
        **dict.fromkeys(
            [
                "abstract_nouns",
                "achievement_after",
                "achievement_verbs",
                "clause_qualifiers",
                "counted_after",
                "counting_verbs",
                "covered_before",
                "date_cutoffs",
                "decrease_before",
                "fixed_phrases",
                "framing_after_one",
                "frequency_measures",
                "frequency_units",
                "frequency_words",
                "generic_heads",
                "negations",
                "never_status_measures",
                "not_among",
                "not_measures",
                "people_like_measures",
                "place_after",
                "plan_clause_not_before",
                "plan_verb_not_after",
                "plan_verb_not_before",
                "plan_words",
                "qualifiers_before_measure",
                "rank_before",
                "remainder_heads",
                "remainder_label_endings",
                "remainder_links",
                "remainder_words",
                "same_count",
                "session_words",
                "shared_adverbs",
                "shared_conjunctions",
                "shared_endings",
                "shared_links",
                "signed_measures",
                "single_one_measures",
                "split_measures",
                "status_after",
                "status_anywhere",
                "status_before",
                "status_lead",
                "status_lead_time",
                "status_opening",
                "status_rates",
                "status_scope",
                "status_subjects",
                "subject_after_trailing",
                "subject_prefixes",
                "subject_stops",
                "subject_trailing",
            ],
            list,
        ),
        **dict.fromkeys(
            ["not_count_after_arabic", "not_count_after_chinese", "plan_clause_word", "plan_verb"],
            str,
        ),
    },
    "html.yaml": {
        **dict.fromkeys(["chrome_line_starts"], list),
    },
    "metadata.yaml": {
        **dict.fromkeys(
            [
                "department_suffixes",
                "government_words",
                "lead_openings",
                "metadata_keys",
                "not_in_departments",
                "not_in_names",
                "not_name_endings",
                "not_names",
                "opening_time_words",
                "page_chrome",
                "party_committee_endings",
                "publisher_keys",
                "short_form_followers",
                "short_form_not",
                "short_form_prefixes",
                "subject_followers",
                "suffix_words",
                "title_keys",
                "title_who_ends",
                "title_words",
            ],
            list,
        ),
        **dict.fromkeys(
            [
                "date_line",
                "department_function_chars",
                "doc_number",
                "function_chars",
                "party_prefix",
                "watermark",
            ],
            str,
        ),
        **dict.fromkeys(
            [
                "admin_suffixes",
                "department_aliases",
                "district_levels",
                "relative_names",
                "relative_prefixes",
                "short_form_suffix",
                "stated_district_levels",
            ],
            dict,
        ),
    },
    "parts.yaml": {
        **dict.fromkeys(["parts"], dict),
        **dict.fromkeys(["default"], str),
    },
    "structure.yaml": {
        **dict.fromkeys(["flattened_title_endings", "order_words"], list),
    },
    "subjects.yaml": {
        **dict.fromkeys(["max_length"], int),
        **dict.fromkeys(
            ["cue_words", "edge_words", "glued_after", "glued_before", "list_markers"], list
        ),
    },
    "tables.yaml": {
        **dict.fromkeys(["no_figure"], list),
    },
}

_KINDS = {list: "列表", dict: "映射（键: 值）", str: "文本", int: "整数"}


def rules_folder() -> Path:
    """The folder of the rule files shipped with lawnb."""
    return Path(str(resources.files("lawnb") / "rules"))


@cache
def load_rules(name: str) -> dict[str, Any]:
    """The mapping in ``lawnb/rules/<name>`` (e.g. ``facts.yaml``), parsed and checked once."""
    where = f"lawnb/rules/{name}"
    try:
        data = yaml.safe_load((rules_folder() / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LawnbError(f"{where}: 规则文件无法读取或不是有效的 YAML（{exc}）。") from exc
    if not isinstance(data, dict):
        raise LawnbError(f"{where}: 规则文件应为“键: 值”映射。")
    for key, kind in _REQUIRED.get(name, {}).items():
        if key not in data:
            raise LawnbError(
                f"{where}: 缺少键 {key}（应为{_KINDS[kind]}）。请补上，或从 lawnb 自带的同名文件中恢复。"
            )
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise LawnbError(
                f"{where}: 键 {key} 应为{_KINDS[kind]}，得到 {type(value).__name__}：{str(value)[:60]!r}。"
            )
    return data


def required_keys(name: str) -> dict[str, type]:
    """The keys a rule file must have, with the kind of value of each."""
    return dict(_REQUIRED.get(name, {}))

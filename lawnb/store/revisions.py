"""What changed when a report is imported again: facts added, removed, and changed value.

Old and new facts are matched first by ``fact_id`` (the same figure at the same place), then by
(section, subject, measure) in reading order, so a figure that merely moved because text was
inserted before it counts as the same fact; its new id is recorded so corrections follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lawnb.formatting import format_number, is_missing
from lawnb.store.sheets import records

KEY = ["section", "subject", "measure"]


@dataclass
class FactChanges:
    """The difference between the old and new extracted facts of one report."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # the new facts whose value changed, with ``old_value``
    moved: dict[str, str] = field(default_factory=dict)  # old fact_id -> new fact_id
    corrected: set[str] = field(default_factory=set)  # ids with a manual correction

    @property
    def empty(self) -> bool:
        """True when no fact was added, removed or changed."""
        return self.added.empty and self.removed.empty and self.changed.empty

    def summary(self) -> str:
        """“新增 2 条、删除 1 条、数值变化 3 条” (or “数据无变化”)."""
        if self.empty:
            return "数据无变化"
        return f"新增 {len(self.added)} 条、删除 {len(self.removed)} 条、数值变化 {len(self.changed)} 条"

    def lines(self) -> list[str]:
        """One line per change: “+ 一、/（一） 检查企业 350 家次”, “- …”, “~ …：344 → 350 家次”."""
        out = [f"+ {_where(r)} {_number(r['value'])} {r['measure']}" for r in records(self.added)]
        out += [
            f"- {_where(r)} {_number(r['value'])} {r['measure']}{self._note(r)}"
            for r in records(self.removed)
        ]
        out += [
            f"~ {_where(r)}：{_number(r['old_value'])} → {_number(r['value'])} "
            f"{r['measure']}{self._note(r)}"
            for r in records(self.changed)
        ]
        return out

    def _note(self, row: dict) -> str:
        return "（此数据有人工修正，修正仍然生效）" if row["fact_id"] in self.corrected else ""


def _where(row: dict) -> str:
    return f"{row.get('section') or '（无章节）'} {row.get('subject') or ''}".strip()


def _number(value: object) -> str:
    """A figure in a change list: as the pages print it, “（空）” for a blank."""
    return "（空）" if is_missing(value) else format_number(float(value), 4)  # type: ignore[arg-type]


def diff_facts(old: pd.DataFrame, new: pd.DataFrame) -> FactChanges:
    """Match a report's old and new facts; what was added, removed, or changed value."""
    old = old.reset_index(drop=True)
    new = new.reset_index(drop=True)
    pairs = _match(old, new)
    matched_old = {o for o, _ in pairs}
    matched_new = {n for _, n in pairs}
    changed = [n for o, n in pairs if not _same_value(old.at[o, "value"], new.at[n, "value"])]
    changed_frame = new.loc[changed].copy()
    changed_frame["old_value"] = [old.at[o, "value"] for o, n in pairs if n in set(changed)]
    moved = {
        old.at[o, "fact_id"]: new.at[n, "fact_id"]
        for o, n in pairs
        if old.at[o, "fact_id"] != new.at[n, "fact_id"]
    }
    return FactChanges(
        added=new.drop(index=sorted(matched_new)),
        removed=old.drop(index=sorted(matched_old)),
        changed=changed_frame.reset_index(drop=True),
        moved=moved,
    )


def _match(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[int, int]]:
    """Index pairs (old, new): same fact_id first, then same key in reading order."""
    new_by_id = {fact_id: i for i, fact_id in enumerate(new["fact_id"])}
    pairs = [(i, new_by_id[f]) for i, f in enumerate(old["fact_id"]) if f in new_by_id]
    left = old.drop(index=[o for o, _ in pairs])
    right = new.drop(index=[n for _, n in pairs])
    return pairs + _match_by_key(left, right)


def _match_by_key(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[int, int]]:
    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        keys = frame[KEY].astype(object).where(frame[KEY].notna(), "")
        keys["rank"] = keys.groupby(KEY, sort=False).cumcount()
        keys["position"] = frame.index
        return keys

    if old.empty or new.empty:
        return []
    both = keyed(old).merge(keyed(new), on=[*KEY, "rank"], suffixes=("_old", "_new"))
    return list(zip(both["position_old"], both["position_new"], strict=True))


def _same_value(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):  # type: ignore[arg-type]
        return bool(pd.isna(a) and pd.isna(b))  # type: ignore[arg-type]
    return float(a) == float(b)  # type: ignore[arg-type]

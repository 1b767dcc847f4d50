"""The five mandated parts of a report as pages show them: the order a page lists them in,
and which of them a report may leave out.

Gives part codes (``lawnb.schema.PARTS``); the Chinese names stay in the schema.
"""

from __future__ import annotations

#: The order of the mandated parts on a page (the order the reports are asked to follow).
PART_ORDER: tuple[str, ...] = (
    "measures",
    "first_responsible",
    "shortcomings",
    "next_steps",
    "other",
)
#: Mandated parts a report may leave out (其他事项: only when there is something to say).
OPTIONAL_PARTS: frozenset[str] = frozenset({"other"})

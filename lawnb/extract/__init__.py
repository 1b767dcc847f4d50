"""Stage 2, extraction: ``Report`` → facts table, the indicator catalogue, scoring.

Takes a ``Report`` of ``lawnb.read``; gives its facts (``lawnb.extract.facts.extract_facts``),
the catalogued indicator of each (``lawnb.extract.catalog``), and scores against hand-checked
answer keys (``lawnb.extract.evaluate``). Imports only ``lawnb.read`` and the shared vocabulary.
"""

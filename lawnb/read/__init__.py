"""Stage 1, reading: report files (txt, docx, html, pdf) or text → ``Report``.

Takes a document; gives its normalised text with metadata (title, unit, district, level,
year and where each was read), the section tree, the five mandated parts and the ten
dimensions (``lawnb.read.reader.read_report``). Imports only the shared vocabulary.
"""

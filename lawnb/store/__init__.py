"""lawnb.store: the on-disk dataset, a folder of CSV tables that the later stages read.

``dataset`` (the model), ``loading`` (folder → ``Dataset``), ``saving`` (``Dataset`` → folder),
``staging`` (the folder replaced in one step, its manifest), ``importing`` (report files →
folder), ``sheets``, ``column_rules`` and ``validation`` (any CSV/Excel table read as text and
checked), ``corrections`` (analysts' fixes of facts), ``report_metadata`` (where reports'
metadata came from, analysts' fixes of it, ``lawnb reports``), ``revisions`` (what a re-import
changed) and ``locking`` (one writer per folder).
"""

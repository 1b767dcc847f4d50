"""lawnb.run: params files → plans → notebook jobs; papermill execution, offline HTML export,
scheduling on a local process pool or any executor, and the index of what was made.

It takes a dataset only through the ``DatasetLike`` protocol (``lawnb.run.datasets``) and
imports none of the other stages; the CLI passes it the loader.
"""

import sys

# jsonschema, imported by nbformat, imports rfc3987_syntax when it is installed, and that builds
# ~35 Earley parsers at import time (0.9 s in every process, jsonschema#1428) for the "iri"
# formats that no notebook schema uses. Without it jsonschema just skips those two formats.
# Here, so that it runs before any module of this package (or a worker) imports nbformat.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

"""``python -m lawnb.cli``: the ``lawnb`` command."""

from lawnb.cli import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""The public API: every name of ``lawnb.__all__`` is the function or class it names, before and
after every submodule has been imported (a submodule of the same name must not shadow it)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import lawnb


def _all_submodules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(lawnb.__path__, prefix="lawnb.")
        if not info.name.endswith("__main__")
    )


def test_every_public_name_is_a_function_or_class_after_every_submodule_is_imported():
    code = (
        "import importlib, inspect, pkgutil, lawnb\n"
        "for info in pkgutil.walk_packages(lawnb.__path__, prefix='lawnb.'):\n"
        "    if not info.name.endswith('__main__'): importlib.import_module(info.name)\n"
        "bad = [n for n in lawnb._LAZY if inspect.ismodule(getattr(lawnb, n))]\n"
        "bad += [n for n in lawnb._LAZY if not callable(getattr(lawnb, n))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"public names shadowed or not callable: {out.stdout}"


def test_each_public_name_comes_from_the_module_that_defines_it():
    for name, module in lawnb._LAZY.items():
        value = getattr(importlib.import_module(module), name)
        assert getattr(lawnb, name) is value
        assert getattr(value, "__module__", module) == module, f"{name} is re-exported by {module}"


def test_the_audit_function_survives_the_audit_module():
    importlib.import_module("lawnb.analyse.audit")
    assert inspect.isfunction(lawnb.audit) and lawnb.audit.__module__ == "lawnb.analyse.audit"
    assert len(_all_submodules()) > 60

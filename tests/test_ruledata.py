"""The rule files: each is checked against the keys it must have; deleting any key, or giving it
a value of the wrong kind, is a LawnbError naming the file and the key, never a KeyError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lawnb import ruledata
from lawnb.errors import LawnbError

SHIPPED = ruledata.rules_folder()
FILES = sorted(p.name for p in SHIPPED.glob("*.yaml"))
CASES = [(name, key) for name in FILES for key in ruledata.required_keys(name)]


@pytest.fixture
def rules(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped rule files that the loader reads instead."""
    folder = tmp_path / "rules"
    shutil.copytree(SHIPPED, folder)
    monkeypatch.setattr(ruledata, "rules_folder", lambda: folder)
    ruledata.load_rules.cache_clear()
    yield folder
    ruledata.load_rules.cache_clear()


def _rewrite(folder: Path, name: str, change) -> None:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    change(data)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_every_rule_file_has_its_keys_listed_and_loads():
    assert len(FILES) >= 11 and len(CASES) >= 120
    for name in FILES:
        assert ruledata.required_keys(name), f"{name} has no required keys listed in ruledata"
        assert set(ruledata.required_keys(name)) <= set(ruledata.load_rules(name))


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n}:{k}" for n, k in CASES])
def test_a_missing_key_names_the_file_and_the_key(rules, name, key):
    _rewrite(rules, name, lambda data: data.pop(key))
    with pytest.raises(LawnbError) as caught:
        ruledata.load_rules(name)
    assert f"lawnb/rules/{name}" in str(caught.value) and f"缺少键 {key}" in str(caught.value)


@pytest.mark.parametrize("name", FILES)
def test_a_value_of_the_wrong_kind_names_the_key(rules, name):
    key, kind = next(iter(ruledata.required_keys(name).items()))
    wrong = 7 if kind is not int else "七"
    _rewrite(rules, name, lambda data: data.__setitem__(key, wrong))
    with pytest.raises(LawnbError, match=f"键 {key} 应为"):
        ruledata.load_rules(name)


def test_a_file_that_is_not_a_mapping_or_not_yaml_is_refused(rules):
    (rules / "facts.yaml").write_text("- 只是一个列表\n", encoding="utf-8")
    with pytest.raises(LawnbError, match="映射"):
        ruledata.load_rules("facts.yaml")
    (rules / "subjects.yaml").write_text("max_length: [\n", encoding="utf-8")
    with pytest.raises(LawnbError, match="YAML"):
        ruledata.load_rules("subjects.yaml")

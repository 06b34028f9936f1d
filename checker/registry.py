"""Collect every rule class once per process by walking the ``rules`` package.

A rule module is any ``rules/<family>/oaNNN_<slug>.py``; it defines exactly one concrete subclass
of a rule base class whose ``id`` is set. Adding a rule touches that one module only.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from pathlib import Path

from checker.collector import imports_frozen
from checker.rule import ConfigRule, ProjectRule, Rule, TextRule

_RULE_MODULE = re.compile(r"^oa\d{3}_[a-z0-9_]+$")
_ID = re.compile(r"^OA\d{3}$")


class RegistryError(Exception):
    pass


def rule_source_dirs() -> list[Path]:
    """The directories of the ``rules`` package (its ``__init__`` only is imported, not a rule)."""
    import rules

    return [Path(base) for base in rules.__path__]


def _rule_modules() -> list[str]:
    import rules

    names: list[str] = []
    for family in pkgutil.iter_modules(rules.__path__):
        if not family.ispkg or family.name.startswith("_"):
            continue
        package = importlib.import_module(f"rules.{family.name}")
        for module in pkgutil.iter_modules(package.__path__):
            if _RULE_MODULE.match(module.name):
                names.append(f"rules.{family.name}.{module.name}")
    return sorted(names)


def _classes_in(module_name: str) -> list[type[Rule]]:
    module = importlib.import_module(module_name)
    found = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module_name and obj.__dict__.get("id")
    ]
    if len(found) != 1:
        raise RegistryError(f"{module_name} must define exactly one rule class (found {len(found)})")
    return found


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every registered rule class, sorted by id."""
    classes: list[type[Rule]] = []
    with imports_frozen():
        for module_name in _rule_modules():
            classes.extend(_classes_in(module_name))
    seen: dict[str, str] = {}
    for cls in classes:
        if not _ID.match(cls.id):
            raise RegistryError(f"{cls.__module__}: invalid rule id {cls.id!r}")
        if cls.id in seen:
            raise RegistryError(f"duplicate rule id {cls.id} in {cls.__module__} and {seen[cls.id]}")
        seen[cls.id] = cls.__module__
    return tuple(sorted(classes, key=lambda c: c.id))


def rule_by_id(rule_id: str) -> type[Rule] | None:
    for cls in all_rules():
        if cls.id == rule_id.upper():
            return cls
    return None


def known_ids() -> frozenset[str]:
    """Every rule id, without importing the rules when the catalog snapshot is current."""
    from checker.catalog import known_ids as catalog_ids

    return catalog_ids()


def matches_selector(rule_id: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """``OA2`` selects OA201…; ``OA301`` selects exactly that rule; ``ALL`` selects everything."""
    return any(rule_id.startswith(s.upper()) or s.upper() == "ALL" for s in selectors)


def is_valid_selector(selector: str) -> bool:
    s = selector.upper()
    return s in ("ALL", "OA") or any(rule_id.startswith(s) for rule_id in known_ids())


def select_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[Rule], ...]:
    return tuple(c for c in all_rules() if matches_selector(c.id, select) and not matches_selector(c.id, ignore))


def split_by_kind(rules: tuple[type[Rule], ...]) -> dict[str, tuple[type[Rule], ...]]:
    """Group rules by base class: "python", "config", "text", "project"."""
    groups: dict[str, list[type[Rule]]] = {"python": [], "config": [], "text": [], "project": []}
    for cls in rules:
        if issubclass(cls, ProjectRule):
            groups["project"].append(cls)
        elif issubclass(cls, ConfigRule):
            groups["config"].append(cls)
        elif issubclass(cls, TextRule):
            groups["text"].append(cls)
        else:
            groups["python"].append(cls)
    return {k: tuple(v) for k, v in groups.items()}

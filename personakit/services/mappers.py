"""Mapper configs: validation of their JSON, versioning, activation, and rule evaluation.

A configuration is ``{"metadata": {...}, "rules": [rule, ...]}``. A rule is
``{"id", "conditions", "actions"}``; ``conditions`` is a group ``{"all": [...]}`` or
``{"any": [...]}`` whose items are ``trait_check`` conditions or, nested, further groups (up to
``MAX_GROUP_DEPTH`` deep). A ``trait_check`` is ``{"type": "trait_check", "trait":
"work.chronotype", "operator": ..., "value": ...}``, the trait a dot path into the mindscape.
An action is ``{"template": str, "priority": "low"|"medium"|"high"|"critical", "type": str}``
(``type`` defaults to ``suggestion``). ``metadata.ttl_hours`` (optional, > 0) overrides the
personas' 24-hour time to live.

Evaluation: a trait that is missing (or null) fails every check except ``exists`` with
``value: false``; a type mismatch (``gt`` against a string, say) fails the check instead of
raising. ``contains`` means: the trait (a list or string) contains the value, or the trait (an
object) has the value as a key.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max

from personakit.choices import MapperStatus
from personakit.models import MapperConfig

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

OPERATORS = ("equals", "not_equals", "in", "gt", "gte", "lt", "lte", "exists", "contains")
NUMERIC_OPERATORS = {"gt", "gte", "lt", "lte"}
PRIORITIES = ("low", "medium", "high", "critical")
PRIORITY_RANK = {name: rank for rank, name in enumerate(PRIORITIES)}
GROUPS = ("all", "any")
MAX_GROUP_DEPTH = 5
MAX_TTL_HOURS = 24 * 365
DRAFT_FIELDS = ("configuration", "metadata")  # what a draft's author may still change
_MISSING = object()


@dataclass(frozen=True)
class RuleAction:
    template: str
    priority: str
    type: str = "suggestion"


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    actions: tuple[RuleAction, ...]


class MapperNotDraft(Exception):
    """Only a draft's configuration may change; active and deprecated versions are history."""

    def __init__(self, mapper: MapperConfig) -> None:
        super().__init__(
            f"{mapper.config_id} v{mapper.version} is {mapper.status}; its configuration is "
            "immutable. Create a new version instead."
        )


# --- validation ---------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.by_path: dict[str, list[ValidationError]] = {}

    def add(self, path: str, message: str, code: str = "invalid") -> None:
        self.by_path.setdefault(path, []).append(ValidationError(message, code=code))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def mapper_validate(configuration: Any) -> None:
    """Check a mapper configuration; raise ``ValidationError`` keyed by dotted paths.

    Paths start at ``configuration`` (``configuration.rules.0.conditions.all.1.operator``).
    """
    errors = _Errors()
    root = "configuration"
    if not isinstance(configuration, dict):
        errors.add(root, "Must be an object with 'metadata' and 'rules'.")
        raise ValidationError(errors.by_path)
    _validate_metadata(configuration.get("metadata", _MISSING), f"{root}.metadata", errors)
    rules = configuration.get("rules", _MISSING)
    if not isinstance(rules, list) or not rules:
        errors.add(f"{root}.rules", "Must be a non-empty list of rules.")
    else:
        seen: set[str] = set()
        for index, rule in enumerate(rules):
            _validate_rule(rule, f"{root}.rules.{index}", seen, errors)
    unknown = set(configuration) - {"metadata", "rules"}
    if unknown:
        errors.add(root, f"Unknown keys {sorted(unknown)}; use 'metadata' and 'rules'.")
    if errors.by_path:
        raise ValidationError(errors.by_path)


def _validate_metadata(metadata: Any, path: str, errors: _Errors) -> None:
    if not isinstance(metadata, dict):
        errors.add(path, "Must be an object (name, description, author, ttl_hours).")
        return
    for key in ("id", "name", "description", "author"):
        if key in metadata and not isinstance(metadata[key], str):
            errors.add(f"{path}.{key}", "Must be a string.")
    if "ttl_hours" in metadata:
        ttl = metadata["ttl_hours"]
        if not _is_number(ttl) or not 0 < ttl <= MAX_TTL_HOURS:
            errors.add(f"{path}.ttl_hours", f"Must be a number of hours in (0, {MAX_TTL_HOURS}].")


def _validate_rule(rule: Any, path: str, seen: set[str], errors: _Errors) -> None:
    if not isinstance(rule, dict):
        errors.add(path, "Must be an object with 'id', 'conditions' and 'actions'.")
        return
    rule_id = rule.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        errors.add(f"{path}.id", "Must be a non-empty string.")
    elif rule_id in seen:
        errors.add(f"{path}.id", f"Duplicate rule id '{rule_id}'.", code="unique")
    else:
        seen.add(rule_id)
    _validate_group(rule.get("conditions", _MISSING), f"{path}.conditions", 1, errors)
    actions = rule.get("actions", _MISSING)
    if not isinstance(actions, list) or not actions:
        errors.add(f"{path}.actions", "Must be a non-empty list of actions.")
        return
    for index, action in enumerate(actions):
        _validate_action(action, f"{path}.actions.{index}", errors)


def _validate_group(group: Any, path: str, depth: int, errors: _Errors) -> None:
    if not isinstance(group, dict) or len(group) != 1 or next(iter(group)) not in GROUPS:
        errors.add(path, "Must be an object with exactly one key, 'all' or 'any'.")
        return
    if depth > MAX_GROUP_DEPTH:
        errors.add(path, f"Condition groups nest at most {MAX_GROUP_DEPTH} deep.")
        return
    kind, items = next(iter(group.items()))
    if not isinstance(items, list) or not items:
        errors.add(f"{path}.{kind}", "Must be a non-empty list of conditions.")
        return
    for index, item in enumerate(items):
        item_path = f"{path}.{kind}.{index}"
        if isinstance(item, dict) and "type" not in item and set(item) & set(GROUPS):
            _validate_group(item, item_path, depth + 1, errors)
        else:
            _validate_condition(item, item_path, errors)


def _validate_condition(condition: Any, path: str, errors: _Errors) -> None:
    if not isinstance(condition, dict):
        errors.add(path, "Must be a trait_check object or a nested 'all'/'any' group.")
        return
    if condition.get("type") != "trait_check":
        errors.add(f"{path}.type", "Must be 'trait_check'.")
    trait = condition.get("trait")
    if not isinstance(trait, str) or not all(part.strip() for part in trait.split(".")):
        errors.add(f"{path}.trait", "Must be a dot path of non-empty names (work.chronotype).")
    operator = condition.get("operator")
    if operator not in OPERATORS:
        errors.add(f"{path}.operator", f"Unknown operator {operator!r}; use one of {OPERATORS}.")
        return
    value = condition.get("value", _MISSING)
    if operator == "exists":
        if value is not _MISSING and not isinstance(value, bool):
            errors.add(f"{path}.value", "Must be true or false (default true) for 'exists'.")
    elif value is _MISSING:
        errors.add(f"{path}.value", f"Required for operator '{operator}'.")
    elif operator == "in" and not isinstance(value, list):
        errors.add(f"{path}.value", "Must be a list for 'in'.")
    elif operator in NUMERIC_OPERATORS and not _is_number(value):
        errors.add(f"{path}.value", f"Must be a number for '{operator}'.")


def _validate_action(action: Any, path: str, errors: _Errors) -> None:
    if not isinstance(action, dict):
        errors.add(path, "Must be an object with 'template' and 'priority'.")
        return
    template = action.get("template")
    if not isinstance(template, str) or not template.strip():
        errors.add(f"{path}.template", "Must be a non-empty string.")
    if action.get("priority") not in PRIORITIES:
        errors.add(f"{path}.priority", f"Must be one of {PRIORITIES}.")
    if "type" in action and (not isinstance(action["type"], str) or not action["type"]):
        errors.add(f"{path}.type", "Must be a non-empty string.")


# --- evaluation ---------------------------------------------------------------------------


def trait_value(traits: dict, path: str) -> Any:
    """The value at dot ``path`` in ``traits``, or ``_MISSING``."""
    node: Any = traits
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return _MISSING if node is None else node


def _check(condition: dict, traits: dict) -> bool:
    actual = trait_value(traits, condition["trait"])
    operator, expected = condition["operator"], condition.get("value", True)
    if operator == "exists":
        return (actual is not _MISSING) is bool(expected)
    if actual is _MISSING:
        return False
    try:
        match operator:
            case "equals":
                return actual == expected
            case "not_equals":
                return actual != expected
            case "in":
                return actual in expected
            case "contains":
                return expected in actual if isinstance(actual, list | str | dict) else False
            case "gt":
                return _is_number(actual) and actual > expected
            case "gte":
                return _is_number(actual) and actual >= expected
            case "lt":
                return _is_number(actual) and actual < expected
            case "lte":
                return _is_number(actual) and actual <= expected
    except TypeError:  # e.g. a list trait against 'contains' of a dict value
        return False
    return False


def _group_holds(group: dict, traits: dict) -> bool:
    kind, items = next(iter(group.items()))
    results = (
        _check(item, traits) if item.get("type") == "trait_check" else _group_holds(item, traits)
        for item in items
    )
    return all(results) if kind == "all" else any(results)


def mapper_evaluate(*, configuration: dict, traits: dict) -> list[FiredRule]:
    """The rules of a (valid) configuration whose conditions hold for ``traits``, in order."""
    fired = []
    for rule in configuration["rules"]:
        if _group_holds(rule["conditions"], traits or {}):
            actions = tuple(
                RuleAction(a["template"], a["priority"], a.get("type", "suggestion"))
                for a in rule["actions"]
            )
            fired.append(FiredRule(rule_id=rule["id"], actions=actions))
    return fired


def referenced_traits(configuration: dict) -> set[str]:
    """Every trait path a configuration's conditions read."""
    paths: set[str] = set()

    def walk(group: dict) -> None:
        for item in next(iter(group.values())):
            if item.get("type") == "trait_check":
                paths.add(item["trait"])
            else:
                walk(item)

    for rule in configuration["rules"]:
        walk(rule["conditions"])
    return paths


# --- versions -----------------------------------------------------------------------------


def _lock_config_id(config_id: str) -> None:
    # Serialises writers of one config_id (new versions, activations) until commit; other
    # config_ids proceed in parallel. The unique constraints stay the guarantee underneath.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"personakit.mapper_configs:{config_id}"],
        )


def mapper_create_version(
    *, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> MapperConfig:
    """Create the next version of ``data["config_id"]`` as a draft (version 1 for a new one).

    ``data`` has ``config_id``, ``configuration`` and optionally ``metadata``.
    """
    config_id, configuration = data.get("config_id"), data.get("configuration")
    mapper_validate(configuration)
    with transaction.atomic():
        _lock_config_id(str(config_id))
        latest = MapperConfig.objects.filter(config_id=config_id).aggregate(v=Max("version"))["v"]
        mapper = MapperConfig(
            config_id=config_id,
            version=(latest or 0) + 1,
            configuration=configuration,
            metadata=data.get("metadata"),
            status=MapperStatus.DRAFT,
            created_by=user,
        )
        mapper.full_clean()
        mapper.save()
    return mapper


def mapper_update_draft(
    *, mapper: MapperConfig, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> MapperConfig:
    """Change a draft's ``configuration`` or ``metadata`` (those given in ``data``).

    Raises ``MapperNotDraft`` for an active or deprecated version.
    """
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    if "configuration" in data:
        mapper_validate(data["configuration"])
    with transaction.atomic():
        locked = MapperConfig.objects.select_for_update().get(pk=mapper.pk)
        if locked.status != MapperStatus.DRAFT:
            raise MapperNotDraft(locked)
        for field, value in data.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save(update_fields=list(DRAFT_FIELDS))
    return locked


def mapper_activate(*, mapper: MapperConfig) -> MapperConfig:
    """Make ``mapper`` the active version of its config_id, deprecating the one before.

    Both happen in one transaction. Concurrent activations of one config_id queue on a lock
    and apply in turn, so each succeeds and the last one wins; the partial unique index
    ``idx_mapper_configs_active`` guarantees a single active version whatever happens.
    A deprecated version may be activated again (a rollback); an active one is left as is.
    """
    with transaction.atomic():
        _lock_config_id(mapper.config_id)
        MapperConfig.objects.filter(config_id=mapper.config_id, status=MapperStatus.ACTIVE).exclude(
            pk=mapper.pk
        ).update(status=MapperStatus.DEPRECATED)
        MapperConfig.objects.filter(pk=mapper.pk).update(status=MapperStatus.ACTIVE)
    mapper.refresh_from_db()
    return mapper

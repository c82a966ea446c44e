"""ON DELETE in the database, from each foreign key's ``on_delete``.

Django creates foreign keys without a database-level ON DELETE and acts in Python, so a raw
SQL ``DELETE`` (a seed query, psql, another service) would fail on, or orphan, the rows that
point at it. The model's ``on_delete`` is the declaration: ``ApplyOnDeleteRules()``, last in
an app's migrations, gives every foreign-key constraint of the app's tables the rule it
implies, and ``on_delete_drift()`` reports where database and models disagree (a test and the
database-health page run it over every app).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.operations.base import Operation, OperationCategory

from config.database import quote_qualified, table_name

CASCADE, SET_NULL, NO_ACTION = "CASCADE", "SET NULL", "NO ACTION"
# pg_constraint.confdeltype
_RULES = {"a": NO_ACTION, "r": "RESTRICT", "c": CASCADE, "n": SET_NULL, "d": "SET DEFAULT"}
_ON_DELETE_CLAUSE = re.compile(
    r" ON DELETE (?:NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)(?: \([^)]*\))?"
)
# What pg_get_constraintdef() prints after the ON DELETE clause.
_DEFINITION_TAIL = re.compile(
    r"^(?P<head>.*?)(?P<tail>(?: DEFERRABLE)?(?: INITIALLY DEFERRED)?(?: NOT ENFORCED)?"
    r"(?: NOT VALID)?)$"
)
_FOREIGN_KEYS_SQL = """
SELECT m.name, a.attname, c.conname, c.confdeltype, pg_get_constraintdef(c.oid)
FROM unnest(%s::text[]) AS m(name)
JOIN pg_constraint c
  ON c.conrelid = to_regclass(m.name) AND c.contype = 'f' AND cardinality(c.conkey) = 1
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
ORDER BY m.name, a.attname, c.conname
"""
_SCHEMA_FOREIGN_KEYS_SQL = """
SELECT n.nspname || '.' || t.relname, c.conname
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND c.conparentid = 0 AND n.nspname = ANY(%s)
ORDER BY 1, 2
"""


def database_rule(field: models.ForeignKey) -> str:
    """The ON DELETE that ``field.on_delete`` implies.

    CASCADE and SET_NULL the database can do itself; PROTECT, RESTRICT, DO_NOTHING, SET() and
    SET_DEFAULT stay Python's job, and the database only refuses to leave an orphan.
    """
    on_delete = field.remote_field.on_delete
    if on_delete is models.CASCADE:
        return CASCADE
    if on_delete is models.SET_NULL:
        return SET_NULL
    return NO_ACTION


@dataclass(frozen=True)
class ForeignKeyRule:
    """One foreign key of a model beside its constraint; ``constraint`` None: none exists."""

    model: str
    field: str
    table: str
    column: str
    expected: str
    constraint: str | None = None
    actual: str | None = None
    definition: str | None = None

    @property
    def drifts(self) -> bool:
        return self.actual != self.expected


def lucid_models() -> list[type[models.Model]]:
    """Every model of ``settings.LUCID_APPS``, auto-created many-to-many tables included."""
    return [
        model
        for label in settings.LUCID_APPS
        for model in global_apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def foreign_key_rules(
    model_classes: Iterable[type[models.Model]], using: str = DEFAULT_DB_ALIAS
) -> list[ForeignKeyRule]:
    """Every constrained foreign key of these (managed) models, with the rule in the database."""
    fields = [
        (model, field)
        for model in model_classes
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
        for field in model._meta.local_fields
        if isinstance(field, models.ForeignKey) and field.db_constraint
    ]
    quoted = sorted({quote_qualified(table_name(model._meta.db_table)) for model, _ in fields})
    with connections[using].cursor() as cursor:
        cursor.execute(_FOREIGN_KEYS_SQL, [quoted])
        constraints: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for name, column, conname, code, definition in cursor.fetchall():
            constraints.setdefault((name, column), []).append((conname, code, definition))

    rules = []
    for model, field in fields:
        table = table_name(model._meta.db_table)
        found = constraints.get((quote_qualified(table), field.column), [(None, None, None)])
        for conname, code, definition in found:
            rules.append(
                ForeignKeyRule(
                    model=model._meta.label,
                    field=field.name,
                    table=table,
                    column=field.column,
                    expected=database_rule(field),
                    constraint=conname,
                    actual=_RULES.get(code) if code else None,
                    definition=definition,
                )
            )
    return rules


def on_delete_drift(
    model_classes: Iterable[type[models.Model]] | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[ForeignKeyRule]:
    """Foreign keys whose database rule is not what their ``on_delete`` implies (or that have
    no constraint); by default over every model of the five apps."""
    chosen = lucid_models() if model_classes is None else model_classes
    return [rule for rule in foreign_key_rules(chosen, using) if rule.drifts]


def unmodelled_foreign_keys(
    model_classes: Iterable[type[models.Model]] | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[str, str]]:
    """``(table, constraint)`` of foreign keys in the apps' schemas that no model declares.

    Such a constraint (added by raw SQL) has no ``on_delete`` to check it against.
    """
    chosen = lucid_models() if model_classes is None else list(model_classes)
    declared = {(rule.table, rule.constraint) for rule in foreign_key_rules(chosen, using)}
    with connections[using].cursor() as cursor:
        cursor.execute(_SCHEMA_FOREIGN_KEYS_SQL, [list(settings.LUCID_APPS)])
        return [row for row in cursor.fetchall() if row not in declared]


def set_rule_sql(rule: ForeignKeyRule, on_delete: str) -> str:
    """``ALTER TABLE`` giving ``rule``'s constraint ``on_delete``; its columns, target and
    deferral (Django's DEFERRABLE INITIALLY DEFERRED) stay as they are."""
    if not (rule.constraint and rule.definition):
        raise ValueError(f"{rule.table}.{rule.column} has no foreign-key constraint to alter")
    match = _DEFINITION_TAIL.match(_ON_DELETE_CLAUSE.sub("", rule.definition))
    clause = "" if on_delete == NO_ACTION else f" ON DELETE {on_delete}"
    definition = f"{match['head']}{clause}{match['tail']}"
    return (
        f'ALTER TABLE {quote_qualified(rule.table)} DROP CONSTRAINT "{rule.constraint}", '
        f'ADD CONSTRAINT "{rule.constraint}" {definition}'
    )


class ApplyOnDeleteRules(Operation):
    """Give every foreign key of this app's tables the ON DELETE its ``on_delete`` implies.

    Reads the historical models, so it belongs last in an app's migrations (add it again after
    adding a foreign key). Idempotent: constraints that already agree are left alone.
    Unapplying sets them back to NO ACTION, as Django creates them.
    """

    reduces_to_sql = False  # what it alters depends on the database it finds
    category = OperationCategory.ALTERATION

    def state_forwards(self, app_label: str, state: object) -> None:
        pass  # the models do not change, only their constraints

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        for rule in self._rules(app_label, schema_editor, to_state):
            if rule.constraint and rule.drifts:
                schema_editor.execute(set_rule_sql(rule, rule.expected))

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        for rule in self._rules(app_label, schema_editor, from_state):
            if rule.constraint and rule.actual != NO_ACTION:
                schema_editor.execute(set_rule_sql(rule, NO_ACTION))

    def describe(self) -> str:
        return "Set each foreign key's ON DELETE in the database from its on_delete"

    @property
    def migration_name_fragment(self) -> str:
        return "on_delete_rules"

    def _rules(self, app_label, schema_editor, state) -> Sequence[ForeignKeyRule]:
        alias = schema_editor.connection.alias
        app_models = [
            model
            for model in state.apps.get_models(include_auto_created=True)
            if model._meta.app_label == app_label and self.allow_migrate_model(alias, model)
        ]
        return foreign_key_rules(app_models, using=alias)

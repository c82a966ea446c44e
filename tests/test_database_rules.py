"""Rules declared beside the models and kept by the database: every foreign key's ON DELETE
(the models' ``on_delete``), and the row-level security policies made for a list of tables."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from config.database.on_delete import (
    CASCADE,
    NO_ACTION,
    SET_NULL,
    ApplyOnDeleteRules,
    database_rule,
    foreign_key_rules,
    lucid_models,
    on_delete_drift,
    set_rule_sql,
    unmodelled_foreign_keys,
)
from config.database.policies import (
    grant_to_authenticated,
    owner_policies,
    tables_with_policies,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DREAMCATCHER_POLICY_TABLES = (
    "dreams",
    "fragments",
    "implementations",
    "sync_sessions",
    "documents",
    "todos",
)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def describe(rules):
    return "\n".join(
        f"{rule.table}.{rule.column} ({rule.model}.{rule.field}): on_delete implies "
        f"{rule.expected}, the database has {rule.actual or 'no constraint'}"
        for rule in rules
    )


def rule_for(table, column):
    (rule,) = [
        rule
        for rule in foreign_key_rules(lucid_models())
        if (rule.table, rule.column) == (table, column)
    ]
    return rule


def run_operation(operation, app_label, backwards=False):
    state = MigrationExecutor(connection).loader.project_state()
    with connection.schema_editor() as editor:
        if backwards:
            operation.database_backwards(app_label, editor, state, state)
        else:
            operation.database_forwards(app_label, editor, state, state)


# --- ON DELETE ------------------------------------------------------------------------------


def test_every_foreign_key_in_the_database_has_its_models_on_delete():
    rules = foreign_key_rules(lucid_models())

    declared = {
        (model._meta.label, field.name)
        for model in lucid_models()
        if model._meta.managed
        for field in model._meta.local_fields
        if isinstance(field, models.ForeignKey)
    }
    assert {(rule.model, rule.field) for rule in rules} == declared  # the walk misses none
    schemas = {rule.table.split(".")[0] for rule in rules}
    assert {"dreamcatcher", "personakit", "public"} <= schemas <= {*settings.LUCID_APPS, "public"}
    assert not [rule for rule in rules if rule.drifts], describe(r for r in rules if r.drifts)
    assert unmodelled_foreign_keys() == [], "a foreign key in the apps' schemas has no model"


def test_the_models_declare_what_the_one_shot_sql_did():
    rules = foreign_key_rules(lucid_models())
    by_app = {
        app: {
            (rule.table, rule.column): rule.actual
            for rule in rules
            if rule.model.startswith(f"{app}.")
        }
        for app in ("dreamcatcher", "personakit")
    }

    # dreamcatcher/sql/0008: everything cascades but a dream's brand.
    assert by_app["dreamcatcher"].pop(("dreamcatcher.dreams", "brand")) == NO_ACTION
    assert set(by_app["dreamcatcher"].values()) == {CASCADE}
    # personakit/sql/0004: authorship and the generating mapper are set to NULL.
    set_null = {key: rule for key, rule in by_app["personakit"].items() if rule == SET_NULL}
    assert {column for _, column in set_null} == {"created_by", "mapper_id"}
    assert {rule for key, rule in by_app["personakit"].items() if key not in set_null} == {CASCADE}


def test_the_checker_reports_a_flipped_constraint_and_the_operation_fixes_it():
    dreams_owner = rule_for("dreamcatcher.dreams", "user_id")
    sql(set_rule_sql(dreams_owner, NO_ACTION))

    (drift,) = on_delete_drift()
    assert (drift.table, drift.column, drift.expected, drift.actual) == (
        "dreamcatcher.dreams",
        "user_id",
        CASCADE,
        NO_ACTION,
    )
    assert sql(
        "SELECT condeferrable, condeferred FROM pg_constraint "
        "WHERE conname = %s AND conrelid = 'dreamcatcher.dreams'::regclass",
        [dreams_owner.constraint],
    ) == [(True, True)], "Django's DEFERRABLE INITIALLY DEFERRED is kept"

    run_operation(ApplyOnDeleteRules(), "dreamcatcher")

    assert on_delete_drift() == []


def test_the_operation_is_idempotent_and_unapplies_to_no_action():
    with CaptureQueriesContext(connection) as queries:
        run_operation(ApplyOnDeleteRules(), "personakit")  # already applied
    assert not [query for query in queries if query["sql"].startswith("ALTER")]

    run_operation(ApplyOnDeleteRules(), "personakit", backwards=True)

    actual = {
        r.actual for r in foreign_key_rules(lucid_models()) if r.model.startswith("personakit.")
    }
    assert actual == {NO_ACTION}
    assert rule_for("dreamcatcher.dreams", "user_id").actual == CASCADE  # other apps untouched
    run_operation(ApplyOnDeleteRules(), "personakit")
    assert on_delete_drift() == []


def test_a_raw_delete_of_an_account_takes_its_group_memberships_with_it():
    owner = UserFactory()
    owner.groups.add(Group.objects.create(name="curators"))

    sql("DELETE FROM users WHERE id = %s", [owner.pk])
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks run now, not at a commit

    assert sql("SELECT count(*) FROM users_groups WHERE user_id = %s", [owner.pk]) == [(0,)]


@pytest.mark.parametrize(
    ("on_delete", "rule"),
    [
        (models.CASCADE, CASCADE),
        (models.SET_NULL, SET_NULL),
        (models.PROTECT, NO_ACTION),
        (models.RESTRICT, NO_ACTION),
        (models.DO_NOTHING, NO_ACTION),
        (models.SET_DEFAULT, NO_ACTION),
    ],
)
def test_on_delete_maps_to_the_database_rule(on_delete, rule):
    field = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=on_delete, null=True)
    assert database_rule(field) == rule


# --- row-level security policies ------------------------------------------------------------


@pytest.fixture
def notes_table():
    """``rls_probe.notes``: a table of per-user rows, in a schema of its own (rolled back)."""
    sql("CREATE SCHEMA rls_probe")
    sql("CREATE TABLE rls_probe.notes (id serial PRIMARY KEY, user_id uuid, body text)")
    tables_with_policies.cache_clear()
    yield "rls_probe.notes"
    tables_with_policies.cache_clear()


def policies_of(schema, table):
    return sql(
        "SELECT policyname, permissive, roles, cmd, qual, with_check FROM pg_policies "
        "WHERE schemaname = %s AND tablename = %s",
        [schema, table],
    )


def test_generated_policies_are_the_ones_dreamcatcher_wrote_by_hand(notes_table):
    run_operation(grant_to_authenticated("rls_probe"), "lucid")
    run_operation(owner_policies("rls_probe", ["notes"]), "lucid")

    (generated,) = policies_of("rls_probe", "notes")
    (by_hand,) = policies_of("dreamcatcher", "dreams")
    assert generated[0] == "notes_user_policy"
    assert generated[1:] == by_hand[1:]  # permissive, roles, command, USING, WITH CHECK
    assert sql("SELECT relrowsecurity FROM pg_class WHERE oid = 'rls_probe.notes'::regclass") == [
        (True,)
    ]
    assert sql("SELECT has_table_privilege('authenticated', 'rls_probe.notes', 'DELETE')") == [
        (True,)
    ]


def test_policies_let_a_caller_see_only_their_rows(notes_table, user, other_user):
    run_operation(grant_to_authenticated("rls_probe"), "lucid")
    run_operation(owner_policies("rls_probe", ["notes"]), "lucid")
    sql(
        "INSERT INTO rls_probe.notes (user_id, body) VALUES (%s, 'mine'), (%s, 'theirs')",
        [user.pk, other_user.pk],
    )

    sql(
        "SELECT set_config('role', 'authenticated', true), "
        "set_config('app.current_user_id', %s, true)",
        [str(user.pk)],
    )
    try:
        assert sql("SELECT body FROM rls_probe.notes") == [("mine",)]
        assert sql("DELETE FROM rls_probe.notes RETURNING body") == [("mine",)]
    finally:
        sql("RESET ROLE")


def test_policies_rerun_cleanly_and_unapply(notes_table):
    operation = owner_policies("rls_probe", ["notes"])
    run_operation(operation, "lucid")
    run_operation(operation, "lucid")  # e.g. a later migration re-declaring the table
    assert len(policies_of("rls_probe", "notes")) == 1

    run_operation(operation, "lucid", backwards=True)

    assert policies_of("rls_probe", "notes") == []
    assert sql("SELECT relrowsecurity FROM pg_class WHERE oid = 'rls_probe.notes'::regclass") == [
        (False,)
    ]


def test_tables_with_policies_names_the_protected_tables(notes_table):
    before = tables_with_policies()
    assert {f"dreamcatcher.{table}" for table in DREAMCATCHER_POLICY_TABLES} <= before
    assert "dreamcatcher.tags" not in before
    assert notes_table not in before

    run_operation(owner_policies("rls_probe", ["notes"]), "lucid")

    assert tables_with_policies() is before  # read once per process
    tables_with_policies.cache_clear()
    assert notes_table in tables_with_policies()

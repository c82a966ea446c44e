"""Mapper configs: validation paths, versions, activation (also concurrent), rule evaluation."""

import copy
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from personakit.choices import MapperStatus
from personakit.models import MapperConfig
from personakit.services.mappers import (
    MapperNotDraft,
    RuleAction,
    mapper_activate,
    mapper_create_version,
    mapper_evaluate,
    mapper_update_draft,
    mapper_validate,
    referenced_traits,
)
from tests.factories import UserFactory


def check(trait, operator, value=None, **extra):
    condition = {"type": "trait_check", "trait": trait, "operator": operator, **extra}
    if value is not None:
        condition["value"] = value
    return condition


def configuration(*rules, **metadata):
    return {"metadata": {"name": "Test", **metadata}, "rules": list(rules)}


def rule(rule_id, conditions, template="Do it", priority="high"):
    return {
        "id": rule_id,
        "conditions": conditions,
        "actions": [{"type": "suggestion", "template": template, "priority": priority}],
    }


VALID = configuration(rule("morning", {"all": [check("work.chronotype", "equals", "morning")]}))


def errors_of(config) -> dict:
    with pytest.raises(ValidationError) as caught:
        mapper_validate(config)
    return caught.value.message_dict


# --- validation ---------------------------------------------------------------------------


def test_valid_configuration_passes():
    """The whole grammar, used correctly, validates unchanged, and the engine can run it."""
    every_operator = [
        check("work.chronotype", "equals", "morning"),
        check("work.chronotype", "not_equals", "evening"),
        check("work.chronotype", "in", ["morning", "afternoon"]),
        check("work.focus", "gt", 60),
        check("work.focus", "gte", 90),
        check("work.focus", "lt", 120.5),
        check("work.focus", "lte", 90),
        check("work.tools", "contains", "vscode"),
        check("work.tools", "exists"),
        check("work.breaks", "exists", False),
    ]
    nested = {"any": [check("mood", "exists"), {"all": [{"any": [check("work.focus", "gt", 1)]}]}]}
    config = configuration(
        rule("every-operator", {"all": every_operator}),
        rule("nested", nested, priority="critical"),
        ttl_hours=12.5,
        author="ada",
        description="all of it",
    )
    config["rules"][1]["actions"].append({"template": "Untyped", "priority": "low"})
    sent = copy.deepcopy(config)

    for valid in (VALID, config):
        assert mapper_validate(valid) is None
    assert config == sent
    traits = {"work": {"chronotype": "morning", "focus": 90, "tools": ["vscode"]}}
    fired = mapper_evaluate(configuration=config, traits=traits)
    assert [rule.rule_id for rule in fired] == ["every-operator", "nested"]
    assert fired[1].actions[1] == RuleAction("Untyped", "low", "suggestion")


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda c: c.pop("metadata"), "configuration.metadata"),
        (lambda c: c["metadata"].update(ttl_hours=0), "configuration.metadata.ttl_hours"),
        (lambda c: c["metadata"].update(name=5), "configuration.metadata.name"),
        (lambda c: c.update(rules=[]), "configuration.rules"),
        (lambda c: c["rules"][0].update(id=""), "configuration.rules.0.id"),
        (lambda c: c["rules"].append(copy.deepcopy(c["rules"][0])), "configuration.rules.1.id"),
        (
            lambda c: c["rules"][0].update(conditions={"some": []}),
            "configuration.rules.0.conditions",
        ),
        (
            lambda c: c["rules"][0].update(conditions={"all": []}),
            "configuration.rules.0.conditions.all",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"][0].update(type="regex"),
            "configuration.rules.0.conditions.all.0.type",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"][0].update(trait="work..x"),
            "configuration.rules.0.conditions.all.0.trait",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"][0].pop("value"),
            "configuration.rules.0.conditions.all.0.value",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"].append(check("a", "in", "x")),
            "configuration.rules.0.conditions.all.1.value",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"].append(check("a", "gt", "9")),
            "configuration.rules.0.conditions.all.1.value",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"].append(check("a", "exists", "yes")),
            "configuration.rules.0.conditions.all.1.value",
        ),
        (
            lambda c: c["rules"][0]["conditions"]["all"].append({"any": [check("a", "foo", 1)]}),
            "configuration.rules.0.conditions.all.1.any.0.operator",
        ),
        (lambda c: c["rules"][0].update(actions=[]), "configuration.rules.0.actions"),
        (
            lambda c: c["rules"][0]["actions"][0].update(template=" "),
            "configuration.rules.0.actions.0.template",
        ),
        (
            lambda c: c["rules"][0]["actions"][0].update(priority="urgent"),
            "configuration.rules.0.actions.0.priority",
        ),
        (lambda c: c.update(extra=1), "configuration"),
    ],
)
def test_validation_errors_name_the_exact_path(mutate, path):
    config = copy.deepcopy(VALID)
    mutate(config)
    assert path in errors_of(config)


def test_unknown_operator_message_lists_the_operators():
    config = configuration(
        rule("r", {"all": [check("a", "equals", 1), check("work.tool", "like", "vim")]})
    )
    errors = errors_of(config)
    message = errors["configuration.rules.0.conditions.all.1.operator"][0]
    assert "Unknown operator 'like'" in message
    assert "contains" in message
    assert list(errors) == ["configuration.rules.0.conditions.all.1.operator"]


def test_not_an_object_and_too_deep():
    assert "configuration" in errors_of([])
    group = check("a", "exists")
    for _ in range(6):
        group = {"all": [group]}
    assert any("nest at most" in m[0] for m in errors_of(configuration(rule("r", group))).values())


# --- evaluation ---------------------------------------------------------------------------

TRAITS = {
    "work": {
        "chronotype": "morning",
        "focus_minutes": 90,
        "tools": ["vim", "git"],
        "habits": {"standup": True},
        "title": "staff engineer",
        "nothing": None,
    }
}


@pytest.mark.parametrize(
    ("condition", "fires"),
    [
        (check("work.chronotype", "equals", "morning"), True),
        (check("work.chronotype", "equals", "evening"), False),
        (check("work.chronotype", "not_equals", "evening"), True),
        (check("work.chronotype", "not_equals", "morning"), False),
        (check("work.chronotype", "in", ["morning", "noon"]), True),
        (check("work.chronotype", "in", ["evening"]), False),
        (check("work.focus_minutes", "gt", 89), True),
        (check("work.focus_minutes", "gt", 90), False),
        (check("work.focus_minutes", "gte", 90), True),
        (check("work.focus_minutes", "lt", 91), True),
        (check("work.focus_minutes", "lt", 90), False),
        (check("work.focus_minutes", "lte", 90), True),
        (check("work.chronotype", "gt", 1), False),  # a string is never greater than a number
        (check("work.tools", "contains", "git"), True),
        (check("work.tools", "contains", "emacs"), False),
        (check("work.title", "contains", "engineer"), True),
        (check("work.habits", "contains", "standup"), True),
        (check("work.focus_minutes", "contains", 9), False),
        (check("work.chronotype", "exists"), True),
        (check("work.chronotype", "exists", False), False),
        # missing (and null) traits fail everything but exists: false
        (check("work.missing", "exists"), False),
        (check("work.missing", "exists", False), True),
        (check("work.nothing", "exists"), False),
        (check("work.missing", "equals", None), False),
        (check("work.missing", "not_equals", "x"), False),
        (check("work.missing", "in", ["x"]), False),
        (check("work.missing", "gt", 0), False),
        (check("work.missing", "lte", 0), False),
        (check("work.missing", "contains", "x"), False),
        (check("work.chronotype.deeper", "equals", "x"), False),
    ],
)
def test_each_operator(condition, fires):
    fired = mapper_evaluate(
        configuration=configuration(rule("r", {"all": [condition]})), traits=TRAITS
    )
    assert bool(fired) is fires


def test_all_any_and_nesting():
    morning = check("work.chronotype", "equals", "morning")
    evening = check("work.chronotype", "equals", "evening")
    config = configuration(
        rule("all-fails", {"all": [morning, evening]}),
        rule("any-holds", {"any": [evening, morning]}),
        rule(
            "nested", {"all": [morning, {"any": [evening, check("work.tools", "contains", "vim")]}]}
        ),
        rule("nested-fails", {"any": [evening, {"all": [morning, evening]}]}),
    )
    mapper_validate(config)
    fired = mapper_evaluate(configuration=config, traits=TRAITS)
    assert [f.rule_id for f in fired] == ["any-holds", "nested"]
    assert fired[0].actions == (RuleAction("Do it", "high", "suggestion"),)
    assert referenced_traits(config) == {"work.chronotype", "work.tools"}


def test_empty_traits_fire_nothing_but_exists_false():
    config = configuration(
        rule("a", {"all": [check("work.chronotype", "equals", "morning")]}),
        rule("b", {"all": [check("work.chronotype", "exists", False)]}),
    )
    assert [f.rule_id for f in mapper_evaluate(configuration=config, traits={})] == ["b"]


# --- versions and activation --------------------------------------------------------------


@pytest.mark.django_db
def test_versions_number_per_config_id_and_start_as_drafts():
    user = UserFactory()
    first = mapper_create_version(user=user, data={"config_id": "focus", "configuration": VALID})
    second = mapper_create_version(
        user=user, data={"config_id": "focus", "configuration": VALID, "metadata": {"note": "x"}}
    )
    other = mapper_create_version(user=user, data={"config_id": "other", "configuration": VALID})
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert {first.status, second.status} == {MapperStatus.DRAFT}
    assert second.created_by == user
    assert second.metadata == {"note": "x"}


@pytest.mark.django_db
def test_create_version_validates():
    with pytest.raises(ValidationError):
        mapper_create_version(
            user=None, data={"config_id": "focus", "configuration": {"rules": []}}
        )
    assert not MapperConfig.objects.exists()


@pytest.mark.django_db
def test_activation_deprecates_the_previous_version():
    v1 = mapper_create_version(user=None, data={"config_id": "focus", "configuration": VALID})
    v2 = mapper_create_version(user=None, data={"config_id": "focus", "configuration": VALID})
    other = mapper_activate(
        mapper=mapper_create_version(user=None, data={"config_id": "x", "configuration": VALID})
    )
    assert mapper_activate(mapper=v1).status == MapperStatus.ACTIVE
    assert mapper_activate(mapper=v2).status == MapperStatus.ACTIVE
    v1.refresh_from_db()
    other.refresh_from_db()
    assert v1.status == MapperStatus.DEPRECATED
    assert other.status == MapperStatus.ACTIVE  # other config_ids are untouched
    assert mapper_activate(mapper=v1).status == MapperStatus.ACTIVE  # rollback to v1
    v2.refresh_from_db()
    assert v2.status == MapperStatus.DEPRECATED


@pytest.mark.django_db
def test_only_drafts_change():
    draft = mapper_create_version(user=None, data={"config_id": "focus", "configuration": VALID})
    changed = configuration(rule("evening", {"all": [check("work.chronotype", "exists")]}))
    updated = mapper_update_draft(mapper=draft, user=None, data={"configuration": changed})
    assert updated.configuration == changed
    with pytest.raises(ValidationError):
        mapper_update_draft(mapper=draft, user=None, data={"configuration": {"rules": "no"}})
    with pytest.raises(ValidationError):
        mapper_update_draft(mapper=draft, user=None, data={"config_id": "renamed"})
    mapper_activate(mapper=draft)
    with pytest.raises(MapperNotDraft):
        mapper_update_draft(mapper=draft, user=None, data={"configuration": VALID})


def _in_threads(count, work):
    """Run ``work(index)`` in ``count`` threads released together; return results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_activations_leave_exactly_one_active():
    v1 = mapper_activate(
        mapper=mapper_create_version(user=None, data={"config_id": "c", "configuration": VALID})
    )
    contenders = [
        mapper_create_version(user=None, data={"config_id": "c", "configuration": VALID})
        for _ in range(2)
    ]
    for _ in range(5):  # a few rounds, to give the race every chance
        results = _in_threads(2, lambda i: mapper_activate(mapper=contenders[i]))
        assert not [r for r in results if isinstance(r, Exception)], results
        statuses = dict(MapperConfig.objects.filter(config_id="c").values_list("version", "status"))
        assert list(statuses.values()).count(MapperStatus.ACTIVE) == 1, statuses
        assert statuses[v1.version] == MapperStatus.DEPRECATED
        active = MapperConfig.objects.get(config_id="c", status=MapperStatus.ACTIVE)
        assert active.pk in {c.pk for c in contenders}


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_distinct_versions():
    results = _in_threads(
        4,
        lambda i: mapper_create_version(user=None, data={"config_id": "c", "configuration": VALID}),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.version for r in results) == [1, 2, 3, 4]

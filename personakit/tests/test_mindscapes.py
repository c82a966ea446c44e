"""Mindscapes: the dot-path trait tree, optimistic locking (also under concurrent threads),
and the deterministic, idempotent derivation of traits from observations."""

import random
import threading
import time
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from config.concurrency import VersionConflict
from personakit.choices import LinkType, NarrativeType
from personakit.models import Mindscape, Observation, TraitNarrativeLink
from personakit.selectors.mindscapes import trait_get
from personakit.services.mindscapes import (
    mindscape_derive,
    mindscape_for,
    mindscape_remove_trait,
    mindscape_set_trait,
    traits_derive,
)
from personakit.tasks import handle_derive_traits
from personakit.tests.factories import NarrativeFactory, ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(user):
    return PersonFactory(owner=user)


# --- the trait tree -------------------------------------------------------------------------


def test_trait_get_walks_dot_paths():
    traits = {"work": {"chronotype": "morning", "tools": {"vscode": 0.5}}}
    assert trait_get(traits, "work.chronotype") == "morning"
    assert trait_get(traits, "work.tools") == {"vscode": 0.5}
    for missing in ("work.sleep", "work.chronotype.x", "", "work..tools"):
        with pytest.raises(KeyError):
            trait_get(traits, missing)


def test_set_and_remove_bump_the_version(person):
    assert mindscape_for(person=person).version == 1
    mindscape = mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    assert (mindscape.traits, mindscape.version) == ({"work": {"chronotype": "morning"}}, 2)
    mindscape = mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    assert mindscape.version == 2  # no change, no new version
    mindscape = mindscape_set_trait(person=person, path="work.tools.vscode", value=0.5)
    mindscape = mindscape_remove_trait(person=person, path="work.chronotype", expected_version=3)
    assert (mindscape.traits, mindscape.version) == ({"work": {"tools": {"vscode": 0.5}}}, 4)
    mindscape = mindscape_remove_trait(person=person, path="work.tools.vscode")
    assert mindscape.traits == {}  # emptied groups are pruned


def test_stale_version_conflicts_and_changes_nothing(person):
    mindscape_set_trait(person=person, path="a", value=1, expected_version=1)
    with pytest.raises(VersionConflict) as conflict:
        mindscape_set_trait(person=person, path="b", value=2, expected_version=1)
    assert (conflict.value.current_version, conflict.value.field) == (2, "version")
    with pytest.raises(VersionConflict):
        mindscape_remove_trait(person=person, path="a", expected_version=1)
    assert Mindscape.objects.get(person=person).traits == {"a": 1}


def test_bad_paths_and_missing_traits(person):
    mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    for bad in ("", "work..x", "work chronotype", ".".join("abcdefghijk")):
        with pytest.raises(ValidationError, match="trait path"):
            mindscape_set_trait(person=person, path=bad, value=1)
    with pytest.raises(ValidationError, match="holds a value"):
        mindscape_set_trait(person=person, path="work.chronotype.early", value=True)
    with pytest.raises(KeyError):
        mindscape_remove_trait(person=person, path="work.sleep")


# --- concurrent writers never lose an update ------------------------------------------------


def _in_threads(count, target):
    errors = []

    def run(index):
        try:
            target(index)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_are_applied_or_409_never_lost():
    writers = 8
    person = PersonFactory()
    mindscape_for(person=person)
    barrier = threading.Barrier(writers)
    first_round: dict[int, object] = {}

    def write_once(index):
        barrier.wait()
        try:
            mindscape_set_trait(person=person, path=f"w.k{index}", value=index, expected_version=1)
            first_round[index] = "applied"
        except VersionConflict as conflict:
            first_round[index] = conflict.current_version

    _in_threads(writers, write_once)
    assert list(first_round.values()).count("applied") == 1
    assert sorted(v for v in first_round.values() if v != "applied") == [2] * (writers - 1)

    losers = [index for index, outcome in first_round.items() if outcome != "applied"]
    retry_barrier = threading.Barrier(len(losers))
    conflicts = []

    def write_until_applied(position):
        index = losers[position]
        retry_barrier.wait()
        for _ in range(200):
            version = Mindscape.objects.get(person=person).version
            try:
                mindscape_set_trait(
                    person=person, path=f"w.k{index}", value=index, expected_version=version
                )
                return
            except VersionConflict:
                conflicts.append(index)
                time.sleep(random.uniform(0, 0.01))
        raise AssertionError(f"writer {index} never got through")

    _in_threads(len(losers), write_until_applied)
    final = Mindscape.objects.get(person=person)
    assert final.traits == {"w": {f"k{index}": index for index in range(writers)}}
    assert final.version == 1 + writers


# --- derivation -----------------------------------------------------------------------------

WEEK = [  # (started_at, focus_level, minutes, tools): Monday 3 to Saturday 8 March 2025, CET
    ("2025-03-03T09:00:00+01:00", "deep", 120, ["VSCode", "GitHub"]),
    ("2025-03-04T09:30:00+01:00", "deep", 90, ["vscode"]),
    ("2025-03-05T14:00:00+01:00", "shallow", 30, ["slack"]),
    ("2025-03-06T09:15:00+01:00", "deep", 60, ["vscode", "node.js"]),
    ("2025-03-07T10:00:00+01:00", "interrupted", 45, []),
    ("2025-03-08T10:30:00+01:00", "deep", 150, ["vscode", "github"]),
]
EVENTS = [  # two days with events; meetings (≥ 2 attendees) of 1 h and 3 h
    {
        "title": "Planning",
        "start": "2025-03-03T10:00:00+01:00",
        "end": "2025-03-03T11:00:00+01:00",
        "attendees": 4,
    },
    {
        "title": "Focus",
        "start": "2025-03-03T13:00:00+01:00",
        "end": "2025-03-03T13:30:00+01:00",
        "attendees": 1,
    },
    {
        "title": "Workshop",
        "start": "2025-03-04T09:00:00+01:00",
        "end": "2025-03-04T12:00:00+01:00",
        "attendees": 3,
    },
]
EXPECTED = {
    "work": {
        "focus_patterns": {"deep_work_duration": 105, "peak_hours": ["09:00", "10:00"]},
        "chronotype": "morning",
        "tools": {"vscode": 0.57, "github": 0.29, "node_js": 0.14, "slack": 0.14},
    },
    "schedule": {"meeting_hours_per_day": 2.0, "meeting_load": "moderate"},
    "expression": {"average_mood": 3.5, "frequent_categories": ["reflection", "goal"]},
}


def observe_week(person):
    for started_at, focus_level, minutes, tools in WEEK:
        content = {"duration_minutes": minutes, "focus_level": focus_level, "tools_used": tools,
                   "started_at": started_at}  # fmt: skip
        ObservationFactory(person=person, content=content)
    # Sunday: no started_at, so the hour it was recorded (08:00 UTC) counts.
    ObservationFactory(
        person=person,
        content={"duration_minutes": 20},
        created_at=datetime(2025, 3, 9, 8, 0, tzinfo=UTC),
    )
    for event in EVENTS:
        ObservationFactory(person=person, observation_type="calendar_event", content=event)
    for mood, category in ((4, "reflection"), (3, "goal"), (None, "reflection")):
        content = {"text": "note", "category": category} | ({"mood": mood} if mood else {})
        ObservationFactory(person=person, observation_type="user_input", content=content)


def test_derivation_of_a_week(person):
    observe_week(person)
    mindscape = mindscape_derive(person=person)
    assert mindscape.traits == EXPECTED
    assert mindscape.version == 2


def test_derivation_is_idempotent_and_keeps_curated_traits(person):
    observe_week(person)
    mindscape_set_trait(person=person, path="work.motto", value="ship it")
    first = mindscape_derive(person=person)
    second = mindscape_derive(person=person)
    assert second.version == first.version
    assert second.traits == first.traits
    assert first.traits["work"]["motto"] == "ship it"


def test_derivation_is_order_free():
    rows = [("work_session", {"duration_minutes": m, "focus_level": "deep",
             "started_at": f"2025-03-03T{h:02d}:00:00+00:00"}, None)
            for m, h in ((30, 18), (60, 19), (90, 18), (120, 20))]  # fmt: skip
    assert traits_derive(rows) == traits_derive(list(reversed(rows)))
    assert traits_derive(rows)["work.focus_patterns.deep_work_duration"] == 75
    assert traits_derive(rows)["work.chronotype"] == "evening"


def test_a_curation_narrative_outranks_derivation(person):
    observe_week(person)
    mindscape_set_trait(person=person, path="work.chronotype", value="evening")
    narrative = NarrativeFactory(person=person, narrative_type=NarrativeType.CURATION)
    TraitNarrativeLink.objects.create(
        narrative=narrative, trait_path="work.chronotype", link_type=LinkType.CURATES
    )
    mindscape = mindscape_derive(person=person)
    assert trait_get(mindscape.traits, "work.chronotype") == "evening"
    assert trait_get(mindscape.traits, "work.focus_patterns.peak_hours") == ["09:00", "10:00"]


def test_derived_traits_without_data_are_removed(person):
    observe_week(person)
    mindscape_derive(person=person)
    Observation.objects.filter(person=person, observation_type="calendar_event").delete()
    assert "schedule" not in mindscape_derive(person=person).traits


def test_handler_derives_and_ignores_deleted_persons(person):
    observe_week(person)
    handle_derive_traits({"person_id": str(person.pk)})
    assert Mindscape.objects.get(person=person).traits == EXPECTED
    handle_derive_traits({"person_id": "00000000-0000-0000-0000-000000000000"})

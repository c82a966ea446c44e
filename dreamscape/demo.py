"""Demo behaviour: the demo accounts get 90 days of varied, tagged events, then analysis,
clustering and the engagement view, so every screen and endpoint has something to show."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from dreamscape.models import UserBehavior
from dreamscape.services.behaviors import behavior_bulk_create, behavior_events_validate
from dreamscape.services.clusters import tag_clusters_build
from dreamscape.services.maintenance import engagement_summary_refresh
from dreamscape.services.personas import behaviour_events, persona_analyze

# Per account: (skill, item type, language, tags) it keeps coming back to.
HABITS = {
    "ada": [("Python", "code", "Python", ["python", "algorithms", "compiler"]),
            ("Music", "video", None, ["piano", "harmony", "composition"])],
    "grace": [("Compilers", "article", "COBOL", ["compiler", "programming", "software"]),
              ("Teaching", "video", None, ["lecture", "mentoring"])],
    "linus": [("Chemistry", "article", None, ["chemistry", "molecules", "bonds"]),
              ("Nutrition", "note", None, ["vitamins", "health"])],
}  # fmt: skip
DAYS = 90


def _events(habits: list, rng: random.Random) -> list[dict]:
    now = timezone.now()
    items = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(40)]
    events = []
    for day in range(DAYS):
        for _ in range(rng.randint(0, 8) if day % 7 else 1):
            skill, kind, language, tags = rng.choice(habits)
            moment = now - timedelta(days=day, hours=rng.randint(0, 14), minutes=rng.randint(0, 59))
            events.append(
                {
                    "action_type": rng.choice(["view", "view", "edit", "search", "create"]),
                    "item_id": rng.choice(items),
                    "item_type": kind,
                    "duration_seconds": rng.randint(20, 900),
                    "context": {"source": rng.choice(["timeline", "search", "link"])},
                    "metadata": {
                        "skill": skill,
                        "language": language,
                        "tags": rng.sample(tags, k=min(2, len(tags))),
                    },
                    "created_at": moment.isoformat(),
                }
            )
    return events


def seed_behaviour(log: Callable[[str], None]) -> None:
    for username, habits in HABITS.items():
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            continue
        if UserBehavior.objects.filter(user=user).exists():
            log(f"dreamscape {username}: behaviour exists")
            continue
        events = behavior_events_validate(_events(habits, random.Random(username)))  # noqa: S311  (demo data)
        behavior_bulk_create(user=user, items=events)
        persona_analyze(user=user)
        tag_clusters_build(user=user, events=behaviour_events(user=user, weeks=13))
        log(f"dreamscape {username}: {len(events)} events, analysed and clustered")
    engagement_summary_refresh()

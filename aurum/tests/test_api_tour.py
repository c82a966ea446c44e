"""The README's Aurum tour, step by step, as one caller: every answer is the one it promises."""

import pytest
from django.utils import timezone

from aurum.services.hierarchy import hierarchy_view_refresh

pytestmark = pytest.mark.django_db
AU = "/api/v1/aurum"


def test_the_tour(client_for, user):
    client = client_for(user)

    def post(path, body=None, status=201):
        response = client.post(f"{AU}/{path}", body or {}, format="json")
        assert response.status_code == status, (path, response.content)
        return response.json()

    pillar = post("pillars", {"name": "Health", "weight": "1.5"})["id"]
    area = post("areas", {"name": "Fitness", "pillar": pillar, "importance": 5})["id"]
    project = post("projects", {"name": "Half marathon", "area": area, "priority": "high"})["id"]
    task = post("tasks", {"name": "Long run", "project": project,
                          "due_date": "2030-04-01T09:00:00Z"})["id"]  # fmt: skip
    listed = client.get(f"{AU}/tasks", {"priority": "medium", "ordering": "due_date"}).json()
    assert listed["results"][0]["pillar_detail"]["name"] == "Health"

    post("time-entries/start", {"entity_type": "task", "entity_id": task})
    assert client.get(f"{AU}/time-entries/running").json()["running"] is True
    post("time-entries/stop", {"productivity_rating": 8}, status=200)

    day = timezone.localdate().isoformat()
    response = client.put(f"{AU}/reflections/{day}", {"reflection_text": "Good run",
                                                     "mood": "happy"}, format="json")  # fmt: skip
    assert response.status_code == 201
    entry = post("journal-entries", {"content": "A wonderful calm morning.", "mood": "happy"})
    assert float(entry["sentiment_score"]) > 0

    assert client.delete(f"{AU}/tasks/{task}").status_code == 204
    post(f"tasks/{task}/restore", status=200)
    actions = [
        row["action"]
        for row in client.get(f"{AU}/audit-log", {"entity_id": task}).json()["results"]
    ]
    assert actions == ["restore", "archive", "create"]

    hierarchy_view_refresh()
    rows = client.get(f"{AU}/hierarchy").json()["results"]
    assert [row["task_name"] for row in rows] == ["Long run"]
    assert client.get(f"{AU}/profile").json()["current_streak"] == 1

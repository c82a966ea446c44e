"""The insights, today and alignment-points endpoints: the generic contracts plus feedback,
pins, versions and other people's rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aurum.models import Insight, Project
from aurum.services.scoring import tasks_rescore
from aurum.tests.factories import AreaFactory, ProjectFactory, TaskFactory
from config.testing import ApiContract, ApiViewContract, assert_error_shape


def make_insight(owner, **fields):
    defaults = {
        "entity_type": "global", "insight_type": "recommendation", "title": "Rest more",
        "summary": "You worked late four nights.", "detailed_reasoning": {"nights": 4},
        "confidence_score": Decimal("0.75"), "impact_score": Decimal("1.0"),
        "expires_at": timezone.now() + timedelta(days=1),
    }  # fmt: skip
    return Insight.objects.create(user=owner, **{**defaults, **fields})


class TestInsightApi(ApiContract):
    route = "api:aurum:insight"
    valid_payload = {}
    update_payload = {}
    invalid_payload = {}

    def make(self, owner):
        return make_insight(owner)

    def test_feedback_and_pin(self, client_for, user):
        insight = make_insight(user)
        client = client_for(user)
        url = reverse("api:aurum:insight-feedback", args=[insight.pk])
        response = client.post(url, {"feedback": "accepted", "details": {"why": "fair"}})
        assert response.status_code == 200, response.content
        assert response.json()["application_count"] == 1
        assert response.json()["user_feedback"] == "accepted"
        pin = client.post(reverse("api:aurum:insight-pin", args=[insight.pk]), {"pinned": True})
        assert pin.json()["is_pinned"] is True

    @pytest.mark.parametrize(
        ("action", "payload"),
        [("feedback", {"feedback": "loved"}), ("feedback", {}),
         ("feedback", {"feedback": "accepted", "details": [1]}), ("pin", {"pinned": "maybe"}),
         ("pin", {})],
    )  # fmt: skip
    def test_bad_actions_are_400_and_change_nothing(self, client_for, user, action, payload):
        insight = make_insight(user)
        url = reverse(f"api:aurum:insight-{action}", args=[insight.pk])
        assert_error_shape(client_for(user).post(url, payload, format="json"), 400)
        insight.refresh_from_db()
        assert insight.user_feedback is None
        assert insight.is_pinned is False
        assert insight.application_count == 0

    @pytest.mark.parametrize("action", ["feedback", "pin"])
    def test_others_insights_are_404(self, client_for, user, other_user, action):
        insight = make_insight(other_user)
        url = reverse(f"api:aurum:insight-{action}", args=[insight.pk])
        payload = {"feedback": "accepted"} if action == "feedback" else {"pinned": True}
        assert_error_shape(client_for(user).post(url, payload, format="json"), 404)
        insight.refresh_from_db()
        assert insight.user_feedback is None
        assert insight.is_pinned is False

    def test_lists_live_insights_unless_asked_for_every_version(self, client_for, user):
        task = TaskFactory(user=user)
        tasks_rescore(user=user)
        tasks_rescore(user=user)
        expired = make_insight(user, expires_at=timezone.now() - timedelta(minutes=1))
        pinned = make_insight(user, expires_at=timezone.now() - timedelta(minutes=1),
                              is_pinned=True)  # fmt: skip
        client = client_for(user)
        live = client.get(reverse("api:aurum:insight-list")).json()["results"]
        assert live[0]["id"] == str(pinned.pk)  # pinned first
        ids = {row["id"] for row in live}
        assert str(expired.pk) not in ids
        current = Insight.objects.get(entity_id=task.pk, is_active=True)
        assert str(current.pk) in ids
        assert str(current.previous_version_id) not in ids
        every = client.get(reverse("api:aurum:insight-list"), {"current": "false",
                                                                "entity_id": task.pk})  # fmt: skip
        versions = {row["version"] for row in every.json()["results"]}
        assert versions == {1, 2}
        reasoned = client.get(reverse("api:aurum:insight-detail", args=[current.pk])).json()
        assert {step["factor"] for step in reasoned["reasoning_path"]} >= {
            "urgency", "semantic_project"}  # fmt: skip


class TestTodayApi(ApiViewContract):
    route = "api:aurum:today"

    def test_breakdown_and_order(self, client_for, user, other_user):
        project = ProjectFactory(user=user, area=AreaFactory(user=user, importance=5),
                                 importance=4)  # fmt: skip
        overdue = TaskFactory(user=user, project=project,
                              due_date=timezone.now() - timedelta(days=2))  # fmt: skip
        TaskFactory(user=user, project=project, status="completed")
        TaskFactory(user=other_user)
        body = client_for(user).get(reverse(self.route)).json()
        assert body["count"] == 1
        top = body["results"][0]
        assert top["task_id"] == str(overdue.pk)
        assert top["total"] == 235
        assert "Overdue by 2 days" in top["reasons"]
        assert {part["name"] for part in top["breakdown"]} == {
            "urgency", "project", "area", "dependencies"}  # fmt: skip

    @pytest.mark.parametrize("limit", ["0", "201", "many"])
    def test_bad_limit_is_400(self, client_for, user, limit):
        assert_error_shape(client_for(user).get(reverse(self.route), {"limit": limit}), 400)


class TestAlignmentPointsApi(ApiViewContract):
    route = "api:aurum:alignment-points"

    def test_points_against_the_goal(self, client_for, user, other_user):
        project = ProjectFactory(user=user, area=AreaFactory(user=user, importance=5),
                                 priority="high")  # fmt: skip
        Project.objects.filter(pk=project.pk).update(status="completed")
        theirs = ProjectFactory(user=other_user)
        Project.objects.filter(pk=theirs.pk).update(status="completed")
        body = client_for(user).get(reverse(self.route)).json()
        assert body["monthly_points"] == body["weekly_points"] == body["total_points"] == 125
        assert body["monthly_goal"] == 1000
        assert body["projects_this_month"][0]["id"] == str(project.pk)

"""Every Dreamshot admin page renders for staff; the charts and actions work."""

import pytest
from django.urls import reverse

from dreamshot.choices import TestStatus
from dreamshot.models import AiTest, Budget, BudgetAlert, ProgressLog
from dreamshot.services.progress import progress_log_snapshot
from dreamshot.tests.factories import AiTestFactory, DreamFactory, heuristic_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def tested():
    dream = DreamFactory()
    AiTestFactory(dream=dream, impossibility_score=70)
    AiTestFactory(dream=dream, provider="ANTHROPIC", model="claude-3-5-haiku-20241022")
    progress_log_snapshot(dream=dream)
    Budget.objects.create(user=dream.user, alert_threshold=1, hard_cap=2)
    BudgetAlert.objects.create(user=dream.user, month="2026-01-01", threshold=1, monthly_spend=3)
    return dream


def test_every_page_renders_for_staff(admin_client, tested):
    rows = {
        "dream": tested,
        "aitest": AiTest.objects.first(),
        "progresslog": ProgressLog.objects.first(),
        "aimodel": heuristic_model(),
        "budget": Budget.objects.first(),
        "budgetalert": BudgetAlert.objects.first(),
    }
    for name, row in rows.items():
        for url in (reverse(f"admin:dreamshot_{name}_changelist"),
                    reverse(f"admin:dreamshot_{name}_change", args=[row.pk])):  # fmt: skip
            response = admin_client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    assert admin_client.get(reverse("admin:dreamshot_aitestarchive_changelist")).status_code == 200


def test_dream_page_draws_the_decay_chart_with_a_line_per_model(admin_client, tested):
    html = admin_client.get(reverse("admin:dreamshot_dream_change", args=[tested.pk])).content
    html = html.decode()
    assert "<svg" in html
    for line in ("average", "best", "OPENAI/gpt-4o", "ANTHROPIC/claude-3-5-haiku-20241022"):
        assert f"<title>{line}</title>" in html


def test_catalogue_page_compares_models_and_lists_partitions(admin_client, tested):
    url = reverse("admin:dreamshot_aimodel_change", args=[heuristic_model().pk])
    html = admin_client.get(url).content.decode()
    assert "gpt-4o" in html  # the comparison
    assert "ai_tests_y" in html
    assert "ai_tests_archive" in html
    assert (
        "local heuristic"
        in admin_client.get(reverse("admin:dreamshot_aimodel_changelist")).content.decode()
    )


def test_actions_rerun_tests_and_archive_now(
    admin_client, tested, django_capture_on_commit_callbacks
):
    AiTestFactory(dream=tested, provider="LOCAL", model="local-heuristic")
    response = admin_client.post(
        reverse("admin:dreamshot_dream_changelist"),
        {"action": "rerun_tests", "_selected_action": [tested.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert AiTest.objects.filter(dream=tested, status=TestStatus.PENDING).count() == 1
    response = admin_client.post(
        reverse("admin:dreamshot_aimodel_changelist"),
        {"action": "archive_now", "_selected_action": [heuristic_model().pk]},
        follow=True,
    )
    assert "Archived 0 months" in response.content.decode()


def test_dashboard_cards_render_with_data(admin_client, tested):
    from config.admin.dashboard import dashboard_sections

    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    (section,) = [s for s in dashboard_sections(response.wsgi_request) if s.system == "Dreamshot"]
    assert [card.name for card in section.cards] == [
        "dreamshot.impossibility_decay", "dreamshot.spend", "dreamshot.model_comparison",
        "dreamshot.cost_per_user",
    ]  # fmt: skip
    assert not any(card.failed for card in section.cards)
    assert tested.user.email in section.cards[3].html

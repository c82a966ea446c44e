"""``manage.py rescore_aurum_tasks``: the nightly HRM re-score, on demand."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aurum.selectors.scoring import users_with_open_tasks
from aurum.services.insights import insights_expire
from aurum.services.scoring import projects_analyze, tasks_rescore


def people(usernames: list[str], everyone: list[Any]) -> list[Any]:
    """The accounts named (all must exist), else everyone given."""
    model = get_user_model()
    if not usernames:
        return list(model.objects.filter(pk__in=everyone).order_by("username"))
    found = list(model.objects.filter(username__in=usernames).order_by("username"))
    missing = sorted(set(usernames) - {user.username for user in found})
    if missing:
        raise CommandError(f"no such user(s): {', '.join(missing)}")
    return found


class Command(BaseCommand):
    help = (
        "Expire old insights, then score every open task and project with the HRM (scores, "
        "reasoning, risk, time block) and add a new insight version each; one line per person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", help="Only these people (default: all).")

    def handle(self, *args: Any, usernames: list[str], **options: Any) -> None:
        expired = insights_expire()
        self.stdout.write(f"{expired} expired insight(s) deactivated.")
        chosen = people(usernames, users_with_open_tasks())
        for index, user in enumerate(chosen, 1):
            tasks, projects = tasks_rescore(user=user), projects_analyze(user=user)
            self.stdout.write(f"[{index}/{len(chosen)}] {user.username}: {tasks} task(s), "
                              f"{projects} project(s) scored")  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"Re-scored {len(chosen)} person(s)."))

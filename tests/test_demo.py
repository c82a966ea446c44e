"""seed_demo and the demo superuser: idempotent, and they print what a newcomer needs."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from config.registries import DemoSeeder, Registry
from personakit.models import ApiKey


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (get_user_model().objects.count(), ApiKey.objects.count())
    assert "demo API key of ada (shown once): lucid_" in first
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (get_user_model().objects.count(), ApiKey.objects.count()) == counts
    assert "shown once" not in second


def test_demo_superuser_only_when_none_exists(db, capsys, settings):
    settings.DEBUG = True
    call_command("ensure_demo_superuser")
    assert "Admin login: admin / lucid-admin" in capsys.readouterr().out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    admin.set_password("changed-by-the-owner")
    admin.save()
    call_command("ensure_demo_superuser")
    assert "not the demo one" in capsys.readouterr().out
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_no_demo_superuser_in_production(db, capsys, settings):
    settings.DEBUG = False
    call_command("ensure_demo_superuser")
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert "createsuperuser" in capsys.readouterr().out


def test_registry_refuses_duplicates_and_orders_entries():
    registry = Registry("test")
    registry.register(DemoSeeder(name="late", seed=print, order=50))
    registry.register(DemoSeeder(name="early", seed=print, order=5))
    assert [entry.name for entry in registry] == ["early", "late"]
    with pytest.raises(ValueError, match="already registered"):
        registry.register(DemoSeeder(name="late", seed=print))

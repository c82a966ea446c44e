"""``deleted_users``: erasure records the account first, so erase hooks (and the seeds'
anonymisation queries) can read it; repeating keeps the first time."""

import pytest
from django.db import connection

from config.models import DeletedUser
from config.privacy import erase_user
from config.registries import UserEraser, user_erasers

pytestmark = pytest.mark.django_db


def test_erasure_fills_deleted_users_before_the_hooks(user, other_user):
    seen = []

    def hook(erased):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM deleted_users")
            seen.extend(row[0] for row in cursor.fetchall())

    user_erasers.register(UserEraser(name="tests.deleted_users", erase=hook))
    try:
        erase_user(user)
    finally:
        user_erasers.unregister("tests.deleted_users")
    assert seen == [user.pk]
    first = DeletedUser.objects.get(id=user).erased_at
    erase_user(user)
    assert DeletedUser.objects.get(id=user).erased_at == first
    assert not DeletedUser.objects.filter(id=other_user).exists()


def test_a_failed_erasure_records_nothing(user):
    def failing(erased):
        raise RuntimeError("hook failed")

    user_erasers.register(UserEraser(name="tests.failing", erase=failing))
    try:
        with pytest.raises(RuntimeError):
            erase_user(user)
    finally:
        user_erasers.unregister("tests.failing")
    assert not DeletedUser.objects.exists()


def test_deleting_the_account_removes_its_record(user):
    erase_user(user)
    user.delete()
    assert not DeletedUser.objects.exists()

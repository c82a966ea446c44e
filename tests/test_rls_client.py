"""config.rls carries the request's address and user agent to triggers, in its one statement."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from config import rls

pytestmark = pytest.mark.django_db


def settings_now():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('app.request_ip', true), "
            "current_setting('app.request_user_agent', true), current_user"
        )
        return cursor.fetchone()


def test_client_of_a_request_keeps_a_real_address_and_a_printable_agent():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8\x1b[31m")
    assert rls.Client.of(request) == rls.Client(ip="203.0.113.9", user_agent="curl/8[31m")
    spoofed = RequestFactory().get("/", REMOTE_ADDR="not an address")
    assert rls.Client.of(spoofed).ip == ""
    long_agent = RequestFactory().get("/", HTTP_USER_AGENT="x" * 2000)
    assert len(rls.Client.of(long_agent).user_agent) == rls.USER_AGENT_MAX_LENGTH


def test_enter_sets_the_client_in_one_statement_and_leave_clears_it(user):
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            rls.enter(user, client=rls.Client(ip="2001:db8::1", user_agent="ua/1"))
        assert len(queries) == 1
        ip, agent, role = settings_now()
        assert (ip, agent, role) == ("2001:db8::1", "ua/1", "authenticated")
        rls.leave()
        assert settings_now()[:2] == ("", "")


def test_enter_without_a_client_leaves_the_settings_empty(user):
    with transaction.atomic():
        rls.enter(user)
        assert settings_now()[:2] == ("", "")
        rls.leave()

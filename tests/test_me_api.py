"""``/api/v1/me``: the caller's own account."""

from config.testing import ApiViewContract


class TestMeApi(ApiViewContract):
    route = "api:me"

    def test_shows_the_callers_account(self, client_for, user):
        assert client_for(user).get(self.url(user)).json()["id"] == str(user.pk)

from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """The router every app's ``api/urls.py`` uses: ``/api/v1/<app>/<resource>[/<id>]``."""

    def __init__(self) -> None:
        super().__init__(trailing_slash=False)

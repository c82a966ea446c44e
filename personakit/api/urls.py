"""``/api/v1/personakit/``."""

from django.urls import path

from config.api.routers import ApiRouter
from personakit.api import (
    api_keys,
    feedback,
    mappers,
    mindscapes,
    narratives,
    observations,
    personas,
    persons,
)

app_name = "personakit"

router = ApiRouter()
router.register("api-keys", api_keys.ApiKeyViewSet, basename="api-key")
router.register("persons", persons.PersonViewSet, basename="person")
router.register("observations", observations.ObservationViewSet, basename="observation")
router.register("narratives", narratives.NarrativeViewSet, basename="narrative")
router.register("mapper-configs", mappers.MapperConfigViewSet, basename="mapper-config")
router.register("personas", personas.PersonaViewSet, basename="persona")
router.register("feedback", feedback.FeedbackViewSet, basename="feedback")

urlpatterns = [
    *router.urls,
    path("mindscapes/<str:person_id>", mindscapes.MindscapeView.as_view(), name="mindscape"),
    path(
        "mindscapes/<str:person_id>/traits/<str:trait_path>",
        mindscapes.TraitView.as_view(),
        name="mindscape-trait",
    ),
]

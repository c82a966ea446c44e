"""PersonaKit API: persons, the individuals the caller may observe (``persons``).

The caller's own account is a person too (same id as the account), listed from the first
request on; the others are registered with ``POST persons``.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers

from config.api.routers import ApiRouter
from config.api.viewsets import OwnerScopedViewSet
from personakit.models import Person
from personakit.persons import person_of_account, person_register


class PersonSerializer(serializers.ModelSerializer):
    is_account = serializers.SerializerMethodField(
        help_text="True for the caller's own account person (it cannot be deleted)."
    )

    class Meta:
        model = Person
        fields = ["id", "display_name", "is_account", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_is_account(self, person: Person) -> bool:
        return person.pk == person.owner_id


@extend_schema(tags=["personakit"])
class PersonViewSet(OwnerScopedViewSet):
    """The caller's persons: their own account's, and those they registered."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    owner_field = "owner"
    filterset_fields = ["display_name"]
    ordering_fields = ["display_name", "created_at"]

    def get_queryset(self) -> QuerySet[Person]:
        if not getattr(self, "swagger_fake_view", False):
            person_of_account(user=self.request.user)  # the account's person, made on first use
        return super().get_queryset()

    def perform_create(self, serializer: PersonSerializer) -> None:
        serializer.instance = person_register(
            user=self.request.user, display_name=serializer.validated_data.get("display_name", "")
        )

    def perform_update(self, serializer: PersonSerializer) -> None:
        person = serializer.instance
        person.display_name = serializer.validated_data.get("display_name", person.display_name)
        person.full_clean()
        person.save(update_fields=["display_name"])

    def perform_destroy(self, instance: Person) -> None:
        if instance.pk == instance.owner_id:
            raise exceptions.ValidationError(
                "Your account's own person cannot be deleted.", code="account_person"
            )
        instance.delete()


router = ApiRouter()
router.register("persons", PersonViewSet, basename="person")
urlpatterns: list = []

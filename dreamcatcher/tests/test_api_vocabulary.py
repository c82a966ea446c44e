"""Brands and tags: everyone reads them, only staff change them."""

import pytest

from config.testing import assert_error_shape
from dreamcatcher.models import Brand, Dream, DreamTag, Tag
from dreamcatcher.tests.factories import DreamFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dreamcatcher"


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_everyone_reads_the_seed_vocabularies(client_for, user):
    client = client_for(user)
    brands = {row["id"] for row in client.get(f"{URL}/brands").json()["results"]}
    assert brands >= {"personal", "bc-innovations", "bc-studio", "mpgworldwide", "accordingto"}
    tags = {row["id"] for row in client.get(f"{URL}/tags?category=Task").json()["results"]}
    assert tags >= {"coding", "admin", "design", "marketing", "devops", "strategy"}


def test_non_staff_cannot_create(client_for, user):
    response = client_for(user).post(f"{URL}/tags", {"id": "x", "name": "X"})
    assert_error_shape(response, 403, "permission_denied")
    assert not Tag.objects.filter(pk="x").exists()


def test_staff_creates_a_tag_that_dreams_then_use(client_for, staff, user):
    response = client_for(staff).post(f"{URL}/tags", {"id": "research", "name": "Research"})
    assert response.status_code == 201, response.content
    assert response.json()["usage_count"] == 0
    dream = DreamFactory(user=user)
    response = client_for(user).put(f"{URL}/dreams/{dream.pk}/tags", {"tags": ["research"]})
    assert response.status_code == 200
    assert Tag.objects.get(pk="research").usage_count == 1


def test_generated_id_when_none_is_given(client_for, staff):
    body = client_for(staff).post(f"{URL}/brands", {"name": "Acme", "display_name": "Acme"}).json()
    assert len(body["id"]) == 36


def test_id_is_fixed_after_creation(client_for, staff):
    response = client_for(staff).patch(f"{URL}/brands/personal", {"id": "private"})
    assert response.status_code == 200
    assert Brand.objects.filter(pk="personal").exists()
    assert not Brand.objects.filter(pk="private").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"id": "coding", "name": "Coding again"}, "id"),
        ({"name": "Coding"}, "name"),
        ({"name": "Hue", "color": "3B82F6"}, "color"),
        ({"id": "not a slug", "name": "Slug"}, "id"),
    ],
)
def test_bad_tags_are_400_on_their_field(client_for, staff, payload, field):
    before = Tag.objects.count()
    response = client_for(staff).post(f"{URL}/tags", payload)
    assert assert_error_shape(response, 400)["field"] == field
    assert Tag.objects.count() == before


def test_usage_count_is_read_only(client_for, staff):
    client_for(staff).patch(f"{URL}/tags/coding", {"usage_count": 99})
    assert Tag.objects.get(pk="coding").usage_count == 0


def test_deleting_a_brand_in_use_is_409(client_for, staff, user):
    DreamFactory(user=user, brand_id="bc-studio")
    response = client_for(staff).delete(f"{URL}/brands/bc-studio")
    assert_error_shape(response, 409, "brand_in_use")
    assert Brand.objects.filter(pk="bc-studio").exists()


def test_retired_brand_stays_on_its_dreams(client_for, staff, user):
    dream = DreamFactory(user=user, brand_id="bc-studio")
    response = client_for(staff).patch(f"{URL}/brands/bc-studio", {"is_active": False})
    assert response.status_code == 200
    assert Dream.objects.get(pk=dream.pk).brand_id == "bc-studio"
    response = client_for(user).post(f"{URL}/dreams", {"title": "New", "brand": "bc-studio"})
    assert assert_error_shape(response, 400)["field"] == "brand"


def test_deleting_a_tag_untags_dreams(client_for, staff, user):
    dream = DreamFactory(user=user)
    DreamTag.objects.create(dream=dream, tag_id="devops")
    assert client_for(staff).delete(f"{URL}/tags/devops").status_code == 204
    dream.refresh_from_db()
    assert dream.tags == []

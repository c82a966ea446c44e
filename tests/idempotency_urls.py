"""A write endpoint honouring ``Idempotency-Key``, for tests/test_idempotency.py: each POST
creates a group named in its body."""

from django.contrib.auth.models import Group
from django.urls import path
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.idempotency import IdempotentWritesMixin


class GroupsView(IdempotentWritesMixin, APIView):
    def post(self, request):
        name = request.data.get("name")
        if not name:
            raise ValidationError({"name": ["Required."]})
        group = Group.objects.create(name=f"{name}-{Group.objects.count()}")
        return Response({"id": group.pk, "name": group.name}, status=201)

    def get(self, request):
        return Response({"groups": Group.objects.count()})


urlpatterns = [path("api/v1/groups", GroupsView.as_view())]

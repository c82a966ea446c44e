"""Two views whose different serializers share one name: a schema component collision."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


def _serializer(fields: dict) -> type:
    return type("ThingSerializer", (serializers.Serializer,), fields)


class FirstView(APIView):
    @extend_schema(responses=_serializer({"a": serializers.CharField()}))
    def get(self, request):
        return Response({})


class SecondView(APIView):
    @extend_schema(responses=_serializer({"b": serializers.IntegerField()}))
    def get(self, request):
        return Response({})


urlpatterns = [
    path("api/v1/first", FirstView.as_view()),
    path("api/v1/second", SecondView.as_view()),
]

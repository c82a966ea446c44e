"""The caller's tag clusters and their evolution; the nearest cluster to a tag."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import SingleLineCharField
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet
from dreamscape.models import TagCluster
from dreamscape.selectors.insights import tag_cluster_list
from dreamscape.services.clusters import tag_cluster_nearest


class TagClusterSerializer(ModelSerializer):
    tag_count = serializers.SerializerMethodField()

    class Meta:
        model = TagCluster
        fields = ["id", "cluster_name", "tags", "tag_count", "cohesion_score", "cluster_size",
                  "evolution_data", "embedding_model", "created_at", "updated_at"]  # fmt: skip

    def get_tag_count(self, cluster: TagCluster) -> int:
        return len(cluster.tags)


class NearestQuery(serializers.Serializer):
    tag = SingleLineCharField(max_length=100)


class TagClusterViewSet(CallerReadOnlyViewSet):
    """Tag clusters, most cohesive first, with size history and tags added and removed."""

    queryset = TagCluster.objects.all()
    serializer_class = TagClusterSerializer
    ordering_fields = ["cohesion_score", "cluster_size", "updated_at"]
    selector = staticmethod(tag_cluster_list)

    @extend_schema(
        parameters=[NearestQuery],
        responses=inline_serializer(
            "DreamscapeNearestCluster",
            {
                "cluster": TagClusterSerializer(allow_null=True),
                "similarity": serializers.FloatField(allow_null=True),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def nearest(self, request: Request) -> Response:
        """The cluster closest in meaning to ``?tag=`` (cosine similarity), or nulls."""
        query = NearestQuery(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        found = tag_cluster_nearest(user=request.user, tag=query.validated_data["tag"])
        if found is None:
            return Response({"cluster": None, "similarity": None})
        cluster, similarity = found
        return Response({"cluster": self.serializer_class(cluster).data, "similarity": similarity})

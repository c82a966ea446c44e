"""Documents: multipart upload (parsed in the background), metadata, rename, delete."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.viewsets import RowLevelSecurityMixin
from dreamcatcher import selectors, services
from dreamcatcher.api import filters
from dreamcatcher.api.serializers import CallerDreamField, DocumentSerializer
from dreamcatcher.api.views import TAGS, CallerRowsMixin, ServiceWritesMixin, Writes
from dreamcatcher.documents import document_upload
from dreamcatcher.models import Document


class DocumentUploadSerializer(serializers.Serializer):
    dream = CallerDreamField()
    file = serializers.FileField(
        help_text="Plain text, Markdown or PDF, judged by content; at most "
        "DOCUMENT_UPLOAD_MAX_BYTES (20 MB by default)."
    )
    title = serializers.CharField(max_length=500, required=False, help_text="Default: file name.")


@extend_schema(tags=TAGS)
class DocumentViewSet(
    ServiceWritesMixin,
    CallerRowsMixin,
    RowLevelSecurityMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's documents. Upload with multipart; parsing into todos follows shortly
    (``parsed`` turns true, or ``parsed_data.error`` says why not)."""

    row_level_security = True
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]
    filterset_class = filters.DocumentFilter
    search_fields = ["title", "file_name"]
    ordering_fields = ["upload_date", "title", "file_size"]
    selector = staticmethod(selectors.document_list)
    writes = Writes(
        row="document", update=services.document_update, delete=services.document_delete
    )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DocumentUploadSerializer if self.action == "create" else DocumentSerializer

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = document_upload(
            user=request.user,
            dream=upload.validated_data["dream"],
            upload=upload.validated_data["file"],
            title=upload.validated_data.get("title"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

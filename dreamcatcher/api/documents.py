"""Documents: multipart upload (parsed in the background), metadata, rename, delete."""

from drf_spectacular.utils import OpenApiRequest, extend_schema, extend_schema_view
from rest_framework import serializers

from config.api import parsers
from config.api.fields import SingleLineCharField
from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.api.fields import caller_dream_field
from dreamcatcher.models import Document
from dreamcatcher.selectors.documents import document_list
from dreamcatcher.services.documents import document_delete, document_update, document_upload
from dreamcatcher.services.parsing import ALLOWED_TYPES

# The upload's part declares one of these; its content decides (UTF-8 text, else a PDF).
UPLOAD_ENCODING = {"file": {"contentType": ", ".join(ALLOWED_TYPES)}}


class DocumentSerializer(ModelSerializer):
    """A document's metadata; only its title changes here (files come by upload)."""

    class Meta:
        model = Document
        fields = ["id", "dream", "title", "file_name", "file_type", "file_size", "upload_date",
                  "parsed", "parsed_data", "created_by"]  # fmt: skip
        read_only_fields = [field for field in fields if field != "title"]


class DocumentUploadSerializer(serializers.Serializer):
    dream = caller_dream_field()
    file = serializers.FileField(
        help_text="Plain text or Markdown (UTF-8, not empty) or a PDF, judged by content "
        "whatever type the part declares; at most DOCUMENT_UPLOAD_MAX_BYTES (20 MB by default)."
    )
    title = SingleLineCharField(max_length=500, required=False, help_text="Default: file name.")


class DocumentFilter(FilterSet):
    class Meta:
        model = Document
        fields = ["dream", "file_type", "parsed"]


@extend_schema_view(
    create=extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                DocumentUploadSerializer, encoding=UPLOAD_ENCODING
            )
        },
        responses={201: DocumentSerializer},
    )
)
class DocumentViewSet(CallerModelViewSet):
    """The caller's documents. Upload with multipart; parsing into todos follows shortly
    (``parsed`` turns true, or ``parsed_data.error`` says why not)."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    input_serializer_classes = {"create": DocumentUploadSerializer}
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]
    filterset_class = DocumentFilter
    search_fields = ["title", "file_name"]
    ordering_fields = ["upload_date", "title", "file_size"]
    selector = staticmethod(document_list)
    writes = Writes(row="document", create=document_upload, update=document_update,
                    delete=document_delete)  # fmt: skip

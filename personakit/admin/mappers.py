"""Mapper configs: versions created and drafts edited as validated JSON (errors by path),
activation, and a try-out showing which rules fire for a person and the overlay they give."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from unfold.decorators import action, display

from config.admin.base import LucidModelAdmin, copy_saved_row
from config.admin.display import json_display, plural
from config.admin.links import admin_url
from personakit.admin.traits import trait_tree
from personakit.choices import MapperStatus
from personakit.models import MapperConfig, Mindscape, Person
from personakit.services.mappers import (
    mapper_activate,
    mapper_create_version,
    mapper_evaluate,
    mapper_update_draft,
    mapper_validate,
    referenced_traits,
)
from personakit.services.personas import _split_traits, _suggestions

STATUS_LABELS = {
    MapperStatus.DRAFT: "info",
    MapperStatus.ACTIVE: "success",
    MapperStatus.DEPRECATED: "default",
}


class MapperConfigForm(forms.ModelForm):
    """The configuration as JSON, checked by ``mapper_validate``: each error names its path."""

    class Meta:
        model = MapperConfig
        fields = ("config_id", "configuration", "metadata")
        help_texts = {
            "configuration": '{"metadata": {...}, "rules": [{"id", "conditions": '
            '{"all"|"any": [trait_check, ...]}, "actions": [{"template", '
            '"priority"}]}]}. Saving the add form creates the next version as a draft.',
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and "config_id" in self.fields:
            self.fields["config_id"].disabled = True  # a version belongs to its config_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.instance._state.adding and self.instance.status != MapperStatus.DRAFT:
            raise ValidationError("Only a draft can change. Create a new version instead.")
        if "configuration" in cleaned:
            try:
                mapper_validate(cleaned["configuration"])
            except ValidationError as error:
                for path, problems in _errors_by_path(error):
                    for problem in problems:
                        self.add_error("configuration", f"{path}: {problem}")
        return cleaned


def _errors_by_path(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return sorted(error.message_dict.items())
    return [("configuration", error.messages)]


class TryForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        widget=AutocompleteSelect(Mindscape._meta.get_field("person"), admin.site),
        help_text="Evaluated against this person's mindscape as it is now; nothing is saved.",
    )


def _trait_at(traits: dict, path: str) -> tuple[bool, Any]:
    node: Any = traits
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return node is not None, node


def mapper_try(mapper: MapperConfig, person: Person) -> dict[str, Any]:
    """What generating a persona of ``person`` with ``mapper`` would give: the rules (fired or
    not), the traits they read, and the overlay. Reads only."""
    mindscape = Mindscape.objects.filter(person=person).first()
    traits = mindscape.traits if mindscape else {}
    fired = mapper_evaluate(configuration=mapper.configuration, traits=traits)
    fired_ids = {rule.rule_id for rule in fired}
    _, context = _split_traits(traits)
    rules = [
        {
            "id": rule["id"],
            "fired": rule["id"] in fired_ids,
            "conditions": json_display(rule["conditions"]),
            "actions": rule["actions"],
        }
        for rule in mapper.configuration["rules"]
    ]
    read = []
    for path in sorted(referenced_traits(mapper.configuration)):
        found, value = _trait_at(traits, path)
        read.append({"path": path, "found": found, "value": json_display(value) if found else ""})
    return {
        "person": person,
        "mindscape": mindscape,
        "rules": rules,
        "fired_count": len(fired),
        "traits_read": read,
        "trait_tree": trait_tree(traits),
        "overlay": json_display({"suggestions": _suggestions(fired), "context": context}),
    }


@admin.register(MapperConfig)
class MapperConfigAdmin(LucidModelAdmin):
    """Drafts are edited in place; active and deprecated versions are history (read-only) and
    change by creating the next version from them."""

    icon = "rule_settings"
    form = MapperConfigForm
    list_display = (
        "config_id",
        "version",
        "status_label",
        "rule_count",
        "usage_count",
        "created_by",
        "created_at",
    )
    list_display_links = ("config_id", "version")
    list_filter = ("status", "config_id")
    list_select_related = ("created_by",)
    search_fields = ("config_id",)
    ordering = ("config_id", "-version")
    actions = ("activate", "try_selected")
    actions_detail = ("try_against_person", "new_version")
    actions_submit_line = ("activate_on_save",)
    readonly_fields = (
        "version",
        "status_label",
        "usage_count",
        "created_by",
        "created_at",
        "configuration_display",
        "metadata_display",
    )

    def get_fieldsets(self, request: HttpRequest, obj: MapperConfig | None = None) -> Any:
        if obj is None:
            return ((None, {"fields": ("config_id", "configuration", "metadata")}),)
        record = ("Record", {"fields": ("usage_count", "created_by", "created_at")})
        if obj.status == MapperStatus.DRAFT:
            head = ("config_id", "version", "status_label", "configuration", "metadata")
        else:
            head = ("config_id", "version", "status_label", "configuration_display")
            head += ("metadata_display",)
        return ((None, {"fields": head}), record)

    # Unfold's detail actions pass the object id (a string) as ``obj``: only rows decide.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(obj, MapperConfig) and obj.status != MapperStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(obj, MapperConfig) and obj.status != MapperStatus.DRAFT:
            return False  # personas name the versions that made them
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would not spare active versions
        return actions

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        source = MapperConfig.objects.filter(pk=request.GET.get("from") or None).first()
        if source is not None:
            initial.update(
                config_id=source.config_id,
                configuration=source.configuration,
                metadata=source.metadata,
            )
        return initial

    def get_actions_submit_line(self, request: HttpRequest, object_id: Any) -> list:
        mapper = self.get_object(request, object_id) if object_id else None
        if mapper is None or mapper.status != MapperStatus.DRAFT:
            return []
        return super().get_actions_submit_line(request, object_id)

    # --- list -----------------------------------------------------------------------------

    @display(description="Status", label=STATUS_LABELS, ordering="status")
    def status_label(self, obj: MapperConfig) -> str:
        return obj.status

    @display(description="Rules")
    def rule_count(self, obj: MapperConfig) -> int:
        rules = (obj.configuration or {}).get("rules")
        return len(rules) if isinstance(rules, list) else 0

    @display(description="Configuration")
    def configuration_display(self, obj: MapperConfig) -> SafeString:
        return json_display(obj.configuration)

    @display(description="Metadata")
    def metadata_display(self, obj: MapperConfig) -> SafeString:
        return json_display(obj.metadata)

    # --- saving: through the services -----------------------------------------------------

    def save_model(
        self, request: HttpRequest, obj: MapperConfig, form: forms.Form, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            saved = mapper_update_draft(
                mapper=obj,
                user=request.user,
                data={"configuration": data["configuration"], "metadata": data.get("metadata")},
            )
        else:
            saved = mapper_create_version(
                user=request.user,
                data={key: data.get(key) for key in ("config_id", "configuration", "metadata")},
            )
        copy_saved_row(source=saved, target=obj)
        if change:
            # Unfold runs the pressed submit-line button after ``ModelAdmin.save_model``.
            for submit in self.get_actions_submit_line(request, obj.pk):
                if submit.action_name in request.POST:
                    submit.method(request, obj)

    # --- activation -----------------------------------------------------------------------

    @admin.action(description="Activate (deprecates the active version)", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[MapperConfig]) -> None:
        mappers = list(queryset.order_by("config_id", "-version"))
        config_ids = [mapper.config_id for mapper in mappers]
        if len(set(config_ids)) < len(config_ids):
            messages.error(request, "Select at most one version per config; nothing activated.")
            return
        for mapper in mappers:
            mapper_activate(mapper=mapper)
            self.log_change(request, mapper, "Activated.")
        messages.success(request, f"Activated {', '.join(str(m) for m in mappers)}.")

    @action(description="Save and activate", permissions=["change"], icon="check_circle")
    def activate_on_save(self, request: HttpRequest, obj: MapperConfig) -> None:
        mapper_activate(mapper=obj)
        self.log_change(request, obj, "Activated.")
        messages.success(request, f"Activated {obj}.")

    # --- versions and the try-out ---------------------------------------------------------

    def has_new_version_permission(self, request: HttpRequest, object_id: Any = None) -> bool:
        return self.has_add_permission(request)

    @action(description="New version from this", permissions=["new_version"], icon="content_copy")
    def new_version(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return HttpResponseRedirect(admin_url(MapperConfig, "add", query=f"from={object_id}"))

    @admin.action(description="Try against a person", permissions=["view"])
    def try_selected(
        self, request: HttpRequest, queryset: QuerySet[MapperConfig]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            messages.warning(request, "Select exactly one mapper version to try.")
            return None
        url = admin_url(MapperConfig, "try_against_person", queryset.get().pk)
        return HttpResponseRedirect(url)

    @action(
        description="Try against a person", url_path="try", permissions=["view"], icon="science"
    )
    def try_against_person(self, request: HttpRequest, object_id: str) -> HttpResponse:
        mapper = self.get_object(request, object_id)
        if mapper is None:
            raise Http404("No such mapper config.")
        form = TryForm(request.GET if "person" in request.GET else None)
        result = None
        if form.is_valid():
            try:
                result = mapper_try(mapper, form.cleaned_data["person"])
            except (KeyError, TypeError, ValueError) as error:  # a configuration from before
                messages.error(request, f"This configuration cannot be evaluated: {error!r}")
        return TemplateResponse(
            request,
            "admin/personakit/mapperconfig/try.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Try {mapper} against a person",
                "opts": self.opts,
                "original": mapper,
                "mapper": mapper,
                "form": form,
                "media": self.media + form.media,
                "result": result,
                "rule_total": plural(self.rule_count(mapper), "rule"),
                "change_url": admin_url(MapperConfig, "change", mapper.pk),
            },
        )


__all__ = ["MapperConfigAdmin", "mapper_try"]

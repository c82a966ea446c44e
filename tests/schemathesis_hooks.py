"""Schemathesis hooks for tests/test_schemathesis.py (loaded through ``SCHEMATHESIS_HOOKS``).

The run authenticates with one API key, and ``DELETE api-keys/{id}`` (its stateful phase
finds ids in lists) would revoke it, leaving every later request a 401: that one call is
pointed at an id that does not exist instead.

An upload's file part declares its media type (the schema's ``encoding``); what a file of each
type holds is told here, as schemathesis asks: text is UTF-8 (no NUL, hardly any control
characters, as the documents upload documents), a PDF starts like one. Left to itself it
sends any bytes as any type.
"""

import os
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.file_samples import FILE_SAMPLES

FUZZ_KEY_ID = os.environ["LUCID_FUZZ_KEY_ID"]
NO_SUCH_KEY = "00000000-0000-0000-0000-000000000000"


_TEXT = st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1).map(str.encode)
schemathesis.openapi.media_type("text/plain", _TEXT, aliases=["text/markdown", "text/x-markdown"])
schemathesis.openapi.media_type("application/pdf", st.just(FILE_SAMPLES["pdf"]))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    parameters = case.path_parameters or {}
    if case.method.upper() == "DELETE" and parameters.get("id") == FUZZ_KEY_ID:
        parameters["id"] = NO_SUCH_KEY


# What a schema cannot say, so a 400 naming only these answers a schema-valid request (the
# schema documents that 400) and is not a finding:
# - an id in a body naming no row the caller may use (another user's, or none at all): the
#   schema says "a string" or "a uuid", never "one of your dreams" or "a tag that exists";
# - a value that must be unique and is taken (a rule id twice in one mapper configuration):
#   JSON Schema's uniqueItems compares whole items, never one key of them;
# - one value against another (a calendar event's end after its start).
_UNSAYABLE_CODES = {"does_not_exist", "unknown_person", "unique", "end_before_start"}


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return True
    try:
        codes = {error.get("code") for error in response.json()["errors"]}
    except (ValueError, KeyError, TypeError, AttributeError):
        return True
    return not (codes and codes <= _UNSAYABLE_CODES)

"""Schemathesis hooks for tests/test_schemathesis.py (loaded through ``SCHEMATHESIS_HOOKS``).

The run authenticates with one API key, and ``DELETE api-keys/{id}`` (its stateful phase
finds ids in lists) would revoke it, leaving every later request a 401: that one call is
pointed at an id that does not exist instead.
"""

import os
from typing import Any

import schemathesis

FUZZ_KEY_ID = os.environ["LUCID_FUZZ_KEY_ID"]
NO_SUCH_KEY = "00000000-0000-0000-0000-000000000000"


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    parameters = case.path_parameters or {}
    if case.method.upper() == "DELETE" and parameters.get("id") == FUZZ_KEY_ID:
        parameters["id"] = NO_SUCH_KEY


# An id in a body that the caller has no row for (another user's, or none at all): the
# schema can say "a string" or "a uuid", never "one of your dreams", so a 400 naming only
# such ids is the documented answer to a schema-valid request, not a finding.
_UNKNOWN_ROW_CODES = {"does_not_exist", "unknown_person"}


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return True
    try:
        codes = {error.get("code") for error in response.json()["errors"]}
    except (ValueError, KeyError, TypeError, AttributeError):
        return True
    return not (codes and codes <= _UNKNOWN_ROW_CODES)

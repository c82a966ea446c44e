"""What several Dreamcatcher resources show or take alike."""

from config.api.fields import CallerRowField
from dreamcatcher.models import Dream
from dreamcatcher.selectors.dreams import dream_list

STAMPS = ["created_by", "updated_by"]


def caller_dream_field() -> CallerRowField:
    """A dream of the caller's, by id: another user's dream is as unknown as a missing one."""
    return CallerRowField(model=Dream, rows=dream_list)

"""tests/seeds/ holds copies of the specification (../shared/seeds/) so the suite runs from
any checkout; where the originals are beside the checkout, the copies must match them."""

from pathlib import Path

import pytest
from django.conf import settings

COPIES = Path(settings.BASE_DIR) / "tests" / "seeds"
ORIGINALS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="no ../shared/seeds beside this checkout")
def test_seed_copies_match_the_specification():
    originals = {path.name: path.read_bytes() for path in ORIGINALS.iterdir() if path.is_file()}
    copies = {path.name: path.read_bytes() for path in COPIES.iterdir() if path.is_file()}
    assert copies == originals, "copy ../shared/seeds/* into tests/seeds/"


def test_every_seed_document_is_copied():
    assert len(list(COPIES.glob("00*.txt"))) == 5

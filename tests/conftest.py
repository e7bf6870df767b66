import shutil
from pathlib import Path

import pytest

import opvangkern

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample dataset."""
    target = tmp_path / "sample"
    shutil.copytree(opvangkern.sample_path(), target)
    return target

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import opvangkern

# Under CI (CI=true, as .ci/run) no property test fails on a wall-clock limit: a slow or busy machine is
# not a bug. An explicit HYPOTHESIS_PROFILE (the long fuzz run) is left alone.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI") and not os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample dataset."""
    target = tmp_path / "sample"
    shutil.copytree(opvangkern.sample_path(), target)
    return target


def drop_history(folder: Path) -> Path:
    """Remove the sample's earlier deliveries (July–November 2025, issue 12) from a copy of it, leaving
    the four files of 31 December 2025 (29 December for Nidos) that the sample had before."""
    import re

    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r'\[\[bron\]\]\nbron = "\w+"\nbestand = "bronnen/\w+-2025-(?:0[789]|1[01])-\d\d\.csv"\n'
                  r'(?:peildatum = [\d-]+\n)?\n', "", text)
    manifest.write_text(text, encoding="utf-8")
    for path in (folder / "bronnen").glob("*-2025-*.csv"):
        if not re.search(r"-2025-12-\d\d\.csv$", path.name):
            path.unlink()
    return folder


@pytest.fixture
def sample_latest_only(sample_copy: Path) -> Path:
    """A writable copy of the bundled sample with only its latest deliveries (no history)."""
    return drop_history(sample_copy)


@pytest.fixture(autouse=True, scope="session")
def _own_file_cache(tmp_path_factory):
    """The command line keeps parsed files in a cache (``opvangkern.dataset.cache``): during the tests in a
    folder of their own, never in the user's ``~/.cache`` (child processes inherit the variable)."""
    import os

    from opvangkern.dataset.cache import CACHE_ENV

    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("opvangkern-cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before

"""Shared fixtures: where the reference data is, seeded synthetic terrain."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_REPO = Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    """``$SPECTRUM_REFERENCE_DIR`` or ``../shared/reference`` beside the repository."""
    env = os.environ.get("SPECTRUM_REFERENCE_DIR")
    return Path(env) if env else (_REPO.parent / "shared" / "reference")


REFERENCE_DIR = reference_dir()


def require_reference(sub: str) -> Path:
    """Path of a reference sub-folder; the test module is skipped, with the reason, if it is absent."""
    p = REFERENCE_DIR / sub
    if not p.exists():
        pytest.skip(f"reference data {p} not found (set SPECTRUM_REFERENCE_DIR)", allow_module_level=True)
    return p


@pytest.fixture(scope="session")
def ref_dir() -> Path:
    return REFERENCE_DIR

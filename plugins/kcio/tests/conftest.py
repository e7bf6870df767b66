"""Hypothesis profiles: ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples per adapter fuzz test."""

from opvangkern.testing.fuzz import register_profiles

register_profiles()

"""Policy profiles: the numbers of each jurisdiction's regulation, one data file per jurisdiction."""

from keyproj.policy.loader import available_profiles, load_profile
from keyproj.policy.model import PolicyProfile

__all__ = ["PolicyProfile", "available_profiles", "load_profile"]

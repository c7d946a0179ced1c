"""claimtrack: a versioned, validated dataset of what partisan texts claim, and on whose authority.

``claimtrack.open(path)`` opens a release folder (or builds a checkout's data/) for research; it
is imported on first use, so ``import claimtrack`` (and every command's start) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimtrack.api.release import Release, ReleaseOpenError
    from claimtrack.api.release import open_release as open  # noqa: A004

# The package version, read by pyproject.toml (tool.setuptools.dynamic): one place to bump,
# and no importlib.metadata lookup (50 ms) at every command's start.
__version__ = "0.1.0"

_API = {"open": "open_release", "Release": "Release", "ReleaseOpenError": "ReleaseOpenError"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from claimtrack.api import release

        return getattr(release, _API[name])
    raise AttributeError(f"module 'claimtrack' has no attribute {name!r}")


# `open` is exported as gzip.open and tarfile.open are: type checkers need it in __all__
__all__ = ["Release", "ReleaseOpenError", "__version__", "open"]

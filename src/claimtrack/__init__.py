"""claimtrack: a versioned, validated dataset of what partisan texts claim, and on whose authority."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimtrack")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

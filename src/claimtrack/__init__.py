"""claimtrack: a versioned, validated dataset of what partisan texts claim, and on whose authority."""

# The package version, read by pyproject.toml (tool.setuptools.dynamic): one place to bump,
# and no importlib.metadata lookup (50 ms) at every command's start.
__version__ = "0.1.0"

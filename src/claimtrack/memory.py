"""The C library's allocator, set for runs that read many files and sort large buffers."""

from __future__ import annotations

import ctypes
import sys

#: ``mallopt``'s parameter for the size from which glibc maps a block on its own.
_M_MMAP_THRESHOLD = -3
#: glibc's default for it: 128 KB.
MMAP_THRESHOLD = 128 * 1024


def fixed_mmap_threshold() -> bool:
    """Keep glibc's mmap threshold at its default instead of letting it rise, as glibc does
    by default, to the size of each mapped block freed (up to 32 MB): blocks from 128 KB
    on (the id indexes' sort buffers, a few hundred KB each, made and freed for every
    bucket) are then mapped and given back each time, rather than taken from the heap,
    where the small blocks allocated beside them keep the heap from shrinking. Whether it
    was set (it is not on systems other than Linux with glibc); set once per process, and
    inherited by forked workers."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))

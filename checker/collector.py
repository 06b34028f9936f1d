"""When Python's cyclic garbage collector runs during a scan.

Both hot spots of a scan allocate objects by the hundred thousand: importing libcst and the rules
(a few hundred dataclasses) and parsing a file (a node object per token and per piece of
whitespace). The collector runs every 700 net allocations and promotes survivors into older
generations that are walked again later, so it repeatedly walks objects that are either about to
live for the whole process (imports) or to die together at the end of the file (trees). On the
standard-library corpus that was about a quarter of the parse time and a fifth of the import time.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Callable, ContextManager, Iterator


@contextlib.contextmanager
def _paused(then: Callable[[], object]) -> Iterator[None]:
    """The collector off for the block, then ``then()`` with it back on; a collector the caller
    had turned off stays off and ``then`` is skipped."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        then()


def imports_frozen() -> ContextManager[None]:
    """Import without the collector, then move everything alive to the permanent generation: it
    lives until exit, and after a fork the workers do not copy the pages it sits on either."""
    return _paused(gc.freeze)


def paused_for_one_file() -> ContextManager[None]:
    """Analyse one file without the collector, then collect once. The analyses' own reference
    cycles (functions and their call sites) are freed by that collection, which only looks at
    what this file allocated, since nothing was promoted meanwhile."""
    return _paused(lambda: gc.collect(0))

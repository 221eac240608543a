"""Keep the long-lived heap out of the garbage collector's full passes.

After its start the bot holds about 300,000 objects that live as long as the process
(content, matchers, aiogram's types). Under load a full collection runs every few hundred
updates and walks all of them: about 0.2 s of CPU each time, some 0.3 ms per update on
average. `settle()` moves what exists now into the permanent generation (`gc.freeze`, which
itself takes microseconds); reference counting still frees those objects, only reference
cycles among them would stay (the start leaves none behind: a collection then finds 0).
`lotse run` also keeps the collector off while importing and freezes what the imports left
(bot/cli.py). GC_FREEZE=0 switches both off: nothing is frozen, `renewed` does nothing.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Call once the process is ready to serve."""
    gc.freeze()


def renewed() -> None:
    """After a content switch: the old content may hold reference cycles, which only the
    collector frees (one full pass, about 0.2 s). Nothing happens where `settle` was never
    called (tests, the terminal chat)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()

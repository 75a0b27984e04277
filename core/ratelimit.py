"""Rate limits shared by every process, kept in Django's cache.

The default cache is the database, whose `incr` is not atomic, so a window's
uses are counted as slots, each taken by an atomic `cache.add`: two processes
can never take the same slot, and so never pass the limit together.
"""

import math
import time

from django.core.cache import cache

KEY_PREFIX = "ratelimit"


def allow(key: str, *, limit: int, period: float = 60) -> bool:
    """Count one use of `key` in the current window; False when the window is full."""
    window = int(time.time() // period)
    base = f"{KEY_PREFIX}:{key}:{window}"
    timeout = math.ceil(period) * 2
    # A hint of how many slots are taken, so a full window costs one read.
    for slot in range(cache.get(base, 0), limit):
        if cache.add(f"{base}:{slot}", 1, timeout=timeout):
            cache.set(base, slot + 1, timeout=timeout)
            return True
    return False


def wait_for_turn(key: str, *, per_minute: int) -> None:
    """Block until one more use of `key` fits in `per_minute` (0: no limit).

    The minute is cut into windows of six seconds (a tenth of the budget each),
    so sending never bursts a whole minute's budget at once.
    """
    if per_minute <= 0:
        return
    if per_minute >= 10:
        period, limit = 6.0, per_minute // 10
    else:
        period, limit = 60.0 / per_minute, 1
    while not allow(key, limit=limit, period=period):
        time.sleep(period - time.time() % period + 0.01)

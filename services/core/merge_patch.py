"""JSON merge patch (RFC 7396), the one semantics of every PATCH on the platform.

Objects merge member by member, `null` removes a member, anything else (a string, a list, a
number) replaces the target whole; a patch that is not an object replaces the target.
"""
from __future__ import annotations

import copy
from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result

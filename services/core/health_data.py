"""Health data (special-category data under the GDPR): where it sits in what the platform shares,
and the one rule on who sees it. Framework-free, so every read path and every event applies it.

The rule: health data is for the person's referent only, i.e. the organisation the person was
oriented to, which accompanies them. France Travail as the operator of the shared system, the
département and the CAF of an RSA recipient do not see it. Besides the referent, only processing
that needs it to decide receives it: orientation's rules (the RQTH and the health barrier choose the
pathway), on a topic restricted to the services entitled to it.

- An event carries health data only on a topic declared `health_data=True`; the outbox refuses
  it anywhere else (`check_no_health_data`), and the Kafka ACLs let only that topic's declared
  consumers read it.
- A read path shows it only to a caller holding the referent relation (`sees_health`); a service
  that cannot establish that relation shows it to nobody.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

Path = tuple[str, ...]

# Where health data sits in each document shape the platform shares.
REGISTRATION_PATHS: tuple[Path, ...] = (("situation", "rqth"), ("pre_diagnostic", "barriers", "health"))
DOSSIER_IDENTITY_PATHS: tuple[Path, ...] = (("rqth",), ("barriers", "health"))
DIAGNOSTIC_PATHS: tuple[Path, ...] = (("overall_situation", "health"),)

# Names that are health data wherever they appear: what a broadcast document may not contain.
HEALTH_KEYS = frozenset(path[-1] for path in (*REGISTRATION_PATHS, *DOSSIER_IDENTITY_PATHS, *DIAGNOSTIC_PATHS))

REFERENT = "referent"


class HealthDataLeak(ValueError):
    """Health data about to leave on a channel not restricted to the services entitled to it."""


def sees_health(relations: Collection[str]) -> bool:
    """Whether a caller holding these relations to the person may see the person's health data."""
    return REFERENT in relations


def without_health(document: dict[str, Any], paths: tuple[Path, ...]) -> dict[str, Any]:
    """A copy of the document without the health data at these paths. Only the dicts on a path are
    copied, the rest is shared with the document (a deep copy of a whole registration took a tenth of
    the direct read's CPU): no caller changes either in place."""
    result = dict(document)
    for path in paths:
        node: Any = result
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                node = None
                break
            node[key] = node = dict(child)
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return result


def health_keys_in(document: Any, at: str = "") -> Iterator[str]:
    """The dotted location of every health data name in a document, at any depth."""
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{at}.{key}" if at else key
            if key in HEALTH_KEYS:
                yield here
            yield from health_keys_in(value, here)
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from health_keys_in(item, f"{at}[{index}]")


def check_no_health_data(channel: str, document: dict[str, Any]) -> None:
    found = list(health_keys_in(document))
    if found:
        raise HealthDataLeak(f"{channel} is not restricted to services entitled to health data, "
                             f"yet the document carries {', '.join(found)}.")

"""A process's `/metrics` (Prometheus text format) read back in tests."""
from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(exposition: str, sample: str, **labels: str) -> list[float]:
    """The values of the samples named `sample` whose labels include `labels`. Label names as
    Prometheus writes them: `http_route` for the attribute `http.route`."""
    return [point.value for family in text_string_to_metric_families(exposition) for point in family.samples
            if point.name == sample and labels.items() <= point.labels.items()]


def metric_value(exposition: str, sample: str, **labels: str) -> float:
    """The sum of the matching samples (0 when none matches)."""
    return sum(samples(exposition, sample, **labels))


def label_values(exposition: str, sample: str, label: str) -> set[str]:
    return {point.labels[label] for family in text_string_to_metric_families(exposition)
            for point in family.samples if point.name == sample and label in point.labels}

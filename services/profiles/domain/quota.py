"""Scraping is not possible by paging: each organisation may open a limited number of profile
details a day (UTC); past it, it is told when it may try again."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from services.core.errors import LimitReached


def check_daily_views(views_today: int, quota: int, now: datetime) -> None:
    """`views_today` counts this view; refused past the quota, until the next UTC midnight."""
    if views_today > quota:
        midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
        raise LimitReached(f"Your organisation has opened its {quota} profile details for today.",
                           retry_after_seconds=max(1, int((midnight - now).total_seconds())))

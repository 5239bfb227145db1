"""Whole-site notices: the maintenance or outage page that replaces every screen.

CalJOBS has had planned maintenance windows and at least one long outage; during one, every
address answers the same notice page. Recognising it by its words (not its markup) lets a run
stop politely instead of failing every remaining record.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages.fields import squeeze

# Headings such pages use ("CalJOBS is currently unavailable", "Scheduled Maintenance",
# "Service Outage"), as a person would recognise them.
OUTAGE_HEADING = re.compile(
    r"(currently unavailable|temporarily unavailable|maintenance|outage|site is down)",
    re.IGNORECASE,
)


def outage_notice(page: Page) -> str | None:
    """The notice's heading and first paragraph when the page is an outage page, else None."""
    heading = page.get_by_role("heading", name=OUTAGE_HEADING).filter(visible=True)
    if not heading.count():
        return None
    title = squeeze(heading.first.inner_text())
    paragraph = page.get_by_role("paragraph").filter(visible=True)
    detail = squeeze(paragraph.first.inner_text()) if paragraph.count() else ""
    return f"{title}. {detail}".strip()

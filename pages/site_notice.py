"""Whole-site notices: the maintenance or outage page that replaces every screen.

CalJOBS has had planned maintenance windows and at least one long outage; during one, every
address answers the same notice page. Recognising it by its words (not its markup) lets a run
stop politely instead of failing every remaining record.
"""

from __future__ import annotations

from playwright.sync_api import Page

from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.fields import field, squeeze, title
from caljobs_bot.pages.site_wording import in_force as wording

# Titles such pages use ("CalJOBS is currently unavailable", "Scheduled Maintenance",
# "Service Outage"), as a person would recognise them: a short line, not a paragraph
# (wording key site.maintenance).


def outage_notice(page: Page) -> str | None:
    """The notice's title and first paragraph when the page is an outage page, else None.

    A page that still has the sign-in form or a Sign Out link is the site working (a banner
    announcing next week's maintenance is not an outage).
    """
    heading = title(page, wording().pattern("site.maintenance")).filter(visible=True)
    if not heading.count():
        return None
    password = field(page, wording().texts("sign_in.password"))
    working = password.or_(StaffDashboard.signs_of_signed_in(page))
    if working.filter(visible=True).count():
        return None
    heading_text = squeeze(heading.first.inner_text())
    paragraph = page.get_by_role("paragraph").filter(visible=True)
    detail = squeeze(paragraph.first.inner_text()) if paragraph.count() else ""
    return f"{heading_text}. {detail}".strip()

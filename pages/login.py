"""The Staff Sign In screen, and the notice staff acknowledge after signing in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page

from pages.fields import action, field, squeeze, wait_for_any
from pages.postback import postback

if TYPE_CHECKING:
    from pages.dashboard import StaffDashboard


class SignInFailed(Exception):
    """The site refused the sign-in; str() is the site's own message."""


class LoginPage:
    """Staff Sign In: Username, Password, Sign In."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, url: str) -> LoginPage:
        """Go to the site's sign-in address (the base URL staff open)."""
        self.page.goto(url)
        return self

    def is_shown(self) -> bool:
        """Whether the sign-in form is on screen (a session that timed out lands here)."""
        return (
            field(self.page, "Password").is_visible() and action(self.page, "Sign In").is_visible()
        )

    def dashboard_if_signed_in(self) -> StaffDashboard | None:
        """After `open`: the dashboard when the browser is still signed in (the site skips
        the form), None when the sign-in form shows."""
        from pages.dashboard import StaffDashboard

        dashboard = StaffDashboard.heading_in(self.page)
        wait_for_any(field(self.page, "Password"), dashboard)
        return StaffDashboard(self.page) if dashboard.is_visible() else None

    def sign_in(self, username: str, password: str) -> StaffDashboard:
        """Sign in, acknowledge the notice ("Agree") if it appears, and land on the dashboard.

        A browser that is still signed in is sent past this screen to the dashboard, as on
        the real site; that counts as signed in. Raises SignInFailed with the site's message
        when the site shows an alert instead.
        """
        from pages.dashboard import StaffDashboard

        already = self.dashboard_if_signed_in()
        if already is not None:
            return already
        field(self.page, "Username").fill(username)
        field(self.page, "Password").fill(password)
        with postback(self.page):
            action(self.page, "Sign In").click()
        alert = self.page.get_by_role("alert").filter(visible=True)
        agree = action(self.page, "Agree")
        dashboard = StaffDashboard.heading_in(self.page)
        wait_for_any(alert, agree, dashboard)
        if alert.count():
            raise SignInFailed(squeeze(" ".join(alert.all_inner_texts())))
        if agree.is_visible():
            with postback(self.page):
                agree.click()
        return StaffDashboard(self.page)

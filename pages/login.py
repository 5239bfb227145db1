"""The Staff Sign In screen, and the notice staff acknowledge after signing in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response

from caljobs_bot.pages.fields import Scope, action, field, messages_in_red
from caljobs_bot.pages.notfound import must_show, raise_if_server_error
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.dashboard import StaffDashboard

SCREEN = "sign-in page"
# Said when the form shows again after Sign In with no message a person could read.
REFUSED_WITHOUT_MESSAGE = "the sign-in form showed again, with no message"


class SignInFailed(Exception):
    """The site refused the sign-in; str() is the site's own message."""


class SignedOutMeanwhile(PlaywrightError):
    """The sign-in form showed where another screen was expected: the session expired on the
    way (a pop-up window or panel may land there too). A Playwright error underneath, so code
    that retries the site's hiccups signs in again and retries this the same way; str() names
    the screen, never page text."""

    def __init__(self, screen: str) -> None:
        self.screen = screen
        super().__init__(f"the {screen} showed the sign-in form: the session had expired")


def sign_in_form_shown(scope: Scope) -> bool:
    """Whether the sign-in form (a Password box and a Sign In button) is on screen in `scope`:
    a page, a pop-up window, an iframe or a panel that a session which timed out lands on."""
    words = wording()
    return (
        field(scope, words.texts("sign_in.password")).filter(visible=True).count() > 0
        and action(scope, words.pattern("sign_in.sign_in_button")).filter(visible=True).count()
        > 0
    )


class LoginPage:
    """Staff Sign In: Username, Password, Sign In."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._response: Response | None = None

    def open(self, url: str) -> LoginPage:
        """Go to the site's sign-in address (the base URL staff open)."""
        self._response = self.page.goto(url)
        return self

    def is_shown(self) -> bool:
        """Whether the sign-in form is on screen (a session that timed out lands here)."""
        return sign_in_form_shown(self.page)

    def dashboard_if_signed_in(self) -> StaffDashboard | None:
        """After `open`: the staff home page when the browser is still signed in (the site
        skips the form), None when the sign-in form shows. Raises ServerErrorAnswer at once
        when the address answered with a server error."""
        from caljobs_bot.pages.dashboard import StaffDashboard

        raise_if_server_error(self._response, "page at the sign-in address")
        signed_in = StaffDashboard.signs_of_signed_in(self.page)
        must_show(field(self.page, wording().texts("sign_in.password")).or_(signed_in),
                  screen="page at the sign-in address",
                  element=f"{wording().describe('sign_in.password')} box and no sign of being "
                          "signed in ('Sign Out' link or the staff menu)", key="sign_in.password")
        if signed_in.filter(visible=True).count():
            return StaffDashboard(self.page)
        return None

    def sign_in(self, username: str, password: str) -> StaffDashboard:
        """Sign in, acknowledge the notice ("Agree") if it appears, and land on the staff
        home page.

        Signed in means: the sign-in form has gone and a Sign Out link or the staff menu is
        there (the home page's title differs between releases). A browser that is still
        signed in is sent past this screen, as on the real site; that counts as signed in.
        Raises SignInFailed with the site's message when the form shows again instead.
        """
        from caljobs_bot.pages.dashboard import StaffDashboard

        already = self.dashboard_if_signed_in()
        if already is not None:
            return already
        words = wording()
        field(self.page, words.texts("sign_in.username")).fill(username)
        field(self.page, words.texts("sign_in.password")).fill(password)
        with postback(self.page):
            action(self.page, words.pattern("sign_in.sign_in_button")).click()
        agree = action(self.page, words.pattern("sign_in.agree"))
        signed_in = StaffDashboard.signs_of_signed_in(self.page)
        password_box = field(self.page, words.texts("sign_in.password"))
        must_show(agree.or_(signed_in).or_(password_box), screen="page after Sign In",
                  element="notice to agree to, sign of being signed in ('Sign Out' link or the "
                          "staff menu), or sign-in form")
        if agree.filter(visible=True).count():
            with postback(self.page):
                agree.filter(visible=True).first.click()
        elif password_box.filter(visible=True).count():
            raise SignInFailed(" ".join(messages_in_red(self.page)) or REFUSED_WITHOUT_MESSAGE)
        return StaffDashboard(self.page)

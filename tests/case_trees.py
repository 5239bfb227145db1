"""Case pages drawn in shapes the sandbox does not use, for tests/test_case_trees.py.

Each page is what a person sees on a Case Management Profile: a title, the participant's
banner, two WIOA applications and a Wagner-Peyser one, each with its details, a Closure
section and an Exit / Outcome section, and a footer with a date in it. How the tree is drawn
(nested lists, TreeView tables with their children after them, one grid of rows), what its
toggles are (a "+" button inside the words' span, an image with an empty alt, a CSS triangle
with a delegated listener, the words themselves, a submit that posts the page back), how the
application's words are split and how the listed outcome reads all vary, and nothing carries
a role, an aria- attribute, a name the reader knows or an id it could lean on.

The page's own script toggles a node by a `data-for` attribute naming the node's children, as
a site's script would by its ids; the reader never sees it (it clicks what it finds by place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from urllib.parse import parse_qs

from playwright.sync_api import Page, Route

URL = "http://caljobs.test/Case.aspx"
# A 9x9 grey square: the picture a site's (+) shows, with no words.
SQUARE = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='9' "
          "height='9'><rect width='9' height='9' fill='grey'/></svg>")

TOGGLES = ("plus-in-span", "img-no-alt", "css-triangle", "words", "arrow-span", "submit",
           "after-words")
LAYOUTS = ("nested", "siblings", "rows")
OUTCOME_FORMS = ("sentence", "two-lines", "table")

_SCRIPT = """
<script>
  window.toggleClicks = 0;
  window.decoyClicks = 0;
  function kidsOf(tool) { return document.getElementById(tool.getAttribute("data-for")); }
  function flip(tool) {
    const kids = kidsOf(tool);
    const opening = kids.style.display === "none";
    window.toggleClicks += 1;
    if (opening && kids.hasAttribute("data-later")) {
      kids.style.display = "";
      const html = kids.innerHTML;
      kids.innerHTML = "<div>Loading...</div>";
      setTimeout(() => { kids.innerHTML = html; }, 300);
      return;
    }
    kids.style.display = opening ? "" : "none";
  }
  document.addEventListener("click", event => {
    if (event.target.closest(".decoy")) { window.decoyClicks += 1; return; }
    const tool = event.target.closest("[data-for]");
    if (!tool || tool.tagName === "INPUT") return;
    event.preventDefault();
    flip(tool);
  });
</script>
<style>
  .tri { display: inline-block; width: 0; height: 0; border: 5px solid transparent;
         border-left-color: #333; cursor: pointer; }
  .arrow, .decoy { cursor: pointer; }
  .kids { margin-left: 22px; }
  ul { list-style: none; }
</style>
"""


@dataclass
class CaseTree:
    """One drawing of the case page; `open_nodes` are drawn open (a postback's answer)."""

    toggle: str = "plus-in-span"
    layout: str = "siblings"
    outcome_form: str = "sentence"
    split_words: bool = False
    loading: bool = False
    decoy: bool = False
    open_nodes: set[str] = field(default_factory=set)

    def html(self) -> str:
        ids = count()
        body = "".join(self._application(next(ids), ids, *app) for app in _APPLICATIONS)
        tree = f"<ul>{body}</ul>" if self.layout == "nested" else (
            f"<table>{body}</table>" if self.layout == "rows" else body)
        if self.toggle == "submit":
            tree = f'<form method="post" action="{URL}">{tree}</form>'
        return ("<html><head><title>CalJOBS</title></head><body>"
                "<div><span style='font-size:18px'>Case Management Profile for Karen James"
                "</span></div><div>Karen James &nbsp; User ID: 37762 &nbsp; State ID: 34712</div>"
                "<div style='margin:12px 0'>Program Applications</div>"
                f"<div style='margin-left:40px'>{tree}</div>"
                "<div>Last updated 01/02/2021 - Help desk: 1-800-555-0100</div>"
                f"{_SCRIPT}</body></html>")

    def _application(self, number: int, ids: count[int], program: str, app: str,
                     status: str, kind: str, outcome: bool) -> str:
        words = (f"{program} #<b>{app}</b> - <i>{status}</i>" if self.split_words
                 else f"{program} #{app} - {status}")
        details = ["LWDB: 13 - Los Angeles County WDACS", "Onestop: 2703 - LAO Community",
                   "Open/Total Activities: 0/1", f"Program: {kind}",
                   "Application Date: 01/15/2021"]
        closure = self._node(f"c{number}", "Closure", ["No closure has been recorded."], ids)
        contents = self._outcome() if outcome else [
            "<input type='submit' name='create' value='Create Exit/Outcome' "
            "formaction='http://caljobs.test/Outcome.aspx'>"]
        exit_outcome = self._node(f"e{number}", "Exit / Outcome", contents, ids,
                                  later=self.loading)
        return self._node(f"a{number}", words, [*details, closure, exit_outcome], ids)

    def _outcome(self) -> list[str]:
        if self.outcome_form == "two-lines":
            return ["Exit Date: 06/24/2021", "Exit Reason: Deceased"]
        if self.outcome_form == "table":
            return ["<table><tr><td><b>Exit Date</b></td><td><b>Exit Reason</b></td></tr>"
                    "<tr><td>06/24/2021</td><td>Deceased</td></tr></table>"]
        return ["Exited on 06/24/2021 &mdash; Exit Reason: Deceased"]

    def _tool(self, key: str, words: str) -> tuple[str, str]:
        """The toggle before the words, and the words (maybe made the toggle)."""
        kind = self.toggle
        decoy = "<span class='decoy'>&bull;</span> " if self.decoy else ""
        if kind == "plus-in-span":
            button = f"<button type='button' data-for='{key}'>+</button>"
            return "", f"<span>{button} {decoy}{words}</span>"
        if kind == "img-no-alt":
            return (f"<a href='javascript:void(0)' data-for='{key}'><img src=\"{SQUARE}\"></a>",
                    f"{decoy}{words}")
        if kind == "css-triangle":
            return f"<span class='tri' data-for='{key}'></span>", f"{decoy}{words}"
        if kind == "words":
            return "", f"{decoy}<a href='#' data-for='{key}'>{words}</a>"
        if kind == "after-words":
            return "", f"{decoy}{words} <a href='#' data-for='{key}'>more</a>"
        if kind == "arrow-span":
            return f"<span class='arrow' data-for='{key}'>&#9656;</span>", f"{decoy}{words}"
        return (f"<input type='image' name='open_{key}' src=\"{SQUARE}\">",
                f"{decoy}{words}")

    def _node(self, key: str, words: str, kids: list[str], ids: count[int], *,
              later: bool = False) -> str:
        shown = "" if key in self.open_nodes else "display:none"
        tool, words = self._tool(key, words)
        mark = " data-later='1'" if later else ""
        if self.layout == "nested":
            inner = "".join(f"<li>{kid}</li>" if not kid.startswith("<li") else kid
                            for kid in kids)
            return (f"<li>{tool} {words}<ul class='kids' id='{key}' style='{shown}'{mark}>"
                    f"{inner}</ul></li>")
        if self.layout == "rows":
            inner = "".join(kid if kid.startswith("<tr") else f"<tr><td></td><td>{kid}</td></tr>"
                            for kid in kids)
            return (f"<tr><td>{tool}</td><td>{words}</td></tr>"
                    f"<tr><td></td><td><table class='kids' id='{key}' style='{shown}'{mark}>"
                    f"{inner}</table></td></tr>")
        inner = "".join(kid if kid.startswith("<table") else f"<div>{kid}</div>"
                        for kid in kids)
        return (f"<table><tr><td>{tool}</td><td>{words}</td></tr></table>"
                f"<div class='kids' id='{key}' style='{shown}'{mark}>{inner}</div>")


# (program, number, status, program kind, has an outcome)
_APPLICATIONS = (
    ("WIOA", "3300101", "Active", "Adult", False),
    ("WIOA", "3300102", "Exited", "Dislocated Worker", True),
    ("Wagner-Peyser", "3300190", "Complete", "Wagner-Peyser", False),
)


def serve(page: Page, tree: CaseTree) -> None:
    """Serve the drawing at URL; a POST (the submit toggle) answers the same page with the
    node it names open, as a WebForms postback does."""

    def answer(route: Route) -> None:
        request = route.request
        if request.method == "POST":
            # An image input posts its name with ".x" and ".y": "open_a0.x=4&open_a0.y=5".
            for name in parse_qs(request.post_data or ""):
                if name.startswith("open_") and name.endswith(".x"):
                    tree.open_nodes ^= {name[len("open_"):-len(".x")]}
        route.fulfill(status=200, content_type="text/html", body=tree.html())

    page.route(URL, answer)
    page.goto(URL)

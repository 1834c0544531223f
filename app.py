"""The outcomes-based contracting calculator: a router over the pages listed in PAGES.

Presentation mode swaps the menu for the one presentation page. Every page stays registered
(hidden when not in use), so switching either way lands on a known page, never 'page not found',
and switching off returns to the page the presenter left. The sidebar also holds the "Share this
deal" box, with the link to the deal as it is after the page has run.
"""

from urllib.parse import urlencode

import streamlit as st

from obc_calc.io.sharelink import encode_deal
from ui import focus_style, gc_freeze, library_panel, state  # noqa: F401 (gc_freeze works on import, once)
from ui.present_keys import PRESENT_START, PRESENT_VIEW

# The app's pages in menu order: (script, title, icon). app.py and the browser test both read it.
PAGES: list[tuple[str, str, str]] = [
    ("app_pages/home.py", "Home", ":material/home:"),
    ("app_pages/deal_split.py", "Deal & split", ":material/handshake:"),
    ("app_pages/rate_card.py", "Rate card", ":material/table_chart:"),
    ("app_pages/scenarios.py", "Scenarios", ":material/stacked_bar_chart:"),
    ("app_pages/budget.py", "Budget", ":material/account_balance:"),
    ("app_pages/risk.py", "Risk", ":material/casino:"),
    ("app_pages/settle_up.py", "Settle-up", ":material/receipt_long:"),
    ("app_pages/monitor.py", "Monitor", ":material/monitoring:"),
    ("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("app_pages/provider.py", "Provider view", ":material/storefront:"),
    ("app_pages/library.py", "Library", ":material/folder_shared:"),
]

# Presentation mode shows this page alone, in place of the pages above.
PRESENTATION_PAGE = ("app_pages/present.py", "Presentation", ":material/co_present:")


def keep_presenting() -> None:
    st.session_state[state.PRESENTING] = st.session_state[state.PRESENTING_SWITCH]
    if st.session_state[state.PRESENTING]:
        st.session_state[PRESENT_VIEW] = 0  # each presentation starts at its first view
        st.session_state[PRESENT_START] = True


def presentation_switch() -> bool:
    # The widget is drawn from the plain key on every run, so the switch always shows what the app
    # goes by, even on a run where Streamlit dropped the widget's own state.
    st.session_state[state.PRESENTING_SWITCH] = st.session_state.get(state.PRESENTING, False)
    return st.sidebar.toggle(
        "Presentation mode", key=state.PRESENTING_SWITCH, on_change=keep_presenting,
        help="For a projector: the headline figures, flags and charts of this deal, large, with no "
             "editing controls. Switch off to return to the page you were on.",
    )


def route(presenting: bool):
    """The page to run; moves to the presentation page, or back from it, when the switch has flipped."""
    normal = [
        st.Page(path, title=title, icon=icon, default=index == 0,
                visibility="hidden" if presenting else "visible")
        for index, (path, title, icon) in enumerate(PAGES)
    ]
    path, title, icon = PRESENTATION_PAGE
    present = st.Page(path, title=title, icon=icon, visibility="visible" if presenting else "hidden")
    page = st.navigation([*normal, present], position="hidden" if presenting else "sidebar")
    # switch_page clears the query unless given one: keep the deal's link in the address.
    if presenting and page is not present:
        st.session_state[state.PAGE_BEFORE_PRESENTING] = page.url_path
        st.switch_page(present, query_params=st.query_params.to_dict())
    if not presenting and page is present:
        left = st.session_state.get(state.PAGE_BEFORE_PRESENTING, "")
        st.switch_page(next((p for p in normal if p.url_path == left), normal[0]),
                       query_params=st.query_params.to_dict())
    return page


SHARE_LINK_CSS = ('<style>[data-testid="stSidebar"] [data-testid="stCode"] pre '
                  "{ overflow: hidden; text-overflow: ellipsis; }</style>")


def share_box(page_path: str):
    """The sidebar's 'Share this deal' box; returns the slot with the link, to refresh after the page ran."""
    with st.sidebar.expander("Share this deal", icon=":material/share:"):
        st.caption("Send this link: whoever opens it gets this deal as it is now, to explore on their own. "
                   "Its copy button takes the whole link; the address bar holds the same link and follows "
                   "every change.")
        # The link holds the deal (a thousand characters and more): shown cut short, not in a box that
        # scrolls sideways, which a keyboard cannot reach (WCAG 2.1.1). The copy button takes it whole.
        st.html(SHARE_LINK_CSS)
        slot = st.empty()
    show_link(slot, page_path)
    return slot


def show_link(slot, page_path: str) -> None:
    slot.code(share_url(page_path), language=None)  # one line: the copy button takes it whole


def share_url(page_path: str) -> str:
    """The app's address (its home page) with the deal; only the query part when the address is unknown."""
    query = "?" + urlencode({state.LINK_PARAM: encode_deal(state.current())})
    address = st.context.url  # the current page's address, without its query
    if not address:
        return query
    address = address.removesuffix("/")
    if page_path:
        address = address.removesuffix("/" + page_path)
    return f"{address}/{query}"


def main() -> None:
    # A projector needs the whole width: presenting collapses the sidebar (it can still be opened),
    # and leaving it brings the sidebar back where the screen has room for it.
    sidebar = "collapsed" if st.session_state.get(state.PRESENTING, False) else "auto"
    st.set_page_config(page_title="OBC calculator", page_icon=":material/calculate:", layout="wide",
                       initial_sidebar_state=sidebar)
    focus_style.show()
    state.init_state()
    state.publish_link()  # moving to another page drops the query from the address; put the deal back
    st.sidebar.caption(f"Deal: **{state.current().name}**")
    # Its library version and whether it has unsaved changes; no save button while presenting.
    status = library_panel.sidebar_block(saving=not st.session_state.get(state.PRESENTING, False))
    page = route(presentation_switch())
    link = share_box(page.url_path)
    state.show_flash(state.APP)  # once: why a link's deal could not be opened; what a library action did
    library_panel.questions()  # drop unsaved changes to open another deal? a stale save: what now?
    st.session_state[state.PAGE_SHOWN] = page.title  # refused edits name the page of a field set elsewhere
    page.run()
    show_link(link, page.url_path)  # the page may have changed the deal (an edit in a table)
    library_panel.show_status(status)


# `streamlit run` and AppTest run this file as __main__; tests import it for the page list.
if __name__ == "__main__":
    main()

"""The presentation page's session keys (app_pages/present.py; app.py starts each presentation at its
first view). The charts' own keys, state.PRESENT_STACKED and state.PRESENT_GRID, are in ui/state.py."""

PRESENT_VIEW = "present_view"  # the view on screen, from 0: the headline figures, then one per chart
PRESENT_PREVIOUS, PRESENT_NEXT = "present_previous", "present_next"  # the step buttons
PRESENT_EXIT = "present_exit"  # the page's own way out of presentation mode
PRESENT_NAV = "present_nav"  # the container holding the buttons, pinned to the top bar by its CSS class
PRESENT_START = "present_start"  # set when presentation mode is switched on: the page's first run of it

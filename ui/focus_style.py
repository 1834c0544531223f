"""A keyboard focus ring that stands out, on every page (app.py draws it once a run).

WCAG 2.1 asks 3:1 between a focus indicator and what is next to it (1.4.11). Streamlit's own ring is
the primary colour at half strength, 2.1:1 on white, and its menu links and tables show none: this
draws a solid ring in the primary colour (5.7:1 on white, 5.0:1 on the sidebar's grey) round whatever
the keyboard is on. tests/app/test_keyboard.py checks it at every step of a deal made by keyboard.
"""

import streamlit as st


def show() -> None:
    colour = st.get_option("theme.primaryColor")
    st.html(f"<style>:focus-visible {{ outline: 2px solid {colour} !important; "
            "outline-offset: 2px !important; }</style>")

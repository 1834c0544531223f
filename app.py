"""The outcomes-based contracting calculator: a router over the pages listed in ui.PAGES."""

import streamlit as st

import ui

st.set_page_config(page_title="OBC calculator", page_icon=":material/calculate:", layout="wide")
ui.init_state()
pages = [
    st.Page(path, title=title, icon=icon, default=index == 0)
    for index, (path, title, icon) in enumerate(ui.PAGES)
]
st.sidebar.caption(f"Deal: **{ui.current().name}**")
st.navigation(pages).run()

"""The Streamlit app's own package: session state (one owner), messages, tables, widgets and charts.

Pages import the module they need (`from ui import state, widgets`); nothing here computes a figure.
"""

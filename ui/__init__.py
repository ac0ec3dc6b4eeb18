"""What the page scripts in pages/ share: context, cached loaders, widgets bound to the URL, charts,
tables and text helpers. Kept outside pages/ so that Streamlit never lists these modules as pages.

Only dashboard.py, pages/ and ui/ import streamlit; only ui/*charts*.py import altair.
"""

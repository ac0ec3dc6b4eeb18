"""The browser rig's floor: a Streamlit page with nothing to compute.

``python -m benchmarks`` opens as many concurrent Chromium sessions on this page as on the
dashboard, on the same machine, so the report can say how much of the dashboard's concurrent p95
is the browsers themselves.
"""

import streamlit as st

st.set_page_config(page_title="Blank", layout="wide")
st.title("Blank page")
st.write("Nothing to compute here.")

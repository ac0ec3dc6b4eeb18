"""Page scripts only: each one is a page of the app, registered in ui/navigation.py. Their helpers
live in ui/, so Streamlit never lists them as pages."""

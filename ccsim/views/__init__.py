"""Figures and widgets: plots, the dashboard, the widget toolkit and quiz machinery (no lab content)."""

"""One module per lab: its case, panels and questions, built from the views toolkit."""

"""Intake: bring a new text into data/ (add-raw, new-document), look things up while
annotating it (find, locate), and prepare the release (release). The CLI is a thin layer
over these modules (commands.py)."""

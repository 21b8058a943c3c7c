"""The public pages of the working groups (pages.py) and the answers to meetings (answers.py)."""

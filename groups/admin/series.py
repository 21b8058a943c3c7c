"""Series of meetings in the back-office (filled in below)."""

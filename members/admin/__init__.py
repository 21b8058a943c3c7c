"""The member file in the back-office, one module per area."""

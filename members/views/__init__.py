"""Public views of the member file: the structures directory and the join-us form."""

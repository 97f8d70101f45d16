"""The newsroom's roles: the Arabic-named groups a data migration creates, and what each may do."""

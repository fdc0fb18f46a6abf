"""Land and core zones: models follow (issue 11)."""

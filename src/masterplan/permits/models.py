"""Permit procedures, statutory deadlines and their durations (DESIGN.md, permits)."""

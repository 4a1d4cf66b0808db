"""Reporters: turn results into text (rich), json or GitHub annotations. The only other place rich is used."""

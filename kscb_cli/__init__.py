"""kscb: learning and improvement records for safeguarding children partnerships."""

__version__ = "0.1.0"

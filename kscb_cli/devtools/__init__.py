"""Run by developers, never by a command: the generated docs, the layer table, the house reference.docx."""

"""PySide6 widgets and Qt models that adapt the core; nothing here is imported by core/."""

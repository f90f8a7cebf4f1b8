"""Collections: requests as plain YAML files in a folder tree, shaped after OpenCollection 1.0."""

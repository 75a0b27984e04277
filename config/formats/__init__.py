"""Date formats replacing Django's where its own could be misread (FORMAT_MODULE_PATH)."""

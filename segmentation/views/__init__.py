"""The segmentation pages, by topic; `urls.py` names each module it routes to."""

"""Letters: merge a segment's or a logged segment's Word letters.

`building` makes the letters (read-only), `batches` makes them in the
background, `views` are the letters pages and downloads.
"""

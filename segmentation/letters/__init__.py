"""Letters: merge a segment's or a logged segment's Word letters.

`check` says what making them would use, `building` makes the letters
(read-only), `batches` makes them in the background, `views` are the letters
pages and downloads.
"""

"""`make loadtest`: gunicorn under a bounded load, on a generated database.

`data` makes the database (set-based) and checks it afterwards, `server` runs
gunicorn on 127.0.0.1, `client` is the asyncio load client, `__main__` runs the
scenarios and reports. How to run it and what it found: docs/loadtest.md.
"""

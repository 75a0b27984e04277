"""The scale test (`make scale-test`): many app servers and workers on one database.

HAProxy in front of two gunicorn servers, PgBouncer (transaction pooling) in
front of PostgreSQL, two job workers and one shared media folder, all on
127.0.0.1; concurrent writes, letter jobs and reads through the proxy while
one server and one worker are killed. See docs/deployment.md.
"""

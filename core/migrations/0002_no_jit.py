"""Turn PostgreSQL's JIT compilation off for this database.

JIT pays off for long analytic queries; Segmenta's are short, but the planner
switches JIT on by estimated cost, and a count preview over a million contacts
is estimated high enough: measured, 2.2 s of compiling for a 0.2 s query
(Expand Companies of one city). A database setting reaches every connection,
through PgBouncer too (which refuses a per-connection `options` parameter).
Applies to sessions opened after it; nothing on SQLite.
"""

from django.db import migrations

SET_JIT = """
DO $$ BEGIN
    EXECUTE 'ALTER DATABASE ' || quote_ident(current_database()) || ' SET jit = {}';
END $$
"""


def jit_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET_JIT.format("off"))


def jit_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET_JIT.format("DEFAULT"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(jit_off, jit_default)]

"""Write many plausible contacts fast, for benchmarks and load tests.

`contacts.demo_data` decides what the contacts look like (pools of Faker names,
companies, streets and cities per language, reference data); this module writes
them. Every value of row n (0, 1, 2… of one load) is chosen by `pick(n, salt,
size)`: an integer hash of the row number and a salt per column, so one seed gives
the same contacts on every run and on both databases. The hash needs only integer
arithmetic that SQL has too, so PostgreSQL makes the rows itself in one
`INSERT … SELECT` over `generate_series`: no row passes through Python or the wire.
SQLite gets the same rows from Python through executemany.
"""

from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection

from contacts.bulk import (
    indexes_built_afterwards,
    insert_links,
    insert_rows,
    local_settings,
    reserve_id_range,
)
from contacts.imports import CONTACT_TABLE_COLUMNS
from contacts.models import Contact
from contacts.numbering import take_number_range

CONTACTS_PER_COMPANY = 8
# A prime modulus, and rounds of (XOR a constant, multiply) that keep every
# product inside a signed 64-bit integer (PostgreSQL's bigint raises on overflow)
# for row numbers below 10^9. Each round uses the previous value once, so the SQL
# form stays one short expression.
MODULUS = 2_147_483_647
MULTIPLIER = 1_103_515_245
ROUNDS = [(0x5BD1E995, 69_069), (0x27D4EB2F, 48_271), (0x165667B1, 16_807)]
LINKS = {
    # relation: (ids in the plan, which rows get one link: in Python, in SQL)
    "industry_groups": (
        "industry_group_ids",
        lambda n: n % CONTACTS_PER_COMPANY == 0,
        f"mod(n, {CONTACTS_PER_COMPANY}) = 0",
    ),
    "job_responsibilities": (
        "responsibility_ids",
        lambda n: n % CONTACTS_PER_COMPANY != 0,
        f"mod(n, {CONTACTS_PER_COMPANY}) <> 0",
    ),
    "mailing_groups": (
        "mailing_group_ids",
        lambda n: n % CONTACTS_PER_COMPANY != 0 and n % 3 != 0,
        f"mod(n, {CONTACTS_PER_COMPANY}) <> 0 AND mod(n, 3) <> 0",
    ),
}
SALTED = [
    "language",
    "gender",
    "first",
    "last",
    "company",
    "street",
    "post_code",
    "city",
    "correspondence_type",
    "salesperson",
    *LINKS,
]


@dataclass(frozen=True)
class ContactPlan:
    """What generated contacts are made of.

    `pools` maps a kind (first_male, last_female, company, street, email_first_male…)
    to one list per language, all of the same length; `countries` and `territory_ids`
    follow `languages`; `salts` has one integer (below 2**30) per name in SALTED.
    """

    languages: list[str]
    countries: list[str]
    territory_ids: list[int]
    pools: dict[str, list[list[str]]]
    correspondence_types: list[str]
    salesperson_ids: list[int]
    mailing_group_ids: list[int]
    industry_group_ids: list[int]
    responsibility_ids: list[int]
    salts: dict[str, int]
    created_at: object


def pick(n: int, salt: int, size: int) -> int:
    """A well-spread choice in range(size) for row n (uniform, and independent of
    row n + 1 and of other salts by a chi-squared test over 400,000 rows)."""
    mixed = (n * MULTIPLIER + salt) % MODULUS
    for constant, multiplier in ROUNDS:
        mixed = ((mixed ^ constant) * multiplier) % MODULUS
    return mixed % size


def generate(count: int, plan: ContactPlan) -> None:
    """Insert `count` contacts and their group links, inside the caller's transaction."""
    series, first_number = take_number_range("contact", count)
    first_id = reserve_id_range(Contact, count)
    links = {
        relation: Contact._meta.get_field(relation).remote_field.through
        for relation in LINKS
    }
    # Rebuilding the indexes pays when the load at least doubles the table.
    rebuild = count >= Contact.objects.count()
    tables = [Contact, *links.values()]
    with indexes_built_afterwards(*tables) if rebuild else nullcontext():
        if connection.vendor == "postgresql":
            _insert_in_database(count, plan, first_id, series, first_number)
        else:
            _insert_from_python(count, plan, first_id, series, first_number)


def _insert_from_python(count, plan, first_id, series, first_number) -> None:
    rows = (
        contact_row(n, plan, first_id, series.format(first_number + n))
        for n in range(count)
    )
    insert_rows(Contact._meta.db_table, CONTACT_TABLE_COLUMNS, rows)
    for relation, (ids_name, linked, _condition) in LINKS.items():
        ids = getattr(plan, ids_name)
        insert_links(
            Contact,
            relation,
            (
                (first_id + n, _choose(ids, n, plan.salts[relation]))
                for n in range(count)
                if linked(n)
            ),
        )


def contact_row(n: int, plan: ContactPlan, first_id: int, number: str) -> tuple:
    """Row n of a load, in CONTACT_TABLE_COLUMNS order, as SQLite gets it (and as
    PostgreSQL makes it in SQL)."""
    salts = plan.salts
    language = pick(n, salts["language"], len(plan.languages))
    gender = "female" if pick(n, salts["gender"], 2) else "male"
    pools = {kind: lists[language] for kind, lists in plan.pools.items()}
    size = len(pools["city"])
    first_index, last_index = (
        pick(n, salts["first"], size),
        pick(n, salts["last"], size),
    )
    is_company = n % CONTACTS_PER_COMPANY == 0
    name = (
        pools["company"][pick(n, salts["company"], size)]
        if is_company
        else f"{pools[f'first_{gender}'][first_index]} {pools[f'last_{gender}'][last_index]}"
    )
    contact_id = first_id + n
    email = (
        f"{pools[f'email_first_{gender}'][first_index]}."
        f"{pools[f'email_last_{gender}'][last_index]}.{contact_id}@example.com"
    )
    return (
        contact_id,
        number,
        "company" if is_company else "person",
        name,  # then the other TEXT_COLUMNS: name_2, job title, addresses…
        "",
        "",
        pools["street"][pick(n, salts["street"], size)],
        "",
        pools["post_code"][pick(n, salts["post_code"], size)],
        pools["city"][pick(n, salts["city"], size)],
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        None if is_company else first_id + n - n % CONTACTS_PER_COMPANY,
        plan.countries[language],
        email,
        "",
        plan.languages[language],
        _choose(plan.correspondence_types, n, salts["correspondence_type"]),
        _choose(plan.salesperson_ids, n, salts["salesperson"]),
        plan.territory_ids[language],
        n % 50 == 1,
        n % 100 == 2,
        plan.created_at,
        plan.created_at,
    )


def _choose(values: list, n: int, salt: int):
    return values[pick(n, salt, len(values))]


def _sql_pick(salt: int, size: int) -> str:
    """`pick` as a SQL expression over the row number n (# is XOR in PostgreSQL)."""
    mixed = f"mod(n * {MULTIPLIER} + {salt}, {MODULUS})"
    for constant, multiplier in ROUNDS:
        mixed = f"mod(({mixed} # {constant}) * {multiplier}, {MODULUS})"
    return f"mod({mixed}, {size})"


def _insert_in_database(count, plan, first_id, series, first_number) -> None:
    salts = plan.salts
    size = len(plan.pools["city"][0])
    # Pools as tables joined on a position: subscripting a text[] walks the array,
    # which cost 3 s a column at a million rows; a hash join costs a tenth of that.
    # Language l's item k is at position l * size + k + 1; a gendered pool's
    # (language, gender) at (l * 2 + gender) * size + k + 1.
    gendered = {
        f"{part}_{kind}": [
            item
            for language in range(len(plan.languages))
            for gender in ("male", "female")
            for item in plan.pools[f"{prefix}{kind}_{gender}"][language]
        ]
        for kind in ("first", "last")
        for part, prefix in (("name", ""), ("email", "email_"))
    }
    plain = {
        kind: [item for items in plan.pools[kind] for item in items]
        for kind in ("company", "street", "post_code", "city")
    }
    picks = ", ".join(
        f"{_sql_pick(salts[column], size)} + 1 AS {column}"
        for column in ("first", "last", "company", "street", "post_code", "city")
    )
    pool_joins = "\n".join(
        [
            f"JOIN unnest(%(name_{kind})s::text[], %(email_{kind})s::text[])"
            f" WITH ORDINALITY AS {kind}_pool (name, email, position)"
            f" ON {kind}_pool.position = gendered_base + {kind}"
            for kind in ("first", "last")
        ]
        + [
            f"JOIN unnest(%({kind})s::text[]) WITH ORDINALITY"
            f" AS {kind}_pool (value, position) ON {kind}_pool.position = base + {kind}"
            for kind in plain
        ]
    )
    table = connection.ops.quote_name(Contact._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in CONTACT_TABLE_COLUMNS)
    company = f"mod(n, {CONTACTS_PER_COMPANY}) = 0"
    sql = f"""
        INSERT INTO {table} ({columns})
        SELECT %(first_id)s + n,
            %(prefix)s || lpad(number::text, greatest(%(width)s, length(number::text)), '0'),
            CASE WHEN {company} THEN 'company' ELSE 'person' END,
            CASE WHEN {company} THEN company_pool.value
                ELSE first_pool.name || ' ' || last_pool.name END,
            '', '', street_pool.value, '', post_code_pool.value, city_pool.value,
            '', '', '', '', '', '', '',
            CASE WHEN {company} THEN NULL
                ELSE %(first_id)s + n - mod(n, {CONTACTS_PER_COMPANY}) END,
            (%(countries)s::text[])[language + 1],
            first_pool.email || '.' || last_pool.email || '.'
                || (%(first_id)s + n)::text || '@example.com',
            '',
            (%(languages)s::text[])[language + 1],
            (%(correspondence_types)s::text[])[correspondence_type + 1],
            (%(salesperson_ids)s::bigint[])[salesperson + 1],
            (%(territory_ids)s::bigint[])[language + 1],
            mod(n, 50) = 1, mod(n, 100) = 2, %(created_at)s, %(created_at)s
        FROM (
            SELECT n, %(first_number)s + n AS number, language, language * {size} AS base,
                (language * 2 + {_sql_pick(salts["gender"], 2)}) * {size} AS gendered_base,
                {_sql_pick(salts["correspondence_type"], len(plan.correspondence_types))}
                    AS correspondence_type,
                {_sql_pick(salts["salesperson"], len(plan.salesperson_ids))} AS salesperson,
                {picks}
            FROM (
                SELECT n, {_sql_pick(salts["language"], len(plan.languages))} AS language
                FROM generate_series(0::bigint, %(last)s) AS n
            ) AS numbered
            OFFSET 0  -- each pick once per row, not once per use
        ) AS picked
        {pool_joins}
    """
    with connection.cursor() as cursor:
        # The planner cannot know that each pool position matches one row: it
        # expects billions of rows, so it would sort for merge joins (hash joins
        # take 0.5 s) and spend 4 s compiling the query (JIT).
        with local_settings(enable_mergejoin="off", jit="off"):
            cursor.execute(
                sql,
                {
                    **gendered,
                    **plain,
                    "first_id": first_id,
                    "first_number": first_number,
                    "prefix": series.prefix,
                    "width": series.width,
                    "last": count - 1,
                    "countries": plan.countries,
                    "languages": plan.languages,
                    "correspondence_types": plan.correspondence_types,
                    "salesperson_ids": plan.salesperson_ids,
                    "territory_ids": plan.territory_ids,
                    "created_at": plan.created_at,
                },
            )
        for relation, (ids_name, _linked, condition) in LINKS.items():
            ids = getattr(plan, ids_name)
            salt = plan.salts[relation]
            _insert_links_in_database(
                cursor,
                relation,
                f"{_sql_pick(salt, len(ids))} + 1",
                condition,
                {"first_id": first_id, "ids": ids, "last": count - 1},
            )


def _insert_links_in_database(cursor, relation, position, condition, params) -> None:
    field = Contact._meta.get_field(relation)
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    source = quote(through.get_field(field.m2m_field_name()).column)
    target = quote(through.get_field(field.m2m_reverse_field_name()).column)
    cursor.execute(
        f"INSERT INTO {quote(through.db_table)} ({source}, {target})"
        f" SELECT %(first_id)s + n,"
        f" (%(ids)s::bigint[])[{position}]"
        f" FROM generate_series(0::bigint, %(last)s) AS n WHERE {condition}",
        params,
    )

"""Rules of the count that the database itself keeps (reliability-security test 41; issue 16
item 6), whatever writes the rows, the application's services or a hand at the database: no
candidate has more votes in a round than the round's valid ballots that mark anyone (valid
less blank, RULE), and no round issues more ballots than the election's delegates present
(PRESENT_RULE). Within one table the models' CHECK constraints keep the rest (votes ≥ 0,
valid + invalid = collected ≤ issued, blank ≤ valid, present ≤ summoned). The services check
all of it first and say so in words (congresses.elections.counting); this is the last line.

The checks are triggers: a CHECK constraint cannot read another table. They are installed by
the migration `congresses 0009_votes_within_ballots` and again after every `migrate`
(`install`, on post_migrate), since SQLite drops a table's triggers when Django rebuilds the
table to alter it. A refused write raises IntegrityError, its message starting with RULE."""

from __future__ import annotations

from typing import Any

RULE = "votes_within_ballots"
MESSAGE = f"{RULE}: a candidate has more votes than valid ballots that mark anyone"
PRESENT_RULE = "ballots_within_present"
PRESENT_MESSAGE = f"{PRESENT_RULE}: a round issued more ballots than delegates present"

_SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS roundvote_within_ballots_insert
    BEFORE INSERT ON congresses_roundvote
    WHEN NEW.votes > (SELECT valid - blank FROM congresses_round WHERE id = NEW.round_id)
    BEGIN SELECT RAISE(ABORT, 'RULE_MESSAGE'); END""",
    """CREATE TRIGGER IF NOT EXISTS roundvote_within_ballots_update
    BEFORE UPDATE OF votes, round_id ON congresses_roundvote
    WHEN NEW.votes > (SELECT valid - blank FROM congresses_round WHERE id = NEW.round_id)
    BEGIN SELECT RAISE(ABORT, 'RULE_MESSAGE'); END""",
    """CREATE TRIGGER IF NOT EXISTS round_within_ballots_update
    BEFORE UPDATE OF valid, blank ON congresses_round
    WHEN EXISTS (SELECT 1 FROM congresses_roundvote
                 WHERE round_id = NEW.id AND votes > NEW.valid - NEW.blank)
    BEGIN SELECT RAISE(ABORT, 'RULE_MESSAGE'); END""",
    """CREATE TRIGGER IF NOT EXISTS round_within_present_insert
    BEFORE INSERT ON congresses_round
    WHEN NEW.issued > (SELECT present FROM congresses_election WHERE id = NEW.election_id)
    BEGIN SELECT RAISE(ABORT, 'PRESENT_MESSAGE'); END""",
    """CREATE TRIGGER IF NOT EXISTS round_within_present_update
    BEFORE UPDATE OF issued, election_id ON congresses_round
    WHEN NEW.issued > (SELECT present FROM congresses_election WHERE id = NEW.election_id)
    BEGIN SELECT RAISE(ABORT, 'PRESENT_MESSAGE'); END""",
    """CREATE TRIGGER IF NOT EXISTS election_within_present_update
    BEFORE UPDATE OF present ON congresses_election
    WHEN EXISTS (SELECT 1 FROM congresses_round
                 WHERE election_id = NEW.id AND issued > NEW.present)
    BEGIN SELECT RAISE(ABORT, 'PRESENT_MESSAGE'); END""",
]

_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION unionrec_votes_within_ballots() RETURNS trigger AS $$
    BEGIN
      IF TG_TABLE_NAME = 'congresses_roundvote' THEN
        IF NEW.votes > (SELECT valid - blank FROM congresses_round WHERE id = NEW.round_id) THEN
          RAISE EXCEPTION 'RULE_MESSAGE' USING ERRCODE = 'check_violation';
        END IF;
      ELSIF TG_TABLE_NAME = 'congresses_round' THEN
        IF EXISTS (SELECT 1 FROM congresses_roundvote
                   WHERE round_id = NEW.id AND votes > NEW.valid - NEW.blank) THEN
          RAISE EXCEPTION 'RULE_MESSAGE' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.issued > (SELECT present FROM congresses_election WHERE id = NEW.election_id) THEN
          RAISE EXCEPTION 'PRESENT_MESSAGE' USING ERRCODE = 'check_violation';
        END IF;
      ELSIF EXISTS (SELECT 1 FROM congresses_round
                    WHERE election_id = NEW.id AND issued > NEW.present) THEN
        RAISE EXCEPTION 'PRESENT_MESSAGE' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER roundvote_within_ballots
    BEFORE INSERT OR UPDATE OF votes, round_id ON congresses_roundvote
    FOR EACH ROW EXECUTE FUNCTION unionrec_votes_within_ballots()""",
    """CREATE OR REPLACE TRIGGER round_within_ballots
    BEFORE INSERT OR UPDATE OF valid, blank, issued, election_id ON congresses_round
    FOR EACH ROW EXECUTE FUNCTION unionrec_votes_within_ballots()""",
    """CREATE OR REPLACE TRIGGER election_within_present
    BEFORE UPDATE OF present ON congresses_election
    FOR EACH ROW EXECUTE FUNCTION unionrec_votes_within_ballots()""",
]


def install(connection: Any) -> None:
    """Create the triggers where they are missing (idempotent)."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(connection.vendor, [])
    tables = set(connection.introspection.table_names())
    if not {"congresses_election", "congresses_round", "congresses_roundvote"} <= tables:
        return  # migrating forward from before the elections: the migration installs them
    with connection.cursor() as cursor:
        for statement in statements:  # constants only: the message is the module's own
            sql = statement.replace("RULE_MESSAGE", MESSAGE)
            cursor.execute(sql.replace("PRESENT_MESSAGE", PRESENT_MESSAGE))


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    install(connections[using])

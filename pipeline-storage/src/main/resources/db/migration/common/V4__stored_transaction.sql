-- The transaction that stored each event, so that a rebuild of the live cache from one snapshot of the store can
-- tell the events that snapshot holds from those committed after it (pg_visible_in_snapshot). Rows stored before
-- this column existed have none: every snapshot taken from now on holds them. Set by its default, not by writers;
-- added without a default first, so that the table is not rewritten.
/* [jooq ignore start] */
ALTER TABLE events ADD COLUMN stored_xid xid8;
ALTER TABLE events ALTER COLUMN stored_xid SET DEFAULT pg_current_xact_id();
/* [jooq ignore stop] */

// Searching titles (a backlog's `q`) from an index of their trigrams instead of reading every row of the backlog: the
// same matches (the words anywhere in the title, any case), found in about a millisecond in a team of 5,000 stories.
// - SQLite: an FTS5 table with the trigram tokenizer over items.title (external content: it keeps only the index),
//   kept in step by triggers, so every write of a title, whichever code makes it, updates it in the same transaction;
//   its segments are merged in the background, not inside those writes.
//   It refers to items by rowid, which SQLite keeps across VACUUM and backups (see the search in backlog.store.ts).
// - PostgreSQL: pg_trgm's GIN index on lower(title), which the planner uses for `lower(title) like '%…%'` by itself.
//   pg_trgm ships with PostgreSQL and is trusted: whoever may create objects in the database may enable it. Where it
//   is missing, search works as before, reading the backlog.
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ usable: boolean }>`
      select exists (select 1 from pg_available_extensions where name = 'pg_trgm')
        and has_database_privilege(current_database(), 'CREATE') as usable`.execute(db);
    if (!rows[0]?.usable) return;
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index items_title_trigrams on items using gin (lower(title) gin_trgm_ops)`.execute(db);
    return;
  }
  await sql`create virtual table item_titles using fts5(title, content = 'items', tokenize = 'trigram')`.execute(db);
  await sql`insert into item_titles (rowid, title) select rowid, title from items`.execute(db);
  // Segments are merged in the background (see startCheckpointer in db.ts), not inside the writes that add them; a
  // level's segments once there are 8 (16 would be merged inside a write first, FTS5's crisis merge).
  await sql`insert into item_titles (item_titles, rank) values ('automerge', 0)`.execute(db);
  await sql`insert into item_titles (item_titles, rank) values ('usermerge', 8)`.execute(db);
  await sql`create trigger item_titles_insert after insert on items begin
    insert into item_titles (rowid, title) values (new.rowid, new.title);
  end`.execute(db);
  await sql`create trigger item_titles_update after update of title on items begin
    insert into item_titles (item_titles, rowid, title) values ('delete', old.rowid, old.title);
    insert into item_titles (rowid, title) values (new.rowid, new.title);
  end`.execute(db);
  await sql`create trigger item_titles_delete after delete on items begin
    insert into item_titles (item_titles, rowid, title) values ('delete', old.rowid, old.title);
  end`.execute(db);
}

// The templates in communication.notification_templates: which one a message is rendered from,
// and loading the shipped files into the table. A changed file never edits a row: the old row is
// soft-deleted and a new one takes the next version, so a job rendered (or about to be rendered)
// from the old row still points at the text it was made with.
import { v7 as uuidv7 } from 'uuid';
import { CHANNELS } from '#db/schema/communication.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { DEFAULT_TEMPLATES_DIR, readTemplateFiles } from './template-files.ts';
import type { TemplateChannel, TemplateEngine, TemplateRow } from './template-row.ts';

export type TemplateQuery = { businessId: string | null; code: string; channel: TemplateChannel; locale: string };

type Stored = {
  id: string;
  business_id: string | null;
  code: string;
  channel: TemplateChannel;
  locale: string;
  engine: TemplateEngine;
  subject: string | null;
  body: string;
  version: number;
};

const COLUMNS = 'id, business_id, code, channel, locale, engine, subject, body, version';
const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toRow = (r: Stored): TemplateRow => ({
  id: r.id,
  businessId: r.business_id,
  code: r.code,
  channel: r.channel,
  locale: r.locale,
  engine: r.engine,
  subject: r.subject,
  body: r.body,
  version: r.version,
});

/**
 * The template for a message: the reader's language first, the business's own before the global
 * one, the reader's locale, then its language's main locale (es-CO → es-MX), then English. The
 * order is central's SQL function communication.template_for (migration c0006), which sync's
 * receipt requests use too: one rule. null when there is none at all.
 */
export async function findTemplate(sql: SqlSession, q: TemplateQuery): Promise<TemplateRow | null> {
  if (!q.code) throw new Error('findTemplate: a template code is required (e.g. sale.receipt)');
  if (!(CHANNELS as readonly string[]).includes(q.channel)) {
    throw new Error(`findTemplate: channel "${q.channel}" is not one of ${CHANNELS.join(', ')}`);
  }
  if (!LOCALE.test(q.locale)) throw new Error(`findTemplate: locale "${q.locale}" is not like es-MX or en`);
  if (q.businessId !== null && !UUID.test(q.businessId)) throw new Error(`findTemplate: business id "${q.businessId}" is not a uuid`);
  const [row] = await sql.query<Stored>(
    `SELECT ${COLUMNS} FROM communication.notification_templates WHERE id = communication.template_for($1::uuid, $2, $3, $4)`,
    [q.businessId, q.code, q.channel, q.locale],
  );
  return row ? toRow(row) : null;
}

// A template row is never edited: a new text is a new row (seedTemplates). So a row read once by
// id is the same for good, and a busy worker does not read it for every job.
const byId = new Map<string, TemplateRow>();

/** The template a job was made with, by its id, even if a newer version has replaced it since. */
export async function templateById(sql: SqlSession, id: string): Promise<TemplateRow | null> {
  const known = byId.get(id);
  if (known) return known;
  const [row] = await sql.query<Stored>(`SELECT ${COLUMNS} FROM communication.notification_templates WHERE id = $1`, [id]);
  if (!row) return null;
  if (byId.size > 1000) byId.clear();
  byId.set(id, toRow(row));
  return toRow(row);
}

export type SeedResult = { created: number; updated: number; unchanged: number };

/**
 * Loads the shipped files as global templates (business_id null). Run again with the same files,
 * it changes nothing; a file whose subject or body changed replaces its row with version + 1.
 * Rows with no file (a template retired from the repository) are left as they are.
 */
export async function seedTemplates(sql: SqlSession, dir: string = DEFAULT_TEMPLATES_DIR): Promise<SeedResult> {
  const sources = readTemplateFiles(dir);
  const live = await sql.query<Stored>(
    `SELECT ${COLUMNS} FROM communication.notification_templates WHERE business_id IS NULL AND deleted_at IS NULL`,
  );
  const key = (t: { code: string; channel: string; locale: string }) => `${t.code}\u0000${t.channel}\u0000${t.locale}`;
  const byKey = new Map(live.map((r) => [key(r), r]));
  const result: SeedResult = { created: 0, updated: 0, unchanged: 0 };
  for (const s of sources) {
    const current = byKey.get(key(s));
    const values = [uuidv7(), s.code, s.channel, s.locale, s.engine, s.subject, s.body];
    // The next version counts retired rows too, so a number is never reused for another text.
    const nextVersion = `(SELECT coalesce(max(version), 0) + 1 FROM communication.notification_templates
                          WHERE business_id IS NULL AND code = $2 AND channel = $3 AND locale = $4)`;
    if (!current) {
      await sql.query(
        `INSERT INTO communication.notification_templates (id, business_id, code, channel, locale, engine, subject, body, version)
         VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, ${nextVersion})`,
        values,
      );
      result.created++;
    } else if (current.engine === s.engine && current.subject === s.subject && current.body === s.body) {
      result.unchanged++;
    } else {
      // One statement: the old row is retired and its successor inserted together, or neither
      // (the insert reads the retired row, so it runs after the update has freed the unique key).
      await sql.query(
        `WITH retired AS (
           UPDATE communication.notification_templates SET deleted_at = now() WHERE id = $8 AND deleted_at IS NULL RETURNING id
         )
         INSERT INTO communication.notification_templates (id, business_id, code, channel, locale, engine, subject, body, version)
         SELECT $1, NULL, $2, $3, $4, $5, $6, $7, ${nextVersion} FROM retired`,
        [...values, current.id],
      );
      result.updated++;
    }
  }
  return result;
}

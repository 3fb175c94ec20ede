// Column builders every table shares, so the constitution is typed once:
// UUIDv7 ids made by the app, UTC timestamps, numeric(19,4) money as strings.
import { char, integer, numeric, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/** Primary key: a UUIDv7 generated on the terminal (PostgreSQL 15 has no uuidv7()). */
export const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

/** A timestamptz column; stored in UTC because every connection runs with TimeZone=UTC. */
export const utc = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** created_at / updated_at / deleted_at on every table (soft delete only). */
export const timestamps = () => ({
  createdAt: utc('created_at').notNull().defaultNow(),
  updatedAt: utc('updated_at').notNull().defaultNow(),
  deletedAt: utc('deleted_at'),
});

/** Money and quantities: numeric(19,4), a decimal string in TypeScript, never a JS number. */
export const money = (name: string) => numeric(name, { precision: 19, scale: 4 });
export const quantity = money;

/** A rate as a fraction (0.160000 is 16 %); names end in _rate so the catalog test knows them. */
export const rate = (name: string) => numeric(name, { precision: 9, scale: 6 });

/** Optimistic-lock counter for rows many writers race on (stock, balances). */
export const version = () => integer('version').notNull().default(1);

/** Client-made key so a retried request has one effect. */
export const idempotencyKey = () => text('idempotency_key').notNull();

export const currency = () => char('currency', { length: 3 }).notNull();
export const country = () => char('country', { length: 2 }).notNull();

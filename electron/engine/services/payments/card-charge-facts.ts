// A card charge as a journal fact: the whole row after each change (written SENT, then each state
// the provider answers until a final one). PGlite that lost its latest writes gets the row back
// from the journal, and central keeps the register's charges from the same facts; either way the
// version column decides, so an older state never overwrites a newer one (and the table's trigger
// refuses any change to a final one).
import type { Journal } from '#db/journal.ts';
import { newerVersionUpsert, toRow, type JsonRow } from '#db/row-json.ts';
import { cardCharges } from '#db/schema/payments.ts';
import type { SqlDatabase } from '#db/sql-session.ts';

export const CARD_CHARGE_SAVED = 'payments.card_charge_saved';

export type CardChargeRow = typeof cardCharges.$inferSelect;
export type CardChargeSavedFact = { charge: JsonRow };

export const cardChargeFactKey = (id: string, version: number) => `card-charge:${id}:v${version}`;

export const upsertCardCharge = newerVersionUpsert(cardCharges, 'payments.card_charges');

export const replayCardChargeSaved = (sql: SqlDatabase, fact: CardChargeSavedFact) => upsertCardCharge(sql, fact.charge);

export function journalCardCharge(journal: Journal, charge: CardChargeRow): void {
  journal.append(CARD_CHARGE_SAVED, cardChargeFactKey(charge.id, charge.version), {
    charge: toRow(cardCharges, charge),
  } satisfies CardChargeSavedFact);
}

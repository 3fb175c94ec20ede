// The e-mail a self-invoice goes to, sealed (migration c0023): AES-256-GCM under a key of the
// business's that central holds beside its CSD and PAC account, DATA_DIR/businesses/<id>/keys/pii.key
// (0600, never in the database or a log), bound to its row. The web process that writes the first
// request of a business makes the key; whoever only opens (the status page, the e-mail sweep)
// never does, since a new key would open nothing. Every process of the service reads the same
// data directory, as it already must for the CSD.
//
// Once its invoice is stamped the address is also the e-mail job's recipient, in the clear like
// every notification's, for the worker that sends it (communication.notification_jobs).
import { piiKeyPaths, loadKeyFile, loadOrCreateKeyFile } from '#engine/security/key-file.ts';
import { createSealer, type Sealer } from '#engine/security/sealed-json.ts';
import type { SealedJson } from '#db/schema/auth.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { businessesWithSecrets, businessFiscalRoot } from '../fiscal/business-secrets.ts';

/** Where central keeps the key that seals a business's customers' addresses. */
export const customerKeyPath = (dataDir: string, businessId: string) => piiKeyPaths(businessFiscalRoot(dataDir, businessId)).plain;

function businessSealer(dataDir: string, businessId: string, create: boolean): Sealer {
  const path = customerKeyPath(dataDir, businessId);
  return createSealer(create ? loadOrCreateKeyFile(path) : loadKeyFile(path));
}

/** The AES-GCM associated data: a sealed address opens only in the row it was written for. */
const emailContext = (selfInvoiceId: string) => `billing.self_invoices.email:${selfInvoiceId}`;

/** The address sealed for the self-invoice row `selfInvoiceId` of the business (its key made on first use). */
export function sealCustomerEmail(dataDir: string, businessId: string, selfInvoiceId: string, email: string): SealedJson {
  return businessSealer(dataDir, businessId, true).seal(email, emailContext(selfInvoiceId));
}

export type HeldEmail = { id: string; business_id: string; email: string | null; email_sealed: SealedJson | null };

/** A row's address: opened from its sealed column, or the plain one of a row written before c0023 and not yet sealed. */
export function customerEmailOf(dataDir: string, row: HeldEmail): string {
  if (row.email_sealed) return businessSealer(dataDir, row.business_id, false).open<string>(row.email_sealed, emailContext(row.id));
  if (row.email !== null) return row.email;
  throw new Error(`self-invoice ${row.id} holds no e-mail address`);
}

/**
 * Seals the addresses written before c0023 (for the businesses central stamps for, whose
 * directory is here) and clears their plain column; answers how many. Run by the fiscal worker
 * after each pass, before the e-mail sweep.
 */
export async function sealEarlierEmails(sql: SqlDatabase, dataDir: string, limit = 200): Promise<number> {
  const businesses = businessesWithSecrets(dataDir);
  if (businesses.length === 0) return 0;
  const plain = await sql.query<{ id: string; business_id: string; email: string }>(
    `SELECT id, business_id, email FROM billing.self_invoices WHERE email IS NOT NULL AND business_id = ANY($1::uuid[])
     ORDER BY created_at LIMIT $2`,
    [businesses, limit],
  );
  let sealed = 0;
  for (const r of plain) {
    const done = await sql.query(
      `UPDATE billing.self_invoices SET email_sealed = $2::jsonb, email = NULL, updated_at = now() WHERE id = $1 AND email = $3
       RETURNING id`,
      [r.id, JSON.stringify(sealCustomerEmail(dataDir, r.business_id, r.id, r.email)), r.email],
    );
    sealed += done.length;
  }
  return sealed;
}

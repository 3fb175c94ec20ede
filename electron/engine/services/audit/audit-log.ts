// Writes to auth.audit_logs, which the database keeps append-only. An entry about a change is
// written in the change's own transaction (the *In variants), so there is never a change
// without its entry, nor an entry for a change that was rolled back.
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import { columnsOf, toRow } from '#db/row-json.ts';
import { auditLogs } from '#db/schema/auth.ts';
import type { SqlSession } from '#db/sql-session.ts';

export type AuditEntry = Omit<typeof auditLogs.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export async function recordAudit(db: AppDb, entry: AuditEntry): Promise<string> {
  const id = uuidv7();
  await db.insert(auditLogs).values({ id, ...entry });
  return id;
}

// The database's clock stamps the entry, as recordAudit's default does.
const COLUMNS = columnsOf(auditLogs)
  .filter((c) => c !== 'created_at' && c !== 'updated_at' && c !== 'deleted_at')
  .join(', ');

/** recordAudit inside a transaction held as a plain SQL session (PGlite's, or a pg client's). */
export async function recordAuditIn(tx: SqlSession, entry: AuditEntry): Promise<string> {
  const id = uuidv7();
  const row = toRow(auditLogs, { id, ...entry, details: entry.details ?? {} });
  await tx.query(
    `INSERT INTO auth.audit_logs (${COLUMNS}) SELECT ${COLUMNS} FROM jsonb_populate_record(NULL::auth.audit_logs, $1::jsonb)`,
    [JSON.stringify(row)],
  );
  return id;
}

type Actor = { id: string; userId: string; employeeId: string; businessId: string };
type Where = { terminal: { branchId: string; deviceId: string } | null };
type SessionEntry = Pick<AuditEntry, 'action' | 'outcome'> & Partial<AuditEntry>;

function sessionEntry(services: Where, session: Actor, entry: SessionEntry, approver?: { employeeId: string } | null): AuditEntry {
  return {
    businessId: session.businessId,
    branchId: services.terminal?.branchId,
    deviceId: services.terminal?.deviceId,
    actorUserId: session.userId,
    actorEmployeeId: session.employeeId,
    sessionId: session.id,
    approverEmployeeId: approver?.employeeId,
    ...entry,
  };
}

/** An entry written on behalf of a signed-in employee at this terminal (and an approver, if any). */
export function recordSessionAudit(
  services: Where & { db: AppDb },
  session: Actor,
  entry: SessionEntry,
  approver?: { employeeId: string } | null,
): Promise<string> {
  return recordAudit(services.db, sessionEntry(services, session, entry, approver));
}

/** recordSessionAudit inside the transaction `tx` that makes the change it records. */
export function recordSessionAuditIn(
  tx: SqlSession,
  services: Where,
  session: Actor,
  entry: SessionEntry,
  approver?: { employeeId: string } | null,
): Promise<string> {
  return recordAuditIn(tx, sessionEntry(services, session, entry, approver));
}

// Writes to auth.audit_logs, which the database keeps append-only.
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '../../../../db/app-db.ts';
import { auditLogs } from '../../../../db/schema/auth.ts';

export type AuditEntry = Omit<typeof auditLogs.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export async function recordAudit(db: AppDb, entry: AuditEntry): Promise<string> {
  const id = uuidv7();
  await db.insert(auditLogs).values({ id, ...entry });
  return id;
}

type Actor = { id: string; userId: string; employeeId: string; businessId: string };
type Where = { terminal: { branchId: string; deviceId: string } | null };

/** An entry written on behalf of a signed-in employee at this terminal (and an approver, if any). */
export function recordSessionAudit(
  services: Where & { db: AppDb }, session: Actor,
  entry: Pick<AuditEntry, 'action' | 'outcome'> & Partial<AuditEntry>, approver?: { employeeId: string } | null,
): Promise<string> {
  return recordAudit(services.db, {
    businessId: session.businessId, branchId: services.terminal?.branchId, deviceId: services.terminal?.deviceId,
    actorUserId: session.userId, actorEmployeeId: session.employeeId, sessionId: session.id,
    approverEmployeeId: approver?.employeeId, ...entry,
  });
}

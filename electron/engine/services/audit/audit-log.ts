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

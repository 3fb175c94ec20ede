// Central's registers as its operator sees them: by branch and code, never by SQL. A register is
// added to a branch of a business (it gets its id here, which the terminal then keeps), listed with
// whether it has a login and when central last heard from it, and named by its codes wherever an
// id was asked for (provision-terminal).
import { v7 as uuidv7 } from 'uuid';
import type { Central } from '#db/central.ts';
import { recordAuditIn } from '#engine/services/audit/audit-log.ts';

export class RegisterError extends Error {
  override readonly name = 'RegisterError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A register's code as the receipts print it: CAJA-3, C2, MOSTRADOR-1. */
export const REGISTER_CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

export type RegisterRow = {
  id: string;
  branchCode: string;
  code: string;
  name: string;
  /** When its login was made; null: no login yet (provision-terminal). */
  provisionedAt: string | null;
  revokedAt: string | null;
  /** The last pull central saw from it. */
  lastSeenAt: string | null;
};

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

async function requireBusiness(central: Central, businessId: string): Promise<void> {
  if (!UUID.test(businessId)) throw new RegisterError('--business must be a UUID');
  const [row] = await central.sql.query('SELECT 1 FROM business.businesses WHERE id = $1 AND deleted_at IS NULL', [businessId]);
  if (!row) throw new RegisterError(`central has no business ${businessId}`);
}

/** The branch named by its id or its code in the business. */
export async function branchOf(central: Central, businessId: string, branch: string): Promise<{ id: string; code: string }> {
  await requireBusiness(central, businessId);
  const [row] = await central.sql.query<{ id: string; code: string }>(
    `SELECT id, code FROM business.branches WHERE business_id = $1 AND deleted_at IS NULL AND ${UUID.test(branch) ? 'id = $2::uuid' : 'code = $2'}`,
    [businessId, branch],
  );
  if (!row) {
    const known = await central.sql.query<{ code: string }>(
      'SELECT code FROM business.branches WHERE business_id = $1 AND deleted_at IS NULL ORDER BY code',
      [businessId],
    );
    throw new RegisterError(`the business has no branch ${branch} (its branches: ${known.map((b) => b.code).join(', ') || 'none'})`);
  }
  return row;
}

/** The register named by its id or its code in the branch. */
export async function registerOf(central: Central, businessId: string, branch: string, register: string) {
  const b = await branchOf(central, businessId, branch);
  const [row] = await central.sql.query<{ id: string }>(
    `SELECT id FROM sales.cash_registers WHERE branch_id = $1 AND deleted_at IS NULL AND ${UUID.test(register) ? 'id = $2::uuid' : 'code = $2'}`,
    [b.id, register],
  );
  if (!row) throw new RegisterError(`branch ${b.code} has no register ${register} (add it: pos central registers add)`);
  return { businessId, branchId: b.id, registerId: row.id };
}

/** Adds the register, with central's audit entry naming the operator in the same transaction. */
export async function addRegister(
  central: Central,
  input: { businessId: string; branch: string; code: string; name?: string | undefined; operator: string },
): Promise<RegisterRow> {
  const code = input.code.trim().toUpperCase();
  if (!REGISTER_CODE.test(code)) throw new RegisterError('--code: letters, digits and dashes, up to 20 (such as CAJA-3)');
  const name = (input.name ?? '').trim() || code;
  if (name.length > 60) throw new RegisterError('--name: at most 60 characters');
  const branch = await branchOf(central, input.businessId, input.branch);
  const id = uuidv7();
  await central.sql.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO sales.cash_registers (id, business_id, branch_id, code, name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING id`,
      [id, input.businessId, branch.id, code, name],
    );
    if (inserted.length === 0) throw new RegisterError(`branch ${branch.code} already has a register ${code}`);
    await recordAuditIn(tx, {
      businessId: input.businessId,
      branchId: branch.id,
      action: 'register.add',
      outcome: 'SUCCESS',
      entityType: 'cash_register',
      entityId: id,
      details: { code, name, by: input.operator, via: 'pos central registers add' },
    });
  });
  return { id, branchCode: branch.code, code, name, provisionedAt: null, revokedAt: null, lastSeenAt: null };
}

export async function listRegisters(central: Central, businessId: string): Promise<RegisterRow[]> {
  await requireBusiness(central, businessId);
  const rows = await central.sql.query<{
    id: string;
    branch_code: string;
    code: string;
    name: string;
    provisioned_at: Date | null;
    revoked_at: Date | null;
    last_seen_at: Date | null;
  }>(
    `SELECT r.id, b.code AS branch_code, r.code, r.name, t.provisioned_at, t.revoked_at, t.last_seen_at
     FROM sales.cash_registers r JOIN business.branches b ON b.id = r.branch_id
     LEFT JOIN sync.terminals t ON t.register_id = r.id
     WHERE r.business_id = $1 AND r.deleted_at IS NULL ORDER BY b.code, r.code`,
    [businessId],
  );
  return rows.map((r) => ({
    id: r.id,
    branchCode: r.branch_code,
    code: r.code,
    name: r.name,
    provisionedAt: iso(r.provisioned_at),
    revokedAt: iso(r.revoked_at),
    lastSeenAt: iso(r.last_seen_at),
  }));
}

/** The list as the operator reads it: one line per register. */
export function formatRegisters(rows: RegisterRow[]): string {
  if (rows.length === 0) return 'no registers\n';
  const login = (r: RegisterRow) => (r.revokedAt ? 'login revoked' : r.provisionedAt ? 'login made' : 'no login yet');
  const seen = (r: RegisterRow) => (r.lastSeenAt ? `last seen ${r.lastSeenAt}` : 'never seen');
  const width = (f: (r: RegisterRow) => string) => Math.max(...rows.map((r) => f(r).length));
  const bw = width((r) => r.branchCode);
  const cw = width((r) => r.code);
  const nw = width((r) => r.name);
  return rows
    .map((r) => `${r.branchCode.padEnd(bw)}  ${r.code.padEnd(cw)}  ${r.name.padEnd(nw)}  ${r.id}  ${login(r)}, ${seen(r)}`)
    .join('\n')
    .concat('\n');
}

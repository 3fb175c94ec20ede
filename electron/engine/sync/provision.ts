// Central's side of installing a terminal: one login role per register, a member of
// pos_terminal (whose grants and row-level security say what any terminal may do), recorded in
// sync.terminals so central knows which register a login speaks for. Provisioning a register
// again (replacement hardware) gives it a new password; the old one stops working. Each
// provisioning also gives the register a probe key (c0032_shared_probe), for asking central
// whether anything changed through a pooler entry the registers share.
import { createHash, randomBytes } from 'node:crypto';
import type { Central } from '#db/central.ts';
import type { Provisioning } from './sync-config.ts';

export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

export type ProvisionInput = {
  businessId: string;
  branchId: string;
  registerId: string;
  password?: string;
  /** PgBouncer's entry for the registers' shared probe (`user=pos_prober`), when central is behind one. */
  probeDatabase?: string;
};

export async function provisionTerminal(central: Central, adminUrl: string, input: ProvisionInput): Promise<Provisioning> {
  const client = await central.pool.connect();
  try {
    const {
      rows: [register],
    } = await client.query<{ branch_id: string; business_id: string; db: string }>(
      `
      SELECT r.branch_id, r.business_id, current_database() AS db FROM sales.cash_registers r
      WHERE r.id = $1 AND r.deleted_at IS NULL`,
      [input.registerId],
    );
    if (!register)
      throw new ProvisionError(`central has no register ${input.registerId} (create it, or pull it from the back office, first)`);
    if (register.branch_id !== input.branchId || register.business_id !== input.businessId) {
      throw new ProvisionError(
        `register ${input.registerId} belongs to branch ${register.branch_id} of business ${register.business_id}, not to the ones given`,
      );
    }
    // Role names are per cluster: the database's name keeps two central databases on one server apart.
    const role = `pos_t_${createHash('sha256').update(`${register.db}\u0000${input.registerId}`).digest('hex').slice(0, 24)}`;
    const password = input.password ?? randomBytes(24).toString('base64url');
    const probeKey = randomBytes(24).toString('base64url');
    await client.query('BEGIN');
    try {
      // Logins and the database's CONNECT grant are catalog rows every provisioning of this
      // database rewrites: two at once (an operator's script for a branch's registers) would
      // fail with "tuple concurrently updated". They take turns instead.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('pos provision-terminal'), hashtext(current_database()))`);
      const {
        rows: [exists],
      } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1', [role]);
      await client.query(
        exists!.n > 0
          ? `ALTER ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(password)}`
          : `CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(password)}`,
      );
      await client.query(`GRANT pos_terminal TO ${role}`);
      // Role settings are per login, not inherited from pos_terminal: the session limits go on each.
      await client.query('SELECT sync.fence_login($1)', [role]);
      await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(register.db)} TO ${role}`);
      await client.query(
        `
        INSERT INTO sync.terminals (register_id, business_id, branch_id, role_name, probe_key_hash)
        VALUES ($1, $2, $3, $4, sha256(convert_to($5, 'UTF8')))
        ON CONFLICT (register_id) DO UPDATE SET role_name = EXCLUDED.role_name, business_id = EXCLUDED.business_id,
          branch_id = EXCLUDED.branch_id, probe_key_hash = EXCLUDED.probe_key_hash, provisioned_at = now(), revoked_at = NULL`,
        [input.registerId, input.businessId, input.branchId, role, probeKey],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if ((err as { code?: string }).code === '42883') {
        throw new ProvisionError(
          'central\'s schema is older than this provisioning needs (no sync.fence_login): run "pos central migrate" first',
        );
      }
      throw err;
    }
    const url = new URL(adminUrl);
    url.username = role;
    url.password = password;
    return {
      terminal: { businessId: input.businessId, branchId: input.branchId, registerId: input.registerId },
      central: { url: url.toString(), probeKey, ...(input.probeDatabase ? { probeDatabase: input.probeDatabase } : {}) },
    };
  } finally {
    client.release();
  }
}

/** The register can no longer log in; what it already pushed stays. */
export async function revokeTerminal(central: Central, registerId: string): Promise<void> {
  const [row] = await central.sql.query<{ role_name: string }>(
    'UPDATE sync.terminals SET revoked_at = now() WHERE register_id = $1 AND revoked_at IS NULL RETURNING role_name',
    [registerId],
  );
  if (!row) throw new ProvisionError(`register ${registerId} is not a provisioned terminal`);
  await central.sql.exec(`ALTER ROLE ${row.role_name} NOLOGIN`);
}

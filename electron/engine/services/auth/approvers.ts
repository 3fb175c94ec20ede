// Who can authorise a call on this register: the staff of this branch who could sign the
// override in (active, with a PIN), whose role holds the permission at stake and whose own limits
// cover it (a 25 % discount needs someone allowed 25 %). The employee asking is never among them:
// nobody approves their own variance or their own discount.
import type { EngineContainer } from '#engine/container.ts';
import type { Permission } from '#contract/permissions.ts';

export type ApproverChoice = { employeeId: string; displayName: string; role: string };

const byName = new Intl.Collator('es', { sensitivity: 'base' });

export async function approversFor(
  services: EngineContainer,
  requesterId: string,
  permission: Permission,
  fits: (employeeId: string) => Promise<boolean>,
): Promise<ApproverChoice[]> {
  const terminal = services.terminal;
  if (!terminal) return [];
  const holders = await services.sql.query<ApproverChoice>(
    `
    SELECT e.id AS "employeeId", e.display_name AS "displayName", r.name AS role
    FROM business.employees e
    JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $3 AND eb.deleted_at IS NULL
    JOIN business.roles r ON r.id = e.role_id
    JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
    JOIN business.permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL AND p.code = $4
    WHERE e.business_id = $2 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL AND e.id <> $1
      AND EXISTS (SELECT 1 FROM auth.user_identities i
                  WHERE i.user_id = e.user_id AND i.provider = 'PIN' AND i.business_id = e.business_id AND i.deleted_at IS NULL)`,
    [requesterId, terminal.businessId, terminal.branchId, permission],
  );
  const able: ApproverChoice[] = [];
  for (const holder of holders) if (await fits(holder.employeeId)) able.push(holder);
  return able.sort((a, b) => byName.compare(a.displayName, b.displayName));
}

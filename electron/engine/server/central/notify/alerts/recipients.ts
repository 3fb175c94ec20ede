// Who hears of an alert, and on which channels: the active staff of the business (of the
// branch, when the alert is a branch's) whose role holds the permission the alert is about, each
// on the channels they chose for it. No choice recorded: in-app always, e-mail when they have an
// address, push when they subscribed a device; SMS and WhatsApp only when chosen (they cost
// money per message).
import type { SqlSession } from '#db/sql-session.ts';
import type { Permission } from '#contract/permissions.ts';
import type { NotifyChannel } from '../job-rows.ts';

export type Recipient = {
  employeeId: string;
  userId: string;
  locale: string;
  /** Where each chosen channel goes: an address, a phone, push subscription ids; in-app needs none. */
  channels: { channel: NotifyChannel; to: string | null }[];
};

type Person = { employee_id: string; user_id: string; email: string | null; phone: string | null; locale: string };
type Choice = { user_id: string; code: string; channel: NotifyChannel; enabled: boolean };

const DEFAULTS: Record<NotifyChannel, (p: Person, pushes: string[]) => boolean> = {
  IN_APP: () => true,
  EMAIL: (p) => p.email !== null,
  PUSH: (_, pushes) => pushes.length > 0,
  SMS: () => false,
  WHATSAPP: () => false,
};

export async function recipientsOf(
  sql: SqlSession,
  q: { businessId: string; branchId: string | null; permission: Permission; code: string },
): Promise<Recipient[]> {
  const people = await sql.query<Person>(
    `SELECT DISTINCT e.id AS employee_id, u.id AS user_id, u.email, u.phone, u.locale
     FROM business.employees e
     JOIN auth.users u ON u.id = e.user_id AND u.deleted_at IS NULL
     JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
     JOIN business.permissions p ON p.id = rp.permission_id AND p.code = $3
     WHERE e.business_id = $1 AND e.deleted_at IS NULL AND e.status = 'ACTIVE'
       AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM business.employee_branches eb
                                        WHERE eb.employee_id = e.id AND eb.branch_id = $2 AND eb.deleted_at IS NULL))
     ORDER BY e.id`,
    [q.businessId, q.branchId, q.permission],
  );
  if (people.length === 0) return [];
  const users = people.map((p) => p.user_id);
  const choices = await sql.query<Choice>(
    `SELECT user_id, code, channel, enabled FROM communication.notification_preferences
     WHERE user_id = ANY($1::uuid[]) AND code IN ('*', $2) AND deleted_at IS NULL`,
    [users, q.code],
  );
  const subscriptions = await sql.query<{ id: string; user_id: string }>(
    `SELECT id, user_id FROM communication.push_subscriptions
     WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL AND deleted_at IS NULL ORDER BY id`,
    [users],
  );
  return people.map((p) => {
    const pushes = subscriptions.filter((s) => s.user_id === p.user_id).map((s) => s.id);
    // The choice for this kind of alert over the choice for every kind, over the default.
    const wants = (channel: NotifyChannel) => {
      const mine = choices.filter((c) => c.user_id === p.user_id && c.channel === channel);
      const chosen = mine.find((c) => c.code === q.code) ?? mine.find((c) => c.code === '*');
      return chosen ? chosen.enabled : DEFAULTS[channel](p, pushes);
    };
    const channels: Recipient['channels'] = [];
    if (wants('IN_APP')) channels.push({ channel: 'IN_APP', to: null });
    if (wants('EMAIL') && p.email) channels.push({ channel: 'EMAIL', to: p.email });
    if (wants('SMS') && p.phone) channels.push({ channel: 'SMS', to: p.phone });
    if (wants('WHATSAPP') && p.phone) channels.push({ channel: 'WHATSAPP', to: p.phone });
    if (wants('PUSH')) for (const id of pushes) channels.push({ channel: 'PUSH', to: id });
    return { employeeId: p.employee_id, userId: p.user_id, locale: p.locale, channels };
  });
}

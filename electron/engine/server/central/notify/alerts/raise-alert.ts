// One alert to everyone who should hear of it: an in-app notification (the bell, on central and
// on the branch's registers, which pull it) and a notification job per chosen channel, all in one
// transaction. The alert's key makes raising it again change nothing: the scan that finds it
// runs every half minute and looks back further than that.
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { Permission } from '#contract/permissions.ts';
import { renderText } from '../templates/render.ts';
import type { TemplateChannel, TemplateRow } from '../templates/template-row.ts';
import { findTemplate } from '../templates/template-store.ts';
import { recipientsOf } from './recipients.ts';

export type Alert = {
  /** The template code: shift.variance, register.silent, … */
  code: string;
  /** Names this occurrence (the shift, the fact, the silence, the day): the same key is one alert. */
  key: string;
  businessId: string;
  branchId: string | null;
  /** Staff whose role holds this are told. */
  permission: Permission;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  /** The template's variables, already formatted for people. */
  data: Record<string, string>;
};

// In-app rows have no idempotency column: their id is derived from the alert's key and the person.
const IN_APP_IDS = '7d2c1f0e-3b4a-5c6d-8e9f-0a1b2c3d4e5f';

/** Answers how many notifications (in-app rows and jobs) were new. */
export async function raiseAlert(sql: SqlDatabase, alert: Alert): Promise<number> {
  return sql.transaction(async (tx) => {
    const people = await recipientsOf(tx, alert);
    // Staff mostly share a locale: each template is looked up once per alert, not once per person.
    const templates = new Map<string, Promise<TemplateRow | null>>();
    const templateFor = (channel: TemplateChannel, locale: string) => {
      const key = `${channel} ${locale}`;
      if (!templates.has(key)) templates.set(key, findTemplate(tx, { businessId: alert.businessId, code: alert.code, channel, locale }));
      return templates.get(key)!;
    };
    let added = 0;
    for (const person of people) {
      for (const { channel, to } of person.channels) {
        // In-app shows the push template's title and body: the same short words, in the bell.
        const template = await templateFor(channel === 'IN_APP' ? 'PUSH' : channel, person.locale);
        if (!template) continue;
        if (channel === 'IN_APP') {
          const { title, body } = JSON.parse(renderText(template, alert.data)) as { title: string; body: string };
          const rows = await tx.query(
            `INSERT INTO communication.in_app_notifications (id, user_id, business_id, branch_id, employee_id, template_id, severity, title, body, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id`,
            [
              uuidv5(`${alert.key}:${person.employeeId}`, IN_APP_IDS),
              person.userId,
              alert.businessId,
              alert.branchId,
              person.employeeId,
              template.id,
              alert.severity,
              title,
              body,
              JSON.stringify({ code: alert.code, ...alert.data }),
            ],
          );
          added += rows.length;
          continue;
        }
        const rows = await tx.query(
          `INSERT INTO communication.notification_jobs (id, business_id, user_id, template_id, channel, recipient, payload, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [
            uuidv7(),
            alert.businessId,
            person.userId,
            template.id,
            channel,
            to,
            JSON.stringify({ data: alert.data }),
            `${alert.key}:${person.userId}:${channel}${channel === 'PUSH' ? `:${to}` : ''}`,
          ],
        );
        added += rows.length;
      }
    }
    return added;
  });
}

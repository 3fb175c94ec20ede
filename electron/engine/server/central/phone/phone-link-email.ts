// The e-mail that carries a phone link: its data is made when the worker sends it, so the link
// (and its token) exists in that e-mail alone, never in the job's row, the logs or Redis.
import type { SqlSession } from '#db/sql-session.ts';
import { JobDataError } from '../notify/receipt-model.ts';
import { LINK_TTL_MS, makeLinkToken } from './link-token.ts';

export const PHONE_LINK_TEMPLATE = 'push.phone_link';
/** Where a phone link leads, under --public-url (push-routes.ts serves it). */
export const SUBSCRIBE_PATH = '/push/subscribe';

export type PhoneLinkSettings = { linkSecret: string; publicUrl: string };

export function phoneLinkUrl(settings: PhoneLinkSettings, userId: string, now: Date): string {
  const token = makeLinkToken(settings.linkSecret, userId, new Date(now.getTime() + LINK_TTL_MS));
  return `${settings.publicUrl}${SUBSCRIBE_PATH}?t=${token}`;
}

/** The template's data: the person's name, their link, and how long it works. */
export async function phoneLinkEmailData(
  sql: SqlSession,
  settings: PhoneLinkSettings | null,
  row: { user_id: string | null },
  now: Date,
): Promise<{ user: string; link: string; hours: number }> {
  if (!settings) {
    throw new JobDataError(
      'this service makes no phone links: give it the VAPID keys, --public-url and POS_CENTRAL_LINK_SECRET, then retry',
    );
  }
  if (!row.user_id) throw new JobDataError('a phone link e-mail without its user');
  const [user] = await sql.query<{ display_name: string }>(`SELECT display_name FROM auth.users WHERE id = $1 AND deleted_at IS NULL`, [
    row.user_id,
  ]);
  if (!user) throw new JobDataError('the phone link is for a user who is no longer there');
  return { user: user.display_name, link: phoneLinkUrl(settings, row.user_id, now), hours: LINK_TTL_MS / 3600_000 };
}

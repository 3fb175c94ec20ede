// One row of communication.notification_templates as the renderer and the store see it, and the
// name a problem with it is reported under.
import type { CHANNELS, TEMPLATE_ENGINES } from '#db/schema/communication.ts';

export type TemplateChannel = (typeof CHANNELS)[number];
export type TemplateEngine = (typeof TEMPLATE_ENGINES)[number];

export type TemplateRow = {
  id: string;
  /** null: the global template every business gets unless it has its own. */
  businessId: string | null;
  code: string;
  channel: TemplateChannel;
  locale: string;
  /** MJML: an e-mail, Handlebars inside MJML. HANDLEBARS: a text (SMS, WhatsApp, a push's JSON). */
  engine: TemplateEngine;
  /** The e-mail's subject line (Handlebars); null for every other channel. */
  subject: string | null;
  body: string;
  /** Bumped each time the text changes; a job keeps the version it was rendered from. */
  version: number;
};

/** "sale.receipt/EMAIL/es-MX v3": enough to find the row and the file it came from. */
export const templateName = (t: Pick<TemplateRow, 'code' | 'channel' | 'locale' | 'version'>) =>
  `${t.code}/${t.channel}/${t.locale} v${t.version}`;

// The business's settings the back office edits (business.settings, pulled by every register
// from central): for now, where a receipt's self-invoicing QR code points.
import { z } from 'zod';
import { call, text } from '../fields.ts';
import { SELF_INVOICING_MAX_LENGTH } from '../self-invoicing.ts';

export const receiptSettings = z
  .object({
    /** The base of central's self-invoicing page (invoicing.selfServiceUrl), or null when receipts print no such QR. */
    selfInvoicingUrl: z.string().nullable(),
    /** The page a receipt prints and its QR opens (with ?r=RECEIPT_CODE): the base + /factura. */
    selfInvoicingPage: z.string().nullable(),
    /** ISO 3166 alpha-2: only a Mexican business's receipts carry the self-invoicing QR. */
    country: z.string(),
  })
  .strict();

export const settingsCalls = {
  /** The receipts' settings as this branch reads them. */
  'settings.receipts': call('session', z.object({}).strict(), { output: receiptSettings }),
  /**
   * Sets the business's self-invoicing page (an https address without query, such as
   * https://factura.mitienda.mx), or takes it away with null. Refused, with the reason, for an
   * address that is not https, carries a query, a user or a password, or is too long for the QR.
   */
  'settings.setSelfInvoicing': call('settings.manage', z.object({ url: text(SELF_INVOICING_MAX_LENGTH + 100).nullable() }).strict(), {
    output: receiptSettings,
  }),
};

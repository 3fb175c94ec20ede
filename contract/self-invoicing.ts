// Self-invoicing: central serves a page where a Mexican customer invoices their own purchase,
// GET {base}/factura?r=RECEIPT_CODE, and a sale's receipt points at it with a QR code. The base
// is the business setting invoicing.selfServiceUrl, kept as checked here by the back office's
// form, the engine that stores it and the receipts that read it.

export const SELF_INVOICING_SETTING = 'invoicing.selfServiceUrl';

/** The longest base taken: with a receipt code after it, its QR code still fits 58 mm paper. */
export const SELF_INVOICING_MAX_LENGTH = 200;

/** Why a typed address cannot be the base, as the reason the screens word (error.INVALID_INPUT.SELF_INVOICING_…). */
export type SelfInvoicingProblem =
  | 'SELF_INVOICING_NOT_A_URL'
  | 'SELF_INVOICING_NOT_HTTPS'
  | 'SELF_INVOICING_HAS_QUERY'
  | 'SELF_INVOICING_HAS_CREDENTIALS'
  | 'SELF_INVOICING_TOO_LONG';

/**
 * The base as kept (no trailing slash, so the page is base + "/factura"), or why not. https only:
 * the page asks for the customer's fiscal data. Plain http is taken for 127.0.0.1 alone, where
 * tests run central.
 */
export function parseSelfInvoicingBase(typed: string): { base: string } | { problem: SelfInvoicingProblem } {
  const text = typed.trim();
  if (text.length > SELF_INVOICING_MAX_LENGTH) return { problem: 'SELF_INVOICING_TOO_LONG' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'SELF_INVOICING_NOT_A_URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === '127.0.0.1')) {
    return { problem: /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? 'SELF_INVOICING_NOT_HTTPS' : 'SELF_INVOICING_NOT_A_URL' };
  }
  if (url.username || url.password) return { problem: 'SELF_INVOICING_HAS_CREDENTIALS' };
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return { problem: 'SELF_INVOICING_HAS_QUERY' };
  return { base: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The page's path on central, under the base (server/central/self-invoice serves it). */
export const SELF_INVOICE_PATH = '/factura';

/** The page a customer types in: base + /factura. */
export const selfInvoicingPage = (base: string) => `${base}${SELF_INVOICE_PATH}`;

/** What the receipt's QR code opens: the page, told which receipt. */
export const selfInvoicingLink = (base: string, receiptCode: string) => `${selfInvoicingPage(base)}?r=${encodeURIComponent(receiptCode)}`;

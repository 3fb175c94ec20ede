// Self-invoicing: central serves a page where a Mexican customer invoices their own purchase,
// GET {base}/factura?r=RECEIPT_CODE&b=BRANCH, and a sale's receipt points at it with a QR code.
// The base is the business setting invoicing.selfServiceUrl, kept as checked here by the back
// office's form, central's command line, the engine that stores it and the receipts that read it.

export const SELF_INVOICING_SETTING = 'invoicing.selfServiceUrl';

/**
 * The longest base taken: the QR code of its longest link still fits 58 mm paper. The printer
 * draws it at level M, 6 dots a module (devices/printer/escpos.ts), and 58 mm paper prints 384
 * dots: 64 modules, so version 11 (61 modules, 251 bytes) at most. The link is the base, then
 * "/factura?r=" (11), the receipt code (14 for "RCAJA-1-000123", a register code of 6) and
 * "&b=" with the branch (25): 200 + 11 + 14 + 25 = 250.
 */
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

/** The receipt's code in the page's address (RCAJA-1-000042, as printed). */
export const SELF_INVOICE_RECEIPT_PARAM = 'r';
/**
 * The sale's branch in the page's address. Register codes are unique within a branch only, so two
 * branches may print the same receipt code, and a sale of the same total at each leaves the code
 * and the total unable to tell them apart; the branch does. Receipts printed before it was added
 * carry none, and are looked up by their code and total alone.
 */
export const SELF_INVOICE_BRANCH_PARAM = 'b';

/** The page a customer types in: base + /factura. */
export const selfInvoicingPage = (base: string) => `${base}${SELF_INVOICE_PATH}`;

/** What the receipt's QR code opens: the page, told which receipt of which branch. */
export const selfInvoicingLink = (base: string, receiptCode: string, branchId: string) =>
  `${selfInvoicingPage(base)}?${SELF_INVOICE_RECEIPT_PARAM}=${encodeURIComponent(receiptCode)}&${SELF_INVOICE_BRANCH_PARAM}=${branchInLink(branchId)}`;

// The branch's id is the one name of it that never changes and no other business shares (its
// code is the owner's to choose, unique within the business only); as written, 36 characters,
// it would take the QR past version 11 with the longest base. Its 128 bits in base64url take 22.
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 21 characters of 6 bits and a last one of 2 (its 4 low bits zero, as base64url pads 16 bytes). */
const IN_LINK = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** A branch's id as the link carries it: its 16 bytes in base64url, 22 characters. */
export function branchInLink(branchId: string): string {
  if (!UUID.test(branchId)) throw new Error(`not a branch id: ${branchId}`);
  const bits = BigInt(`0x${branchId.replace(/-/g, '')}`) << 4n;
  let text = '';
  for (let shift = 126n; shift >= 0n; shift -= 6n) text += BASE64URL[Number((bits >> shift) & 63n)];
  return text;
}

/** The branch's id from a link's `b`, or null when it is not one branchInLink wrote. */
export function branchFromLink(text: string): string | null {
  if (!IN_LINK.test(text)) return null;
  let bits = 0n;
  for (const c of text) bits = (bits << 6n) | BigInt(BASE64URL.indexOf(c));
  const hex = (bits >> 4n).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

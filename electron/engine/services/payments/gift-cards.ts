// Gift cards: stored value a customer buys for someone, printed as a code (barcode or QR) on a
// card. The card is sold as a sale line naming its code and holds that line's total from the
// moment the sale completes; the same line on a card already sold tops it up. Its id is derived
// from the business and the code, so every register (and central) names the same card the same
// way without asking anyone first: a register that sells or tops up a card offline writes rows
// central will recognise as that card.
import { Decimal } from 'decimal.js';
import { v5 as uuidv5 } from 'uuid';

/** The product a gift-card line points at (one per store, found by this SKU, tax-exempt: a card is money, not goods). */
export const GIFT_CARD_SKU = 'TARJETA-REGALO';

// Fixed forever: changing it would give every card a second id.
const GIFT_CARD_NAMESPACE = '5b3c2e5a-7f0d-4c1e-9a53-3f1d2b6e8c47';

/** A code as printed or scanned: letters and digits, spaces and dashes ignored, upper case; null when it cannot be a card's. */
export function giftCardCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z0-9]{6,32}$/.test(code) ? code : null;
}

export const giftCardId = (businessId: string, code: string): string => uuidv5(`${businessId}:${code}`, GIFT_CARD_NAMESPACE);

/** The last four characters, for the receipt and the screens: the whole code spends the card. */
export const maskedCode = (code: string): string => `****${code.slice(-4)}`;

/** When a card sold now expires under the store's rule (whole months; none when the store sets none). */
export function giftCardExpiry(now: Date, validMonths: number | null): Date | null {
  if (validMonths === null) return null;
  const at = new Date(now);
  const day = at.getUTCDate();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() + validMonths);
  // 31 January plus a month is the last of February, not 3 March.
  const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, last));
  return at;
}

/**
 * Whether a register cut off from central may take `amount` more of a card today: what it already
 * took of that card on this business day plus this must stay within the store's offline limit.
 */
export function withinOfflineLimit(takenToday: string, amount: string, limit: string): { ok: true } | { ok: false; left: string } {
  const left = Decimal.max(new Decimal(limit).minus(takenToday), 0);
  return left.greaterThanOrEqualTo(amount) ? { ok: true } : { ok: false, left: left.toFixed(2) };
}

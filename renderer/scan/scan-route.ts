// Where a scan goes, decided from what the register is doing, never from where the focus
// happens to be: a scan rings up an item, finds a return, or types into a field made to take a
// code; anywhere else it is refused in words. It never lands in an amount, a quantity or a PIN.

export type ScanState = {
  signedIn: boolean;
  /** Signed in, the shift read and open: the register can sell. */
  selling: boolean;
  /** The shift was just closed (the Z on screen). */
  closed: boolean;
  panel: string;
  paying: boolean;
  /** The change screen of the sale just paid. */
  receipt: boolean;
  /** A dialog that is not about the cart's contents: approval, quantity, price, discount, switch, confirmations. */
  dialog: boolean;
  /** The side task on screen has a field made for codes (a receipt to find, a scanner to test), focused or not. */
  screenField: boolean;
};

export type ScanRoute =
  /** The focused field was made for codes (a barcode, a slip, a receipt number): type it there. */
  | { to: 'field' }
  /** The side task's own field for codes, though the focus is elsewhere on it. */
  | { to: 'screenField' }
  | { to: 'sale' }
  /** The pay dialog closes and the item joins the cart: the total has changed, so must the payment. */
  | { to: 'saleFromPay' }
  /** The first item of the next sale: the change screen ends. */
  | { to: 'nextSale' }
  | { to: 'return' }
  | { to: 'refused'; why: RefusedWhy };

export type RefusedWhy = 'signIn' | 'noShift' | 'closed' | 'dialog' | 'panel';

/** Side tasks where a scan is an item for the cart: the cashier was looking for one. */
const SALE_PANELS = new Set(['sell', 'browse', 'search']);

export function routeScan(s: ScanState, focusedTakesCodes: boolean): ScanRoute {
  if (focusedTakesCodes) return { to: 'field' };
  if (!s.signedIn) return { to: 'refused', why: 'signIn' };
  if (s.closed) return { to: 'refused', why: 'closed' };
  if (!s.selling) return { to: 'refused', why: 'noShift' };
  if (s.dialog) return { to: 'refused', why: 'dialog' };
  if (s.receipt) return { to: 'nextSale' };
  if (s.paying) return { to: 'saleFromPay' };
  if (SALE_PANELS.has(s.panel)) return { to: 'sale' };
  if (s.screenField) return { to: 'screenField' };
  if (s.panel === 'returns') return { to: 'return' };
  return { to: 'refused', why: 'panel' };
}

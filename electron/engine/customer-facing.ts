// What the customer should see while the cashier works: the line just rung up, the total, the
// change, then a goodbye. Worked out from each successful call's answer in one place, and sent
// as an event, so the pole display and a second-monitor window show the same thing. What was
// paid and the change come from the completed sale's fact instead (reactions/customer-display.ts).
import type { CallName } from '#contract/calls.ts';
import type { CartLine, CartView } from '#contract/cart-view.ts';
import type { CustomerView } from '#contract/customer-view.ts';

export type { CustomerView } from '#contract/customer-view.ts';

const LINE_CHANGES = new Set<CallName>([
  'sales.addItem',
  'sales.addOpenItem',
  'sales.setQuantity',
  'sales.setLineDiscount',
  'sales.overridePrice',
]);
const TOTAL_CHANGES = new Set<CallName>(['sales.removeLine', 'sales.setSaleDiscount', 'sales.recall']);
const GONE = new Set<CallName>(['sales.park', 'sales.void']);

type LineInput = { lineId?: string; variantId?: string; code?: string };

/**
 * The line a call changed: the one it names; for a scan, the newest line unless the item went
 * onto an earlier line of its own (scanning a piece again adds one to its line); otherwise the
 * newest line, where an open-price item goes.
 */
function changedLine(call: CallName, input: LineInput, lines: CartLine[]): CartLine | undefined {
  if (input.lineId) return lines.find((l) => l.id === input.lineId);
  const newest = lines.reduce((a, b) => (b.lineNo > a.lineNo ? b : a));
  if (call !== 'sales.addItem') return newest;
  const scanned = (l: CartLine) =>
    input.variantId !== undefined ? l.variantId === input.variantId : l.barcode === input.code || l.sku === input.code;
  if (scanned(newest)) return newest;
  return lines.filter(scanned).reduce<CartLine | undefined>((a, b) => (a && a.lineNo > b.lineNo ? a : b), undefined) ?? newest;
}

export function customerViewAfter(call: CallName, input: unknown, value: unknown): CustomerView | null {
  if (GONE.has(call)) return { kind: 'idle' };
  if (!LINE_CHANGES.has(call) && !TOTAL_CHANGES.has(call)) return null;
  const cart = value as CartView;
  if (!cart?.lines || cart.status !== 'OPEN') return null;
  if (cart.lines.length === 0) return { kind: 'idle' };
  const line = LINE_CHANGES.has(call) ? changedLine(call, input as LineInput, cart.lines) : undefined;
  if (!line) return { kind: 'total', total: cart.totals.total, currency: cart.currency };
  // The sale's total goes with every line, so the customer sees it grow as each item is rung up.
  return {
    kind: 'line',
    name: line.name,
    quantity: line.quantity,
    unit: line.unit,
    isWeighed: line.isWeighed,
    lineTotal: line.total,
    total: cart.totals.total,
    currency: cart.currency,
  };
}

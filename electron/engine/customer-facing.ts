// What the customer should see while the cashier works: the line just rung up, the total, the
// change, then a goodbye. Worked out from each successful call's answer in one place, and sent
// as an event, so the pole display and a second-monitor window show the same thing. What was
// paid and the change come from the completed sale's fact instead (reactions/customer-display.ts).
import type { CallName } from '#contract/calls.ts';
import type { CartView } from '#contract/cart-view.ts';
import type { CustomerView } from '#contract/customer-view.ts';

export type { CustomerView } from '#contract/customer-view.ts';

const LINE_CHANGES = new Set<CallName>(['sales.addItem', 'sales.setQuantity', 'sales.setLineDiscount', 'sales.overridePrice']);
const TOTAL_CHANGES = new Set<CallName>(['sales.removeLine', 'sales.setSaleDiscount', 'sales.recall']);
const GONE = new Set<CallName>(['sales.park', 'sales.void']);

export function customerViewAfter(call: CallName, input: unknown, value: unknown): CustomerView | null {
  if (GONE.has(call)) return { kind: 'idle' };
  if (!LINE_CHANGES.has(call) && !TOTAL_CHANGES.has(call)) return null;
  const cart = value as CartView;
  if (!cart?.lines || cart.status !== 'OPEN') return null;
  if (cart.lines.length === 0) return { kind: 'idle' };
  const lineId = (input as { lineId?: string }).lineId;
  const line = LINE_CHANGES.has(call)
    ? lineId
      ? cart.lines.find((l) => l.id === lineId)
      : cart.lines.reduce((a, b) => (b.lineNo > a.lineNo ? b : a))
    : undefined;
  if (!line) return { kind: 'total', total: cart.totals.total, currency: cart.currency };
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

// The pole display follows what the customer should see (customer-facing.ts): the line just
// rung up with its price above the sale's total, the total, the change, then a goodbye and,
// after a while, the store's greeting. A display that fails to write is the display's problem:
// its status says so and the sale goes on.
import type { CustomerView } from '#contract/customer-view.ts';
import type { ServerEventBus } from '../server-events.ts';
import type { LineDisplay } from './display/line-display.ts';
import { changeScreen, closingScreen, idleScreen, itemScreen, totalScreen } from './display/line-display-screens.ts';
import type { ScreenLines } from './display/line-display-commands.ts';
import { moneyFormat, quantityText, receiptLocale } from '#contract/receipt-document.ts';

const GOODBYE_MS = 4_000;
const GREETING_MS = 20_000;

/** The item as the customer reads it beside its price: "1.234 kg Limón", "3 x Pan", or just "Pan". */
function itemText(view: Extract<CustomerView, { kind: 'line' }>): string {
  if (view.isWeighed) return `${quantityText(view.quantity)} ${view.unit} ${view.name}`;
  const quantity = quantityText(view.quantity);
  return quantity === '1' ? view.name : `${quantity} x ${view.name}`;
}

export function screenFor(view: CustomerView, storeName: string): ScreenLines {
  switch (view.kind) {
    case 'idle':
      return idleScreen(storeName);
    case 'line': {
      const money = moneyFormat(receiptLocale(view.currency), view.currency);
      return itemScreen(itemText(view), money(view.lineTotal), money(view.total));
    }
    case 'total':
      return totalScreen('TOTAL', moneyFormat(receiptLocale(view.currency), view.currency)(view.total));
    case 'paid': {
      const money = moneyFormat(receiptLocale(view.currency), view.currency);
      return changeScreen(money(view.paid), money(view.change));
    }
  }
}

/** display: the register's pole display while it works; storeName: for the greeting, read once known (null: not yet). */
export type DisplayFeed = { events: ServerEventBus; display: () => LineDisplay | null; storeName: () => Promise<string | null> };

export function feedCustomerDisplay(feed: DisplayFeed, timing = { goodbyeMs: GOODBYE_MS, greetingMs: GREETING_MS }): () => void {
  let timers: NodeJS.Timeout[] = [];
  let storeName: string | null = null;
  // Laid out only for a display that is there: most registers have none, and every scan asked for a screen.
  const show = (lines: () => ScreenLines) => {
    const display = feed.display();
    display?.show(lines()).catch(() => undefined);
  };
  const later = (ms: number, what: () => void) => {
    const t = setTimeout(what, ms);
    t.unref();
    timers.push(t);
  };
  const nameOfStore = async () => (storeName ??= await feed.storeName()) ?? '';
  const off = feed.events.on('customer.view', (view) => {
    for (const t of timers) clearTimeout(t);
    timers = [];
    void nameOfStore()
      .then((name) => {
        show(() => screenFor(view, name));
        if (view.kind === 'paid') {
          later(timing.goodbyeMs, () => show(closingScreen));
          later(timing.greetingMs, () => show(() => idleScreen(name)));
        }
      })
      .catch(() => undefined);
  });
  return () => {
    off();
    for (const t of timers) clearTimeout(t);
  };
}

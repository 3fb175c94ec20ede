// The pole display follows what the customer should see (customer-facing.ts): the line just
// rung up with its price, the total, the change, then a goodbye and, after a while, the store's
// greeting. A display that fails to write is the display's problem: its status says so and the
// sale goes on.
import type { CustomerView } from '#contract/customer-view.ts';
import type { EngineContainer } from '../container.ts';
import { changeScreen, closingScreen, idleScreen, itemScreen, totalScreen } from './display/line-display-screens.ts';
import type { ScreenLines } from './display/line-display-commands.ts';
import { moneyFormat, quantityText } from '#contract/receipt-document.ts';
import { receiptLocale } from './printer/sale-receipt.ts';

const GOODBYE_MS = 4_000;
const GREETING_MS = 20_000;

export function screenFor(view: CustomerView, storeName: string): ScreenLines {
  switch (view.kind) {
    case 'idle':
      return idleScreen(storeName);
    case 'line': {
      const money = moneyFormat(receiptLocale(view.currency), view.currency);
      const name = view.isWeighed ? `${quantityText(view.quantity)} ${view.unit} ${view.name}` : view.name;
      return itemScreen(name, money(view.lineTotal));
    }
    case 'total':
      return totalScreen('TOTAL', moneyFormat(receiptLocale(view.currency), view.currency)(view.total));
    case 'paid': {
      const money = moneyFormat(receiptLocale(view.currency), view.currency);
      return changeScreen(money(view.paid), money(view.change));
    }
  }
}

export function feedCustomerDisplay(services: EngineContainer, timing = { goodbyeMs: GOODBYE_MS, greetingMs: GREETING_MS }): () => void {
  let timers: NodeJS.Timeout[] = [];
  let storeName: string | null = null;
  const show = (lines: ScreenLines) => {
    const display = services.devices.display();
    display?.show(lines).catch(() => undefined);
  };
  const later = (ms: number, what: () => void) => {
    const t = setTimeout(what, ms);
    t.unref();
    timers.push(t);
  };
  const nameOfStore = async () => {
    if (storeName !== null || !services.terminal) return storeName ?? '';
    const [row] = await services.sql.query<{ name: string }>(`SELECT name FROM business.businesses WHERE id = $1`, [services.terminal.businessId]);
    storeName = row?.name ?? '';
    return storeName;
  };
  const off = services.events.on('customer.view', (view) => {
    for (const t of timers) clearTimeout(t);
    timers = [];
    void nameOfStore().then((name) => {
      show(screenFor(view, name));
      if (view.kind === 'paid') {
        later(timing.goodbyeMs, () => show(closingScreen()));
        later(timing.greetingMs, () => show(idleScreen(name)));
      }
    }).catch(() => undefined);
  });
  return () => {
    off();
    for (const t of timers) clearTimeout(t);
  };
}

// The sale being rung up: its lines and the one selected, a line's quantity, price or weight
// being changed, a discount being set, and what a scan or a typed code adds to it.
import { changedLine, neighbourOf } from '../../screens/sell-lines.ts';
import { refusalTone } from '../../scan/beep.ts';
import type { RefusedWhy } from '../../scan/scan-route.ts';
import type { Discount, DiscountTarget, GetRegister, LineEdit, RegisterKit, RegisterSlice, Sale, SetRegister } from '../register.ts';
import { key } from './calls.ts';

export type CartSlice = {
  sale: Sale | null;
  /** The cart line the keyboard's line actions (quantity, price, discount, remove) apply to. */
  selectedLine: string | null;
  editing: LineEdit | null;
  /** The line (or the whole sale) whose discount is being set. */
  discounting: DiscountTarget | null;
  /** The last scan that could not go where the cashier was, and why (shown above every screen). */
  scanRefused: { code: string; why: RefusedWhy } | null;
  /** A code typed or scanned into the scan field; "3*" in front sells three. */
  scan(code: string): Promise<void>;
  /** A scan routed to the cart: from the sell screen, the pay dialog (which closes), or the change screen (the next sale). */
  ringUpScan(code: string, from: 'sale' | 'pay' | 'receipt'): Promise<void>;
  /** A scan that cannot be taken here: said in words and with a tone; null clears it. */
  refuseScan(code: string | null, why?: RefusedWhy): void;
  setQuantity(lineId: string, quantity: string): Promise<void>;
  removeLine(lineId: string): Promise<void>;
  selectLine(lineId: string | null): void;
  editLine(edit: LineEdit | null): void;
  overridePrice(lineId: string, unitPrice: string, reason: string): Promise<void>;
  addWeighed(variantId: string, quantity: string): Promise<void>;
  startDiscount(target: DiscountTarget | null): void;
  applyDiscount(discount: Discount | null): Promise<void>;
};

/** "3*7501234567890": three of what the code names; the count alone ("3*") waits for the code. */
const QUANTITY_PREFIX = /^([1-9]\d{0,3})\*(.*)$/;

/** The cart after a change, with the line it touched selected (or a neighbour of a removed one). */
export function cartChanged(set: SetRegister, get: GetRegister, next: Sale, removed?: string) {
  const before = get().sale?.lines ?? [];
  const touched = removed ? neighbourOf(before, removed) : changedLine(before, next.lines);
  const selected = touched ?? (next.lines.some((l) => l.id === get().selectedLine) ? get().selectedLine : (next.lines.at(-1)?.id ?? null));
  set({ sale: next, selectedLine: selected, notice: null });
}

export const createCartSlice =
  ({ client, i18n, run }: RegisterKit): RegisterSlice<CartSlice> =>
  (set, get) => {
    let scans: Promise<void> = Promise.resolve();
    async function ringUp(code: string, quantity: string | undefined) {
      let sale = get().sale;
      if (!sale) {
        sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
        if (!sale) return;
        set({ sale });
      }
      const input = quantity ? { saleId: sale.id, code, quantity } : { saleId: sale.id, code };
      const next = await run((o) => client.send('sales.addItem', input, { override: o }));
      if (next) cartChanged(set, get, next);
      // A code that rang nothing up is heard as well as named on screen.
      else refusalTone();
    }

    return {
      sale: null,
      selectedLine: null,
      editing: null,
      discounting: null,
      scanRefused: null,

      scan(code) {
        const trimmed = code.trim();
        if (!trimmed) return Promise.resolve();
        const prefixed = QUANTITY_PREFIX.exec(trimmed);
        if (prefixed && !prefixed[2]) return Promise.resolve(set({ message: i18n.t('sell.prefixAlone', { count: prefixed[1]! }) }));
        set({ scanRefused: null });
        // A scanner is faster than the answers: each scan waits for the one before it, none is
        // dropped, and only the first of a new sale opens it.
        scans = scans.then(() => (prefixed ? ringUp(prefixed[2]!.trim(), prefixed[1]) : ringUp(trimmed, undefined)));
        return scans;
      },

      async ringUpScan(code, from) {
        if (from === 'receipt') get().nextSale();
        if (from === 'pay') get().stopPaying();
        if (from === 'sale' && get().panel === 'search') get().show('sell');
        await get().scan(code);
      },

      refuseScan(code, why) {
        if (code === null || !why) return set({ scanRefused: null });
        set({ scanRefused: { code, why } });
        refusalTone();
      },

      async setQuantity(lineId, quantity) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run((o) => client.send('sales.setQuantity', { saleId: sale.id, lineId, quantity }, { override: o }));
        if (next) {
          cartChanged(set, get, next);
          set({ editing: null });
        }
      },

      async removeLine(lineId) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run((o) => client.send('sales.removeLine', { saleId: sale.id, lineId }, { override: o }));
        if (next) cartChanged(set, get, next, lineId);
      },

      selectLine(lineId) {
        set({ selectedLine: lineId });
      },

      editLine(edit) {
        set({ editing: edit, message: null, weighing: null });
      },

      async overridePrice(lineId, unitPrice, reason) {
        const sale = get().sale;
        if (!sale || get().busy) return;
        const next = await run((o) => client.send('sales.overridePrice', { saleId: sale.id, lineId, unitPrice, reason }, { override: o }));
        if (next) set({ sale: next, selectedLine: lineId, editing: null });
      },

      async addWeighed(variantId, quantity) {
        if (get().busy) return;
        let sale = get().sale;
        if (!sale) {
          sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
          if (!sale) return;
          set({ sale });
        }
        const next = await run((o) => client.send('sales.addItem', { saleId: sale.id, variantId, quantity }, { override: o }));
        if (next) {
          cartChanged(set, get, next);
          set({ editing: null });
        }
      },

      startDiscount(target) {
        set({ discounting: target, message: null });
      },

      async applyDiscount(discount) {
        const { sale, discounting } = get();
        if (!sale || !discounting) return;
        const next =
          discounting.kind === 'line'
            ? await run((o) =>
                client.send('sales.setLineDiscount', { saleId: sale.id, lineId: discounting.lineId, discount }, { override: o }),
              )
            : await run((o) => client.send('sales.setSaleDiscount', { saleId: sale.id, discount }, { override: o }));
        if (next) set({ sale: next, discounting: null });
      },
    };
  };

// The shift's sales as the history panel shows them (a page, the receipt asked for, the sale
// opened) and every reprint made at the register, from the history or from the change screen,
// and the printout of a sale's stamped invoice.
// A reprint always answers on screen: the paper it made is shown, and when the register has no
// printer a message says so instead of nothing happening.
import { create } from 'zustand';
import type { CallOutput } from '#contract/calls.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { ContractClient, Result } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';

export type HistoryPage = CallOutput<'sales.history'>;
export type HistoryRow = HistoryPage['sales'][number];
export type HistorySale = CallOutput<'sales.historySale'>;
export type HistoryInvoice = CallOutput<'invoices.ofSale'>[number];

/** The last paper made for a sale at this register: a reprint, a gift receipt, the original, or its invoice's printout. */
export type Paper = { saleId: string; kind: 'original' | 'copy' | 'gift' | 'invoice'; document: ReceiptDocument; printed: boolean };

export type HistoryState = {
  page: HistoryPage | null;
  /** The receipt asked for, while the list shows only it. */
  code: string | null;
  sale: HistorySale | null;
  /** The invoices of the sale opened (invoices.ofSale), newest first. */
  invoices: HistoryInvoice[];
  paper: Paper | null;
  /** What went wrong, in the cashier's words. */
  message: string | null;
  /** What happened to the paper: sent to the printer, or shown here because there is none. */
  notice: string | null;
  busy: boolean;
};

export type HistoryActions = {
  load(page?: number): Promise<void>;
  find(code: string): Promise<void>;
  showAll(): Promise<void>;
  open(saleId: string): Promise<void>;
  close(): void;
  reprint(saleId: string, variant: 'copy' | 'gift'): Promise<void>;
  /** The printed representation of one of the sale's stamped invoices, on the register's printer (or on screen without one). */
  printInvoice(saleId: string, invoice: HistoryInvoice): Promise<void>;
  /** The receipt printed (or laid out) when the sale was paid, waited for while the spool is still writing it. */
  loadOriginal(saleId: string): Promise<void>;
  /** Forgets the paper and notices of a sale left behind (the next customer, another panel). */
  reset(): void;
};

export type History = HistoryState & HistoryActions;

export const HISTORY_PAGE = 8;

export function createHistory(client: ContractClient, i18n: I18n) {
  return create<History>()((set, get) => {
    let inFlight = 0;
    async function run<T>(send: () => Promise<Result<T>>): Promise<T | null> {
      inFlight++;
      set({ busy: true });
      try {
        const result = await send();
        if (result.ok) return result.value;
        set({ message: i18n.error(result.error), notice: null });
        return null;
      } finally {
        inFlight--;
        set({ busy: inFlight > 0 });
      }
    }

    // A scanner's receipt barcode, wedge or serial, goes into the panel's search field (data-scan-target): renderer/scan.

    return {
      page: null,
      code: null,
      sale: null,
      invoices: [],
      paper: null,
      message: null,
      notice: null,
      busy: false,

      async load(page = 1) {
        const code = get().code;
        const input = code ? { page, pageSize: HISTORY_PAGE, code } : { page, pageSize: HISTORY_PAGE };
        const next = await run(() => client.send('sales.history', input));
        if (next) set({ page: next, message: code && next.total === 0 ? i18n.t('history.notFound', { code }) : null });
      },

      async find(code) {
        const trimmed = code.trim();
        if (!trimmed) return get().showAll();
        set({ code: trimmed, sale: null, paper: null, notice: null });
        await get().load(1);
        // One sale found is opened at once: a scanned receipt goes straight to its reprint.
        const only = get().page?.sales;
        if (get().code === trimmed && only?.length === 1) await get().open(only[0]!.saleId);
      },

      async showAll() {
        set({ code: null, sale: null, paper: null, notice: null, message: null });
        await get().load(1);
      },

      async open(saleId) {
        const sale = await run(() => client.send('sales.historySale', { saleId }));
        if (!sale) return;
        set({ sale, invoices: [], paper: null, notice: null, message: null });
        const invoices = await run(() => client.send('invoices.ofSale', { saleId }));
        if (invoices && get().sale?.saleId === saleId) set({ invoices });
        // What was printed when it was sold, until a reprint replaces it on screen.
        if (sale.receiptNumber !== null) await get().loadOriginal(saleId);
      },

      async loadOriginal(saleId) {
        // The sale's answer comes before its receipt is written (the spool lays it out just after):
        // a few short waits, then the screen does without.
        for (let attempt = 0; attempt < 6; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
          const printed = await client.send('sales.receipts', { saleId });
          const original = printed.ok ? printed.value.find((r) => r.kind === 'SALE' && r.copyNumber === 0) : undefined;
          const shown = get().paper;
          // A reprint made meanwhile stays on screen.
          if (shown && shown.saleId === saleId && shown.kind !== 'original') return;
          if (original) {
            const unsent = original.status === 'UNSENT';
            set({
              paper: { saleId, kind: 'original', document: original.document as ReceiptDocument, printed: !unsent },
              notice: unsent ? i18n.t('receipt.noPrinter') : null,
            });
            return;
          }
        }
      },

      close() {
        set({ sale: null, paper: null, notice: null, message: null });
      },

      async reprint(saleId, variant) {
        if (get().busy) return;
        const done = await run(() => client.send('sales.reprint', { saleId, variant }));
        if (!done) return;
        const notice = !done.printed
          ? i18n.t('receipt.noPrinter')
          : variant === 'gift'
            ? i18n.t('receipt.sentGift')
            : i18n.t('receipt.sentCopy', { number: done.copyNumber });
        set({ paper: { saleId, kind: variant, document: done.document as ReceiptDocument, printed: done.printed }, notice, message: null });
      },

      async printInvoice(saleId, invoice) {
        if (get().busy) return;
        // One key per press: a request sent again after a lost answer prints once.
        const idempotencyKey = `print-invoice:${crypto.randomUUID()}`;
        const done = await run(() => client.send('invoices.print', { invoiceId: invoice.id, idempotencyKey }));
        if (!done) return;
        const notice = done.printed
          ? i18n.t('invoice.print.sent', { kind: i18n.t(`invoice.kind.${invoice.kind}`), series: invoice.series, folio: invoice.folio })
          : i18n.t('invoice.print.noPrinter');
        set({
          paper: { saleId, kind: 'invoice', document: done.document as ReceiptDocument, printed: done.printed },
          notice,
          message: null,
        });
      },

      reset() {
        set({ paper: null, notice: null, message: null, sale: null, code: null });
      },
    };
  });
}

export type HistoryStore = ReturnType<typeof createHistory>;

// Paying the sale: the pay dialog, the tenders taken (a split payment in progress), the sale
// completed once they cover the total, and the change screen's receipt until the next sale. The
// customer's e-mail, typed on the pay screen, goes with the sale; one typed on the change screen
// asks for that receipt afterwards. The terminal only records the request: central sends it.
import { Decimal } from 'decimal.js';
import { AMOUNT_FIELD, fieldProblem } from '../../i18n/number-fields.ts';
import { readEmail } from '../../screens/customer-email.ts';
import { splitState, takeTender, tenderProblem, tendersForEngine, type PendingTender, type SplitProblem } from '../../screens/pay-split.ts';
import type { CardChargeView } from '#contract/calls/payments.ts';
import type { Method, Receipt, RegisterKit, RegisterSlice, StoredReceipt, TerminalSettings } from '../register.ts';
import { key } from './calls.ts';

export type PaymentSlice = {
  methods: Method[];
  paying: boolean;
  /** Tenders taken for the sale on screen and not yet sent: a split payment in progress. */
  tenders: PendingTender[];
  /** Why the tender just offered was not taken, in the cashier's words. */
  tenderMessage: string | null;
  receipt: Receipt | null;
  printed: StoredReceipt[];
  /** The customer's address as typed on the pay screen, for the sale it was typed for (another sale starts empty). */
  receiptEmail: { saleId: string; typed: string } | null;
  /** The e-mails asked for the receipt on screen, as the engine took them (queued false: asked before). */
  emailed: EmailedReceipt[];
  /** Cash over this many times what is due is confirmed before it is taken (the store's setting). */
  cashConfirmMultiple: string;
  startPaying(): void;
  stopPaying(): void;
  /** Takes one tender; once the tenders cover the total the sale is paid. `formKey` is one per filled form, so a double click takes it once. */
  addTender(tender: PendingTender, formKey: string): Promise<void>;
  removeTender(index: number): void;
  setReceiptEmail(typed: string): void;
  /** Asks for the receipt on screen by e-mail; true once the engine has taken the request. */
  emailReceipt(typed: string): Promise<boolean>;
  /** Sends the tenders taken once they cover the total (again, if the first answer never came). */
  finishPayment(): Promise<void>;
  /**
   * The charge on the register's card terminal for the sale on screen, as last heard: followed
   * (asked again every second) while it is open; once approved it is a tender.
   */
  charge: CardChargeView | null;
  /** Puts `amount` on the register's card terminal; `formKey` makes a double press one charge. */
  startCharge(methodId: string, amount: string, formKey: string): Promise<void>;
  /** Takes the charge off the terminal (one paid meanwhile becomes the tender it is). */
  cancelCharge(): Promise<void>;
  nextSale(): void;
};

export type EmailedReceipt = { email: string; queued: boolean };

/** The engine's own default for the cash check, for a terminal whose settings could not be read. */
const CASH_CONFIRM_MULTIPLE = '20';

export const createPaymentSlice =
  ({ client, i18n, run }: RegisterKit, terminal: TerminalSettings | null): RegisterSlice<PaymentSlice> =>
  (set, get) => {
    /** Each tender form filled is taken once, however many times its button is pressed. */
    const takenForms = new Set<string>();
    const tenderWords = (problem: SplitProblem, remaining: string) =>
      problem === 'AMOUNT' ? fieldProblem(i18n, AMOUNT_FIELD) : i18n.t(`pay.problem.${problem}`, { amount: i18n.money(remaining) });

    /** The address typed on the pay screen for this sale, read as the engine will read it. */
    const typedEmail = (saleId: string) => {
      const typed = get().receiptEmail;
      return readEmail(typed?.saleId === saleId ? typed.typed : '');
    };

    /** A sale paid: its receipt on screen, what was printed for it, and the e-mail that went with it. */
    async function paid(receipt: Receipt | null, email: string | null) {
      if (!receipt) return;
      const emailed = email ? [{ email, queued: true }] : [];
      set({
        receipt,
        sale: null,
        paying: false,
        printed: [],
        tenders: [],
        tenderMessage: null,
        selectedLine: null,
        receiptEmail: null,
        emailed,
      });
      const printed = await client.send('sales.receipts', { saleId: receipt.saleId });
      if (printed.ok) set({ printed: printed.value });
    }

    /** Each filled terminal form is one charge, however often it is sent (its key goes with it). */
    const chargeKeys = new Map<string, string>();
    let following: ReturnType<typeof setTimeout> | null = null;
    const FOLLOW_MS = 1000;
    const OPEN = new Set(['SENT', 'CREATED', 'AT_TERMINAL', 'PROCESSING']);

    /** An approved charge not yet among the tenders becomes one; the sale is then sent if that covers it. */
    async function takeApproved(charge: CardChargeView) {
      const sale = get().sale;
      if (!sale || charge.saleId !== sale.id || charge.status !== 'APPROVED' || charge.spent) return;
      if (get().tenders.some((t) => t.kind === 'TERMINAL' && t.chargeId === charge.id)) return;
      const method = get().methods.find((m) => m.id === charge.methodId)?.name ?? '';
      const tender: PendingTender = {
        kind: 'TERMINAL',
        methodId: charge.methodId,
        method,
        amount: new Decimal(charge.amount).toFixed(2),
        chargeId: charge.id,
        cardLast4: charge.cardLast4,
      };
      set({ tenders: takeTender(get().tenders, tender), tenderMessage: null });
      await get().finishPayment();
    }

    /** Where the charge stands, asked again while it is open and the pay screen shows its sale. */
    function follow(charge: CardChargeView) {
      if (following) clearTimeout(following);
      following = null;
      set({ charge });
      if (charge.status === 'APPROVED') {
        void takeApproved(charge);
        return;
      }
      if (!OPEN.has(charge.status)) return;
      following = setTimeout(async () => {
        following = null;
        const still = get();
        if (!still.paying || still.charge?.id !== charge.id) return;
        const answer = await client.send('payments.charge', { chargeId: charge.id });
        if (answer.ok) follow(answer.value);
        else follow({ ...charge, unreachable: answer.error.code });
      }, FOLLOW_MS);
    }

    client.on('printer.queue', (printer) => {
      if (printer.printerUri !== get().printerUri) return;
      // The receipt on screen says whether it has printed yet.
      const receipt = get().receipt;
      if (receipt) {
        void client.send('sales.receipts', { saleId: receipt.saleId }).then((printed) => {
          if (printed.ok && get().receipt?.saleId === receipt.saleId) set({ printed: printed.value });
        });
      }
    });

    return {
      methods: [],
      paying: false,
      tenders: [],
      tenderMessage: null,
      receipt: null,
      printed: [],
      receiptEmail: null,
      emailed: [],
      cashConfirmMultiple: terminal?.cashConfirmMultiple ?? CASH_CONFIRM_MULTIPLE,

      startPaying() {
        const sale = get().sale;
        if (!sale?.lines.length) return;
        set({ paying: true, message: null, tenderMessage: null, editing: null });
        // A charge the terminal approved before (a restart, the dialog closed) pays again here, and
        // one still at the terminal is followed: the customer's card is never asked twice.
        void client.send('payments.chargesOfSale', { saleId: sale.id }).then(async (charges) => {
          if (!charges.ok || get().sale?.id !== sale.id) return;
          for (const c of charges.value.filter((c) => c.status === 'APPROVED' && !c.spent).reverse()) await takeApproved(c);
          const open = charges.value.find((c) => OPEN.has(c.status));
          if (open) follow(open);
          else if (get().charge?.saleId !== sale.id) set({ charge: null });
        });
      },
      stopPaying() {
        // Tenders already taken stay with the sale: a card already charged is not forgotten.
        set({ paying: false, message: null, tenderMessage: null });
      },

      charge: null,

      async startCharge(methodId, amount, formKey) {
        const { sale, busy, tenders } = get();
        if (!sale || busy) return;
        const open = get().charge;
        if (open && open.saleId === sale.id && OPEN.has(open.status)) return;
        const problem = tenderProblem(sale.totals.total, tenders, {
          kind: 'TERMINAL',
          methodId,
          method: '',
          amount,
          chargeId: '',
          cardLast4: null,
        });
        if (problem) return set({ tenderMessage: tenderWords(problem, splitState(sale.totals.total, tenders).remaining) });
        const idempotencyKey = chargeKeys.get(formKey) ?? key('charge');
        chargeKeys.set(formKey, idempotencyKey);
        set({ tenderMessage: null });
        const charge = await run((o) =>
          client.send('payments.startCharge', { saleId: sale.id, methodId, amount, idempotencyKey }, { override: o }),
        );
        if (charge) follow(charge);
      },

      async cancelCharge() {
        const charge = get().charge;
        if (!charge || !OPEN.has(charge.status) || get().busy) return;
        const answer = await run((o) => client.send('payments.cancelCharge', { chargeId: charge.id }, { override: o }));
        if (answer) follow(answer);
      },

      async addTender(tender, formKey) {
        const { sale, busy, tenders } = get();
        // A second click while the first is on its way, or on a form already taken, does nothing;
        // the engine would also answer the same sale again rather than sell it twice.
        if (!sale || busy || takenForms.has(formKey)) return;
        const problem = tenderProblem(sale.totals.total, tenders, tender);
        if (problem) return set({ tenderMessage: tenderWords(problem, splitState(sale.totals.total, tenders).remaining) });
        // The tender that would finish the sale waits for a bad address to be fixed or cleared:
        // taken, it would leave the sale paid-for but unsent behind a button.
        if (typedEmail(sale.id).bad && splitState(sale.totals.total, takeTender(tenders, tender)).covered) {
          return set({ tenderMessage: i18n.t('pay.problem.EMAIL') });
        }
        takenForms.add(formKey);
        set({ tenders: takeTender(tenders, tender), tenderMessage: null, message: null });
        await get().finishPayment();
      },

      async finishPayment() {
        const { sale, tenders, busy } = get();
        if (!sale || busy || !splitState(sale.totals.total, tenders).covered) return;
        const email = typedEmail(sale.id);
        if (email.bad) return set({ tenderMessage: i18n.t('pay.problem.EMAIL') });
        const input = { saleId: sale.id, tenders: tendersForEngine(tenders), ...(email.value ? { email: email.value } : {}) };
        await paid(await run((o) => client.send('sales.complete', input, { override: o })), email.value);
      },

      setReceiptEmail(typed) {
        const sale = get().sale;
        if (!sale) return;
        // The refusal that waited on the address goes once the address is fixed or cleared; any other stays.
        const waited = get().tenderMessage === i18n.t('pay.problem.EMAIL') && !readEmail(typed).bad;
        set({ receiptEmail: { saleId: sale.id, typed }, ...(waited ? { tenderMessage: null } : {}) });
      },

      async emailReceipt(typed) {
        const { receipt, busy } = get();
        const email = readEmail(typed).value;
        if (!receipt || busy || email === null) return false;
        const answer = await run((o) => client.send('sales.emailReceipt', { saleId: receipt.saleId, email }, { override: o }));
        // The next sale may have started while the answer was on its way: it is not this screen's any more.
        if (!answer || get().receipt?.saleId !== receipt.saleId) return false;
        set({ emailed: [...get().emailed.filter((e) => e.email !== email), { email, queued: answer.queued }] });
        return true;
      },

      removeTender(index) {
        // An approved charge is the customer's money already taken: it stays a tender.
        if (get().busy || get().tenders[index]?.kind === 'TERMINAL') return;
        set({ tenders: get().tenders.filter((_, i) => i !== index), tenderMessage: null });
      },

      nextSale() {
        set({ receipt: null, printed: [], emailed: [], message: null, panel: 'sell', invoicing: null, saleInvoices: null, charge: null });
      },
    };
  };

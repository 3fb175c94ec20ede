// An invoice for the sale just paid (Alt+F on the change screen): the customer found by RFC or
// name, or created on the spot, then the CFDI asked for. The engine answers it at once as waiting
// for the authority's stamp, or says why not; a refusal about the customer's data is kept beside
// the field it names, and what was typed stays. One request per opening of the panel: sent again
// (an answer that never came), it answers the same invoice.
import type { CallOutput } from '#contract/calls.ts';
import type { ClientError } from '../../api/client.ts';
import {
  type CustomerForm,
  EMPTY_FORM,
  type FiscalOptions,
  type FoundCustomer,
  type Refusals,
  receiverOf,
  refusalsOf,
  saveInput,
} from '../../screens/invoice-form.ts';
import type { RegisterKit, RegisterSlice } from '../register.ts';
import { key } from './calls.ts';

export type SaleInvoice = CallOutput<'invoices.ofSale'>[number];

export type InvoicePanel = {
  saleId: string;
  /** One per opening: the same request sent again is the same invoice. */
  idempotencyKey: string;
  mode: 'search' | 'new';
  options: FiscalOptions | null;
  /** What was searched for and what it found (null: nothing searched yet). */
  query: string;
  found: FoundCustomer[] | null;
  form: CustomerForm;
  /** The customer this panel saved: a second try edits it rather than making it twice. */
  saved: { id: string; version: number } | null;
  refusals: Refusals | null;
  /** How many answers were refusals: each new one takes the cashier to the first field it names. */
  refused: number;
  /** The invoice asked for, once the engine took it. */
  done: SaleInvoice | null;
};

export type InvoiceSlice = {
  invoicing: InvoicePanel | null;
  /** The invoices of the sale on the change screen, as the engine last said. */
  saleInvoices: { saleId: string; invoices: SaleInvoice[] } | null;
  openInvoice(): Promise<void>;
  closeInvoice(): void;
  /** The new customer's form (`taxId`: what was typed in the search, when it looks like an RFC). */
  newCustomer(taxId?: string): void;
  backToSearch(): void;
  searchCustomers(query: string): Promise<void>;
  editCustomer(change: Partial<CustomerForm>): void;
  /** The invoice for a customer found. */
  invoiceFor(customer: FoundCustomer): Promise<void>;
  /** Saves the new customer (or the changes to the one saved), then asks for the invoice. */
  saveAndInvoice(): Promise<void>;
};

export const createInvoiceSlice =
  ({ client, attempt }: RegisterKit): RegisterSlice<InvoiceSlice> =>
  (set, get) => {
    /** The panel as it is now, if it is still the one for `saleId` (the next sale may have started meanwhile). */
    const panel = (saleId: string) => {
      const open = get().invoicing;
      return open && open.saleId === saleId ? open : null;
    };
    const update = (saleId: string, change: Partial<InvoicePanel>) => {
      const open = panel(saleId);
      if (open) set({ invoicing: { ...open, ...change } });
    };
    const refused = (saleId: string, error: ClientError) =>
      update(saleId, { refusals: refusalsOf(error), refused: (panel(saleId)?.refused ?? 0) + 1 });

    async function loadInvoices(saleId: string) {
      const answer = await client.send('invoices.ofSale', { saleId });
      if (answer.ok && get().receipt?.saleId === saleId) set({ saleInvoices: { saleId, invoices: answer.value } });
    }

    async function request(saleId: string, customer: FoundCustomer) {
      const open = panel(saleId);
      if (!open) return;
      const input = { saleId, receiver: receiverOf(customer), idempotencyKey: open.idempotencyKey };
      const answer = await attempt((o) => client.send('invoices.request', input, { override: o }));
      if (!answer.ok) return refused(saleId, answer.error);
      update(saleId, { done: answer.value, refusals: null });
      await loadInvoices(saleId);
    }

    return {
      invoicing: null,
      saleInvoices: null,

      async openInvoice() {
        const receipt = get().receipt;
        if (!receipt || panel(receipt.saleId)) return;
        const saleId = receipt.saleId;
        set({
          invoicing: {
            saleId,
            idempotencyKey: key('invoice'),
            mode: 'search',
            options: null,
            query: '',
            found: null,
            form: EMPTY_FORM,
            saved: null,
            refusals: null,
            refused: 0,
            done: null,
          },
        });
        const options = await attempt((o) => client.send('customers.fiscalOptions', {}, { override: o }));
        if (options.ok) update(saleId, { options: options.value });
        else refused(saleId, options.error);
      },

      closeInvoice() {
        set({ invoicing: null });
      },

      newCustomer(taxId) {
        const open = get().invoicing;
        if (!open) return;
        const form = taxId && open.form.taxId === '' ? { ...open.form, taxId } : open.form;
        set({ invoicing: { ...open, mode: 'new', form, refusals: null } });
      },

      backToSearch() {
        const open = get().invoicing;
        if (open) set({ invoicing: { ...open, mode: 'search', refusals: null } });
      },

      async searchCustomers(query) {
        const open = get().invoicing;
        if (!open) return;
        const saleId = open.saleId;
        const typed = query.trim();
        if (typed === '') return update(saleId, { query: '', found: null, refusals: null });
        // The list of what was typed before goes at once: Enter must never take a customer it showed.
        update(saleId, { query, found: null });
        const answer = await attempt((o) => client.send('customers.search', { query: typed }, { override: o }));
        // An answer for what was typed before is not this list's.
        if (panel(saleId)?.query !== query) return;
        if (answer.ok) update(saleId, { found: answer.value, refusals: null });
        else refused(saleId, answer.error);
      },

      editCustomer(change) {
        const open = get().invoicing;
        if (!open) return;
        const form = { ...open.form, ...change };
        // The words beside a field go once it is changed; the others stay until the next try.
        const fields = { ...open.refusals?.fields };
        for (const name of Object.keys(change) as (keyof CustomerForm)[]) delete fields[name];
        set({ invoicing: { ...open, form, refusals: open.refusals ? { ...open.refusals, fields } : null } });
      },

      async invoiceFor(customer) {
        const open = get().invoicing;
        if (!open || open.done || get().busy) return;
        await request(open.saleId, customer);
      },

      async saveAndInvoice() {
        const open = get().invoicing;
        if (!open || open.done || get().busy) return;
        const saleId = open.saleId;
        const input = saveInput(open.form, open.saved);
        const saved = await attempt((o) => client.send('customers.save', input, { override: o }));
        if (!saved.ok) return refused(saleId, saved.error);
        update(saleId, { saved: { id: saved.value.id, version: saved.value.version }, refusals: null });
        await request(saleId, saved.value);
      },
    };
  };

// The register as the screens see it: who is signed in, the shift, the sale in progress, the
// last sale's receipt, and what the engine says about the printer and the connection. Every
// change goes through the contract client; an error is kept as the cashier's words, shown in
// place, and nothing changes twice: each action carries its own idempotency key.
//
// One store made of parts (zustand's slices pattern), each in renderer/stores/register/ and named
// for its part of the counter; the answers' types are here, where the screens have always found
// them, and every part sees the whole register (a paid sale empties the cart, a sign-out ends it).
import { create, type StateCreator, type StoreApi } from 'zustand';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs, CallOutput } from '#contract/calls.ts';
import type { PrinterState } from '#contract/printer-state.ts';
import type { ContractClient, Override, Result } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';
import { createCallsSlice, registerKit, type CallsSlice } from './register/calls.ts';
import { createSessionSlice, type SessionSlice } from './register/session.ts';
import { createPanelSlice, type PanelSlice } from './register/panel.ts';
import { createCartSlice, type CartSlice } from './register/cart.ts';
import { createCatalogSlice, type CatalogSlice } from './register/catalog.ts';
import { createParkedSlice, type ParkedSlice } from './register/parked.ts';
import { createPaymentSlice, type PaymentSlice } from './register/payment.ts';
import { createReturnsSlice, type ReturnsSlice } from './register/returns.ts';
import { createShiftSlice, type ShiftSlice } from './register/shift.ts';
import { createDevicesSlice, type DevicesSlice } from './register/devices.ts';
import { createDrawerSlice, type DrawerSlice } from './register/drawer.ts';
import { createInvoiceSlice, type InvoiceSlice } from './register/invoice.ts';

export type Cart = CallOutput<'sales.current'>;
export type Sale = NonNullable<Cart>;
export type StaffMember = CallOutput<'auth.staffForSignIn'>[number];
export type Receipt = CallOutput<'sales.complete'>;
export type StoredReceipt = CallOutput<'sales.receipts'>[number];
export type Method = CallOutput<'sales.paymentMethods'>[number];
export type Shift = NonNullable<CallOutput<'shifts.current'>>;

export type Hit = CallOutput<'sales.search'>[number];
export type DevicesView = CallOutput<'devices.status'>;
export type DevicesConfig = DevicesView['config'];
export type Weighing = CallOutput<'scale.read'>;
export type Parked = CallOutput<'sales.parked'>[number];
export type Returnable = CallOutput<'returns.lookup'>;
export type ReturnDone = CallOutput<'returns.create'>;
export type ShiftClosed = CallOutput<'shifts.close'>;
export type Category = CallOutput<'sales.categories'>[number];
export type BrowsePage = CallOutput<'sales.browse'>;
export type BrowseTile = BrowsePage['items'][number];
export type Discovered = CallOutput<'devices.discover'>;
/** What the register needs of the terminal's own settings, read once when the screens start (main.tsx). */
export type TerminalSettings = Pick<CallOutput<'terminal.info'>, 'cashConfirmMultiple'>;
/** The side task on top of selling ('browse': the category grid beside the totals). */
export type Panel = 'sell' | 'returns' | 'cash' | 'close' | 'search' | 'parked' | 'devices' | 'browse' | 'backOffice' | 'history';
/** A dialog on a line: its quantity or weight, or its price; or the weight of a weighed item being added. */
export type LineEdit = { kind: 'quantity'; lineId: string } | { kind: 'price'; lineId: string } | { kind: 'weigh'; item: BrowseTile };

export type Discount = { kind: 'rate' | 'amount'; value: string };
export type DiscountTarget = { kind: 'line'; lineId: string; name: string } | { kind: 'sale' };

export type XReport = CallOutput<'shifts.printXReport'>;
export type Printer = PrinterState;

export type Register = CallsSlice &
  SessionSlice &
  PanelSlice &
  CartSlice &
  CatalogSlice &
  ParkedSlice &
  PaymentSlice &
  ReturnsSlice &
  ShiftSlice &
  DevicesSlice &
  DrawerSlice &
  InvoiceSlice;

/** Any call, through the register's error and approval handling. */
export type Send = <K extends CallName>(call: K, input: CallArgs<K>) => Promise<CallOutput<K> | null>;
/** Runs a call; an error becomes the message on screen and the answer is null (register/calls.ts). */
export type Run = <T>(send: (override?: Override) => Promise<Result<T>>) => Promise<T | null>;
/** Runs a call through the approval and session handling, answering the refusal for the caller to show (register/calls.ts). */
export type Attempt = <T>(send: (override?: Override) => Promise<Result<T>>) => Promise<Result<T>>;
/** What every part of the register is made with. */
export type RegisterKit = { client: ContractClient; i18n: I18n; run: Run; attempt: Attempt };
/** One part of the register: its own state and actions, made seeing (and setting) the whole. */
export type RegisterSlice<T> = StateCreator<Register, [], [], T>;
export type SetRegister = StoreApi<Register>['setState'];
export type GetRegister = StoreApi<Register>['getState'];

export function createRegister(client: ContractClient, i18n: I18n, terminal: TerminalSettings | null) {
  return create<Register>()((...store) => {
    const kit = registerKit(client, i18n, store[0]);
    return {
      ...createCallsSlice(kit)(...store),
      ...createSessionSlice(kit)(...store),
      ...createPanelSlice(kit)(...store),
      ...createCartSlice(kit)(...store),
      ...createCatalogSlice(kit)(...store),
      ...createParkedSlice(kit)(...store),
      ...createPaymentSlice(kit, terminal)(...store),
      ...createReturnsSlice(kit)(...store),
      ...createShiftSlice(kit)(...store),
      ...createDevicesSlice(kit)(...store),
      ...createDrawerSlice(kit)(...store),
      ...createInvoiceSlice(kit)(...store),
    };
  });
}

export type RegisterStore = ReturnType<typeof createRegister>;

// What a call that needs someone else's permission is about, read before the call runs so the
// approval dialog can say it: the product and both prices of a price override, the total of the
// sale being cancelled, the receipt and the refund of a return, the employee being unlocked.
// Reads only. A call whose subject cannot be read (a line that is gone, a bad return line) is
// asked for without it; the call itself then says what is wrong once it runs.
import { and, eq } from 'drizzle-orm';
import { cashRegisters, sales } from '#db/schema/sales.ts';
import type { CallContext, OverrideDetails } from './call-context.ts';
import type { CallInput, CallName } from '#contract/calls.ts';
import { EngineError } from './errors.ts';
import { receiptCode } from './services/sales/checkout.ts';
import { loadCart, reprice } from './services/sales/cart.ts';
import { returnLines } from './services/sales/returns.ts';
import { saleContext } from './services/sales/sale-context.ts';

type Describe<K extends CallName> = (ctx: CallContext, input: CallInput<K>) => Promise<OverrideDetails>;

const describers: { [K in CallName]?: Describe<K> } = {
  async 'sales.overridePrice'(ctx, input) {
    const sc = await saleContext(ctx);
    const line = (await loadCart(ctx.services, sc.terminal.businessId, input.saleId)).items.find((i) => i.id === input.lineId);
    return line ? { subject: line.name, from: line.unitPrice, to: input.unitPrice } : { to: input.unitPrice };
  },
  'sales.setLineDiscount': async (ctx, input) => {
    const sc = await saleContext(ctx);
    const line = (await loadCart(ctx.services, sc.terminal.businessId, input.saleId)).items.find((i) => i.id === input.lineId);
    return { ...(line ? { subject: line.name } : {}), ...givenDiscount(input.discount) };
  },
  'sales.setSaleDiscount': async (_ctx, input) => givenDiscount(input.discount),
  async 'sales.void'(ctx, input) {
    const sc = await saleContext(ctx);
    const cart = reprice(await loadCart(ctx.services, sc.terminal.businessId, input.saleId), sc.settings);
    return { amount: cart.sale.total };
  },
  async 'returns.create'(ctx, input) {
    const sc = await saleContext(ctx);
    const [sale] = await ctx.services.db
      .select({ number: sales.receiptNumber, register: cashRegisters.code })
      .from(sales)
      .innerJoin(cashRegisters, eq(cashRegisters.id, sales.registerId))
      .where(and(eq(sales.id, input.saleId), eq(sales.businessId, sc.terminal.businessId), eq(sales.status, 'COMPLETED')));
    if (!sale || sale.number === null) return {};
    const { total } = await returnLines(ctx, input.saleId, input.lines, sc.settings.rules.minorUnits);
    return { subject: receiptCode(sale.register, sale.number), amount: total.toFixed(4) };
  },
  async 'staff.unlock'(ctx, input) {
    const [who] = await ctx.services.sql.query<{ name: string }>(
      'SELECT display_name AS name FROM business.employees WHERE id = $1 AND business_id = $2',
      [input.employeeId, ctx.session!.businessId],
    );
    return who ? { subject: who.name } : {};
  },
};

function givenDiscount(discount: CallInput<'sales.setSaleDiscount'>['discount']): OverrideDetails {
  if (!discount) return {};
  return discount.kind === 'rate' ? { rate: discount.value } : { amount: discount.value };
}

export async function overrideSubject<K extends CallName>(ctx: CallContext, call: K, input: CallInput<K>): Promise<OverrideDetails> {
  const describe = describers[call] as Describe<K> | undefined;
  if (!describe) return {};
  try {
    return await describe(ctx, input);
  } catch (err) {
    if (err instanceof EngineError) return {};
    throw err;
  }
}

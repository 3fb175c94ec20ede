// Payments: charges on the register's integrated card terminal, and pairing it with the provider's account.
import { defineHandlers } from '#engine/call-context.ts';
import { saleContext } from '../sales/sale-context.ts';
import { cancelCharge, chargesOfSale, readCharge, startCharge } from './card-charges.ts';
import { providerStatus, providerTerminals, setProviderToken } from './provider-pairing.ts';

export const paymentsHandlers = defineHandlers({
  'payments.startCharge': (input, ctx) => startCharge(ctx, input),
  'payments.charge': (input, ctx) => readCharge(ctx, input),
  'payments.cancelCharge': (input, ctx) => cancelCharge(ctx, input),
  async 'payments.chargesOfSale'(input, ctx) {
    const { terminal } = await saleContext(ctx);
    return chargesOfSale(ctx.services, terminal.businessId, input.saleId);
  },
  'payments.setProviderToken': (input, ctx) => setProviderToken(ctx, input),
  'payments.providerTerminals': (input, ctx) => providerTerminals(ctx, input),
  'payments.providerStatus': (_input, ctx) => providerStatus(ctx),
});

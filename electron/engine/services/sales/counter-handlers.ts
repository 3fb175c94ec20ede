// The counter's calls: an open-price line, a gift card sold, and what a credit slip or gift card holds.
import { Decimal } from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { balances } from '#db/schema/payments.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal } from '#engine/container.ts';
import { openPriceItem, openPriceRates } from '../catalog/open-price.ts';
import { appendLine, changeCart, checkQuantity } from './cart-handlers.ts';
import { itemBySku } from '../catalog/lookup.ts';
import { GIFT_CARD_SKU, maskedCode } from '../payments/gift-cards.ts';
import { giftCardBalance } from '../payments/gift-card-balance.ts';
import { requireGiftCardCode } from '../payments/gift-card-tenders.ts';

export const counterHandlers = defineHandlers({
  async 'sales.openPriceRates'(_input, ctx) {
    return openPriceRates(ctx.services.sql, requireTerminal(ctx.services).businessId);
  },

  async 'sales.addOpenItem'(input, ctx) {
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const item = await openPriceItem(ctx.services.sql, sc.terminal.businessId, input.taxCode);
      if (!item) {
        throw new EngineError('NOT_FOUND', 'this store sells no open-price item at that tax rate', {
          what: 'openPrice',
          taxCode: input.taxCode,
        });
      }
      if (new Decimal(input.unitPrice).lessThanOrEqualTo(0)) {
        throw new EngineError('INVALID_INPUT', 'the price must be more than zero', { field: 'unitPrice', reason: 'NOT_POSITIVE' });
      }
      const quantity = checkQuantity({ soldBy: 'UNIT' }, input.quantity ?? '1');
      // The cashier's description is the line's name (the receipt prints it); the SKU says it was open-priced.
      return appendLine(cart, ctx.services.now(), {
        variantId: item.variantId,
        productId: item.productId,
        name: input.description,
        sku: item.sku,
        barcode: null,
        unit: item.unit,
        unitPrice: new Decimal(input.unitPrice).toFixed(4),
        taxCode: item.taxCode,
        taxRate: item.taxRate,
        quantity,
        isWeighed: false,
      });
    });
  },

  async 'sales.addGiftCard'(input, ctx) {
    const code = requireGiftCardCode(input.code, 'code');
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const item = await itemBySku(ctx.services.sql, sc.terminal.businessId, GIFT_CARD_SKU);
      if (!item) throw new EngineError('NOT_FOUND', 'this store sells no gift cards', { what: 'giftCardItem', sku: GIFT_CARD_SKU });
      if (new Decimal(input.amount).lessThanOrEqualTo(0))
        throw new EngineError('INVALID_INPUT', 'the amount must be more than zero', { field: 'amount', reason: 'NOT_POSITIVE' });
      if (cart.items.some((i) => i.giftCardCode === code))
        throw new EngineError('CONFLICT', `the gift card ${maskedCode(code)} is already on this sale`, { reason: 'GIFT_CARD_TWICE' });
      return appendLine(cart, ctx.services.now(), {
        variantId: item.variantId,
        productId: item.productId,
        name: `${item.name} ${maskedCode(code)}`,
        sku: item.sku,
        barcode: null,
        unit: item.unit,
        unitPrice: new Decimal(input.amount).toFixed(4),
        taxCode: item.taxCode,
        taxRate: item.taxRate,
        quantity: '1',
        isWeighed: false,
        giftCardCode: code,
      });
    });
  },

  async 'sales.giftCard'(input, ctx) {
    return giftCardBalance(ctx.services, requireTerminal(ctx.services).businessId, requireGiftCardCode(input.code, 'code'));
  },

  async 'sales.storeCredit'(input, ctx) {
    const terminal = requireTerminal(ctx.services);
    const code = input.code.trim();
    const [slip] = await ctx.services.db
      .select()
      .from(balances)
      .where(and(eq(balances.businessId, terminal.businessId), eq(balances.code, code), eq(balances.kind, 'STORE_CREDIT')));
    if (!slip || slip.deletedAt) throw new EngineError('NOT_FOUND', `no store credit with the code ${code}`, { what: 'balance', code });
    return {
      code: slip.code,
      amount: slip.amount,
      currency: slip.currency,
      status: slip.status,
      expiresAt: slip.expiresAt?.toISOString() ?? null,
    };
  },
});

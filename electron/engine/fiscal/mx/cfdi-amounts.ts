// The money of a CFDI 4.0, by Anexo 20's rules: each concepto's Importe, Descuento, and the Base
// and Importe of each of its traslados rounded to the currency's decimals; the Comprobante's
// SubTotal, Descuento and Impuestos the sums of those concept amounts, grouped by Impuesto,
// TipoFactor and TasaOCuota; Total = SubTotal − Descuento + traslados − retenciones.
//
// The amounts start from what the sale charged. A line is priced again with the sale's own
// pricing (services/sales/pricing.ts) so that the CFDI shows, to the centavo, what the receipt
// showed: for prices that include tax the concepto's Base and IVA are the line's subtotal and tax,
// and its Importe is the net price before the discount. Where a recorded amount would fall outside
// the limits the SAT's validation allows (a traslado's Importe must be Base × TasaOCuota within
// half a unit of the Base's last decimal), the SAT's rounding wins and the difference is reported,
// never hidden. Money is decimal.js throughout, never a JavaScript number.
import { Decimal } from 'decimal.js';
import { type CurrencyRules, priceLine } from '../../services/sales/pricing.ts';
import type { Concepto, Impuesto, TipoFactor, Traslado } from './cfdi-model.ts';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

/** The tax of a sold line, as the sale recorded it; NONE: not subject to tax (ObjetoImp 01). */
export type CfdiTaxCode = 'IVA16' | 'IVA8' | 'IVA0' | 'EXENTO' | 'NONE';

const IVA_RATES: Record<Exclude<CfdiTaxCode, 'NONE'>, string> = { IVA16: '0.16', IVA8: '0.08', IVA0: '0', EXENTO: '0' };

/** One traslado of a concepto before formatting: Exento has no rate and no importe. */
export type TaxShare = { impuesto: Impuesto; factor: TipoFactor; rate: Dec | null; base: Dec; importe: Dec | null };

/** A concepto's amounts before they are written as attribute values. */
export type PricedConcept = {
  importe: Dec;
  descuento: Dec;
  traslados: TaxShare[];
  /** What the sale charged for this concepto, and what the CFDI says it costs; equal but for reported roundings. */
  charged: Dec;
  /** The shelf price net of tax, when there is one: the ValorUnitario a customer recognises. */
  netUnitPrice?: Dec;
};

export type SaleLineAmountsInput = {
  quantity: string;
  unitPrice: string;
  /** The line's whole discount as recorded (its own plus its share of a sale discount). */
  discountAmount: string;
  taxCode: CfdiTaxCode;
  /** IEPS as a Tasa (e.g. '0.08'); the IVA base then includes the IEPS. */
  iepsRate?: string;
};

export type ReturnLineAmountsInput = {
  quantity: string;
  /** What the return gave back before tax, and the IVA it gave back (as returns record them). */
  subtotal: string;
  taxAmount: string;
  taxCode: CfdiTaxCode;
  ieps?: { rate: string; amount: string };
};

const round = (d: Dec, places: number) => d.toDecimalPlaces(places, D.ROUND_HALF_UP);
const sum = (values: readonly Dec[]) => values.reduce<Dec>((acc, v) => acc.plus(v), new D(0));

/**
 * The SAT's limits for an amount computed as base × rate, each side given to `baseDecimals`:
 * [(base − ½·10^-baseDecimals) × rate truncated, (base + ½·10^-baseDecimals) × rate rounded up],
 * to `places` decimals. A traslado's Importe and a concepto's Importe (Cantidad × ValorUnitario,
 * where both factors carry the tolerance) must fall inside.
 */
export function satLimits(base: Dec, baseDecimals: number, factor: Dec, factorDecimals: number | null, places: number): [Dec, Dec] {
  const halfBase = new D(10).pow(-baseDecimals).dividedBy(2);
  const halfFactor = factorDecimals === null ? new D(0) : new D(10).pow(-factorDecimals).dividedBy(2);
  const low = base.minus(halfBase).times(factor.minus(halfFactor)).toDecimalPlaces(places, D.ROUND_DOWN);
  const high = base.plus(halfBase).times(factor.plus(halfFactor)).toDecimalPlaces(places, D.ROUND_UP);
  return [low, high];
}

export const decimalsOf = (value: string): number => (value.includes('.') ? value.length - value.indexOf('.') - 1 : 0);

/** Whether a traslado's importe is one the SAT accepts for its base and rate (base with `places` decimals). */
export function trasladoWithinLimits(base: Dec, rate: Dec, importe: Dec, places: number): boolean {
  const [low, high] = satLimits(base, places, rate, null, places);
  return importe.greaterThanOrEqualTo(low) && importe.lessThanOrEqualTo(high);
}

function ivaShare(code: Exclude<CfdiTaxCode, 'NONE'>, base: Dec, importe: Dec | null): TaxShare {
  if (code === 'EXENTO') return { impuesto: '002', factor: 'Exento', rate: null, base, importe: null };
  return { impuesto: '002', factor: 'Tasa', rate: new D(IVA_RATES[code]), base, importe };
}

/** Keeps a recorded tax when the SAT accepts it for its base, else the SAT's own rounding. */
function accepted(base: Dec, rate: Dec, recorded: Dec, places: number): Dec {
  return trasladoWithinLimits(base, rate, recorded, places) ? recorded : round(base.times(rate), places);
}

const conceptTotal = (importe: Dec, descuento: Dec, traslados: readonly TaxShare[]) =>
  importe.minus(descuento).plus(sum(traslados.map((t) => t.importe ?? new D(0))));

/** A sold line's concepto amounts, reproducing the receipt's line (pricing.ts) whenever the line has no IEPS. */
export function pricedSaleLine(line: SaleLineAmountsInput, pricesIncludeTax: boolean, rules: CurrencyRules): PricedConcept {
  const places = rules.minorUnits;
  if (line.iepsRate === undefined || line.taxCode === 'NONE') {
    const rate = line.taxCode === 'NONE' ? '0' : IVA_RATES[line.taxCode];
    const p = priceLine(
      {
        unitPrice: line.unitPrice,
        quantity: line.quantity,
        taxRate: rate,
        pricesIncludeTax,
        discount: { kind: 'amount', value: line.discountAmount },
      },
      rules,
    );
    const gross = new D(p.gross);
    const base = new D(p.subtotal);
    const discount = new D(p.discountAmount);
    // Prices with tax in them: the concepto's Importe is the net price before the discount, and
    // its Descuento what makes Importe − Descuento the line's own net subtotal.
    const importe = !pricesIncludeTax ? gross : discount.isZero() ? base : D.max(base, round(gross.dividedBy(new D(rate).plus(1)), places));
    const descuento = importe.minus(base);
    const traslados = line.taxCode === 'NONE' ? [] : [ivaShare(line.taxCode, base, line.taxCode === 'EXENTO' ? null : new D(p.taxAmount))];
    const netUnitPrice = pricesIncludeTax ? new D(line.unitPrice).dividedBy(new D(rate).plus(1)) : new D(line.unitPrice);
    return { importe: new D(importe), descuento: new D(descuento), traslados, charged: new D(p.total), netUnitPrice };
  }

  // IEPS (a Tasa) and IVA on top of it: LIVA art. 12 puts the IEPS in the IVA base.
  const ieps = new D(line.iepsRate);
  const ivaCode = line.taxCode;
  const iva = new D(IVA_RATES[ivaCode]);
  const gross = round(new D(line.unitPrice).times(line.quantity), places);
  const discount = round(new D(line.discountAmount), places);
  const after = gross.minus(discount);
  const taxesOn = (base: Dec) => {
    const iepsAmount = round(base.times(ieps), places);
    const ivaBase = base.plus(iepsAmount);
    const ivaAmount = ivaCode === 'EXENTO' ? null : round(ivaBase.times(iva), places);
    return { iepsAmount, ivaBase, ivaAmount, total: ivaBase.plus(ivaAmount ?? 0) };
  };
  let base = after;
  if (pricesIncludeTax) {
    // The net base whose taxes add up to what was charged; some totals no base reaches (each
    // centavo of base moves the total by more than a centavo), and then the nearest one is used.
    const k = ieps.plus(1).times(iva.plus(1));
    const first = round(after.dividedBy(k), places);
    const unit = new D(10).pow(-places);
    base = first;
    for (const step of [0, -1, 1, -2, 2, -3, 3]) {
      const candidate = first.plus(unit.times(step));
      if (candidate.greaterThanOrEqualTo(0) && taxesOn(candidate).total.equals(after)) {
        base = candidate;
        break;
      }
    }
  }
  const t = taxesOn(base);
  const importe = !pricesIncludeTax
    ? gross
    : discount.isZero()
      ? base
      : D.max(base, round(gross.dividedBy(ieps.plus(1).times(iva.plus(1))), places));
  const traslados: TaxShare[] = [
    { impuesto: '003', factor: 'Tasa', rate: ieps, base, importe: t.iepsAmount },
    ivaShare(ivaCode, t.ivaBase, t.ivaAmount),
  ];
  const netUnitPrice = pricesIncludeTax ? new D(line.unitPrice).dividedBy(ieps.plus(1).times(iva.plus(1))) : new D(line.unitPrice);
  return {
    importe: new D(importe),
    descuento: new D(importe).minus(base),
    traslados,
    charged: pricesIncludeTax ? after : t.total,
    netUnitPrice,
  };
}

/** A returned line's concepto amounts (for an egreso): the return's own subtotal and tax. */
export function pricedReturnLine(line: ReturnLineAmountsInput, rules: CurrencyRules): PricedConcept {
  const places = rules.minorUnits;
  const base = round(new D(line.subtotal), places);
  const tax = round(new D(line.taxAmount), places);
  const traslados: TaxShare[] = [];
  let ivaBase = base;
  let charged = base.plus(tax);
  if (line.ieps) {
    const rate = new D(line.ieps.rate);
    const amount = accepted(base, rate, round(new D(line.ieps.amount), places), places);
    traslados.push({ impuesto: '003', factor: 'Tasa', rate, base, importe: amount });
    ivaBase = base.plus(amount);
    charged = charged.plus(line.ieps.amount);
  }
  if (line.taxCode !== 'NONE') {
    const rate = new D(IVA_RATES[line.taxCode]);
    traslados.push(ivaShare(line.taxCode, ivaBase, line.taxCode === 'EXENTO' ? null : accepted(ivaBase, rate, tax, places)));
  }
  return { importe: base, descuento: new D(0), traslados, charged };
}

const shareKey = (t: TaxShare) => `${t.impuesto}|${t.factor}|${t.rate?.toFixed(6) ?? ''}`;

/** Traslados with the same Impuesto, TipoFactor and TasaOCuota added together, sorted by that key. */
export function groupTraslados(shares: readonly TaxShare[]): TaxShare[] {
  const groups = new Map<string, TaxShare>();
  for (const s of shares) {
    const key = shareKey(s);
    const g = groups.get(key);
    if (g) {
      g.base = g.base.plus(s.base);
      g.importe = g.importe === null || s.importe === null ? null : g.importe.plus(s.importe);
    } else {
      groups.set(key, { ...s });
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/**
 * Several priced lines as one concepto (the factura global's one concepto per sale), less what was
 * returned. Each traslado keeps the sum of its lines' amounts while the SAT accepts that sum for
 * the summed base, and takes the SAT's rounding where it does not.
 */
export function mergeConcepts(lines: readonly PricedConcept[], returned: readonly PricedConcept[], places: number): PricedConcept {
  const importe = sum(lines.map((l) => l.importe)).minus(sum(returned.map((r) => r.importe.minus(r.descuento))));
  const descuento = sum(lines.map((l) => l.descuento));
  const negated = returned.flatMap((r) =>
    r.traslados.map((t) => ({ ...t, base: t.base.negated(), importe: t.importe === null ? null : t.importe.negated() })),
  );
  const traslados = groupTraslados([...lines.flatMap((l) => l.traslados), ...negated])
    .filter((t) => t.base.greaterThan(0))
    .map((t) => (t.rate === null || t.importe === null ? t : { ...t, importe: accepted(t.base, t.rate, t.importe, places) }));
  const charged = sum(lines.map((l) => l.charged)).minus(sum(returned.map((r) => r.charged)));
  return { importe, descuento, traslados, charged };
}

/** A concepto's amounts as the CFDI writes them: MXN to 2 decimals, TasaOCuota to 6. */
export function conceptAmounts(p: PricedConcept, places: number): Pick<Concepto, 'Importe' | 'Descuento' | 'ObjetoImp' | 'Impuestos'> {
  const traslados: Traslado[] = p.traslados.map((t) => ({
    Base: t.base.toFixed(places),
    Impuesto: t.impuesto,
    TipoFactor: t.factor,
    ...(t.rate === null ? {} : { TasaOCuota: t.rate.toFixed(6) }),
    ...(t.importe === null ? {} : { Importe: t.importe.toFixed(places) }),
  }));
  return {
    Importe: p.importe.toFixed(places),
    ...(p.descuento.greaterThan(0) ? { Descuento: p.descuento.toFixed(places) } : {}),
    ObjetoImp: traslados.length > 0 ? '02' : '01',
    ...(traslados.length > 0 ? { Impuestos: { Traslados: traslados, Retenciones: [] } } : {}),
  };
}

/** A unit value as written: at most 6 decimals (cfdv40.xsd), at least the currency's. */
const unitValue = (value: Dec, places: number): string => {
  const six = value.toDecimalPlaces(6, D.ROUND_HALF_UP);
  return six.toFixed(Math.max(places, Math.min(6, six.decimalPlaces())));
};

/**
 * ValorUnitario for a concepto of `quantity` (as written in Cantidad): the net shelf price when the
 * SAT's limits for Cantidad × ValorUnitario admit the concepto's Importe with it, otherwise
 * Importe ÷ Cantidad, which they always admit.
 */
export function valorUnitario(p: PricedConcept, quantity: string, places: number): string {
  if (p.netUnitPrice !== undefined) {
    const shelf = unitValue(p.netUnitPrice, places);
    const [low, high] = satLimits(new D(quantity), decimalsOf(quantity), new D(shelf), decimalsOf(shelf), places);
    if (p.importe.greaterThanOrEqualTo(low) && p.importe.lessThanOrEqualTo(high)) return shelf;
  }
  return unitValue(p.importe.dividedBy(quantity), places);
}

/** A quantity as Cantidad: up to 6 decimals, trailing zeros dropped ('2.0000' → '2', '0.750' → '0.75'). */
export const cantidad = (quantity: string): string => new D(quantity).toDecimalPlaces(6, D.ROUND_HALF_UP).toString();

export type ComprobanteTotals = {
  SubTotal: string;
  Descuento?: string;
  Total: string;
  Impuestos?: { TotalImpuestosTrasladados?: string; Retenciones: []; Traslados: Traslado[] };
};

/** The Comprobante's totals from its conceptos: sums of the concept amounts, never recomputed taxes. */
export function comprobanteTotals(conceptos: readonly Concepto[], places: number): ComprobanteTotals {
  const subTotal = sum(conceptos.map((c) => new D(c.Importe)));
  const hasDiscount = conceptos.some((c) => c.Descuento !== undefined);
  const descuento = sum(conceptos.map((c) => new D(c.Descuento ?? 0)));
  const shares: TaxShare[] = conceptos.flatMap((c) =>
    (c.Impuestos?.Traslados ?? []).map((t) => ({
      impuesto: t.Impuesto,
      factor: t.TipoFactor,
      rate: t.TasaOCuota === undefined ? null : new D(t.TasaOCuota),
      base: new D(t.Base),
      importe: t.Importe === undefined ? null : new D(t.Importe),
    })),
  );
  const groups = groupTraslados(shares);
  const taxed = groups.filter((g) => g.importe !== null);
  const trasladados = sum(taxed.map((g) => g.importe!));
  const total = subTotal.minus(descuento).plus(trasladados);
  return {
    SubTotal: subTotal.toFixed(places),
    ...(hasDiscount ? { Descuento: descuento.toFixed(places) } : {}),
    Total: total.toFixed(places),
    ...(groups.length > 0
      ? {
          Impuestos: {
            // Only exento traslados: the SAT wants no TotalImpuestosTrasladados.
            ...(taxed.length > 0 ? { TotalImpuestosTrasladados: trasladados.toFixed(places) } : {}),
            Retenciones: [],
            Traslados: groups.map((g) => ({
              Base: g.base.toFixed(places),
              Impuesto: g.impuesto,
              TipoFactor: g.factor,
              ...(g.rate === null ? {} : { TasaOCuota: g.rate.toFixed(6) }),
              ...(g.importe === null ? {} : { Importe: g.importe.toFixed(places) }),
            })),
          },
        }
      : {}),
  };
}

/** What the CFDI says the conceptos cost, against what the sale charged (positive: the CFDI says more). */
export const differenceFromSale = (concepts: readonly PricedConcept[]): Dec =>
  sum(concepts.map((c) => conceptTotal(c.importe, c.descuento, c.traslados).minus(c.charged)));

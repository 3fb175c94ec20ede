// The SAT's arithmetic validations of a CFDI 4.0 (the ones a PAC applies before it stamps, from
// Anexo 20's Guía de llenado and its matrix of errors), so that a document is known to pass them
// before it leaves the register: each concepto's Importe against Cantidad × ValorUnitario, each
// traslado's Importe against Base × TasaOCuota, the Impuestos node as the sums of the conceptos'
// traslados, and SubTotal, Descuento and Total. Returns every broken rule as a Spanish sentence.
import type { Comprobante } from './cfdi-model.ts';
import { D, type Dec, decimalsOf, groupTraslados, satLimits, type TaxShare } from './cfdi-amounts.ts';

const sum = (values: readonly Dec[]) => values.reduce<Dec>((acc, v) => acc.plus(v), new D(0));

export function amountProblems(c: Comprobante, currencyDecimals = 2): string[] {
  const problems: string[] = [];
  const money = (value: string | undefined, what: string) => {
    if (value !== undefined && decimalsOf(value) > currencyDecimals)
      problems.push(`${what} (${value}) lleva más de ${currencyDecimals} decimales.`);
  };
  money(c.SubTotal, 'SubTotal');
  money(c.Descuento, 'Descuento');
  money(c.Total, 'Total');

  const shares: TaxShare[] = [];
  c.Conceptos.forEach((concepto, i) => {
    const n = `Concepto ${i + 1}`;
    const importe = new D(concepto.Importe);
    const [low, high] = satLimits(
      new D(concepto.Cantidad),
      decimalsOf(concepto.Cantidad),
      new D(concepto.ValorUnitario),
      decimalsOf(concepto.ValorUnitario),
      decimalsOf(concepto.Importe),
    );
    if (importe.lessThan(low) || importe.greaterThan(high)) {
      problems.push(
        `${n}: Importe ${concepto.Importe} fuera de los límites de Cantidad × ValorUnitario (${low.toString()} a ${high.toString()}).`,
      );
    }
    if (concepto.Descuento !== undefined && new D(concepto.Descuento).greaterThan(importe)) {
      problems.push(`${n}: Descuento ${concepto.Descuento} mayor que su Importe ${concepto.Importe}.`);
    }
    const taxes = concepto.Impuestos?.Traslados ?? [];
    if (concepto.ObjetoImp === '02' && taxes.length === 0) problems.push(`${n}: ObjetoImp 02 sin impuestos.`);
    if (concepto.ObjetoImp === '01' && concepto.Impuestos) problems.push(`${n}: ObjetoImp 01 con impuestos.`);
    for (const t of taxes) {
      money(t.Base, `${n}: Base`);
      money(t.Importe, `${n}: Importe del traslado`);
      if (t.TipoFactor === 'Exento' && (t.TasaOCuota !== undefined || t.Importe !== undefined)) {
        problems.push(`${n}: un traslado Exento no lleva TasaOCuota ni Importe.`);
      }
      if (t.TipoFactor !== 'Exento' && (t.TasaOCuota === undefined || t.Importe === undefined)) {
        problems.push(`${n}: un traslado ${t.TipoFactor} lleva TasaOCuota e Importe.`);
      }
      if (t.TasaOCuota !== undefined && t.Importe !== undefined) {
        const [tLow, tHigh] = satLimits(new D(t.Base), decimalsOf(t.Base), new D(t.TasaOCuota), null, decimalsOf(t.Importe));
        const value = new D(t.Importe);
        if (value.lessThan(tLow) || value.greaterThan(tHigh)) {
          problems.push(
            `${n}: Importe del traslado ${t.Importe} fuera de los límites de Base × TasaOCuota (${tLow.toString()} a ${tHigh.toString()}).`,
          );
        }
      }
      shares.push({
        impuesto: t.Impuesto,
        factor: t.TipoFactor,
        rate: t.TasaOCuota === undefined ? null : new D(t.TasaOCuota),
        base: new D(t.Base),
        importe: t.Importe === undefined ? null : new D(t.Importe),
      });
    }
  });

  const subTotal = sum(c.Conceptos.map((k) => new D(k.Importe)));
  if (!subTotal.equals(c.SubTotal))
    problems.push(`SubTotal ${c.SubTotal} no es la suma de los importes de los conceptos (${subTotal.toFixed(currencyDecimals)}).`);
  const discounted = c.Conceptos.filter((k) => k.Descuento !== undefined);
  const descuento = sum(discounted.map((k) => new D(k.Descuento!)));
  if (discounted.length > 0 && (c.Descuento === undefined || !descuento.equals(c.Descuento))) {
    problems.push(
      `Descuento ${c.Descuento ?? '(ausente)'} no es la suma de los descuentos de los conceptos (${descuento.toFixed(currencyDecimals)}).`,
    );
  }
  if (discounted.length === 0 && c.Descuento !== undefined && !new D(c.Descuento).isZero()) {
    problems.push(`Descuento ${c.Descuento} sin conceptos con descuento.`);
  }

  const groups = groupTraslados(shares);
  const written = c.Impuestos?.Traslados ?? [];
  if (written.length !== groups.length)
    problems.push(`Impuestos lleva ${written.length} traslados; los conceptos agrupados dan ${groups.length}.`);
  for (const g of groups) {
    const match = written.find(
      (t) =>
        t.Impuesto === g.impuesto &&
        t.TipoFactor === g.factor &&
        (t.TasaOCuota === undefined ? g.rate === null : g.rate?.equals(t.TasaOCuota)),
    );
    const name = `Traslado ${g.impuesto} ${g.factor} ${g.rate?.toFixed(6) ?? ''}`.trim();
    if (!match) {
      problems.push(`${name}: falta en Impuestos.`);
      continue;
    }
    if (!g.base.equals(match.Base))
      problems.push(`${name}: Base ${match.Base} no es la suma de las bases de los conceptos (${g.base.toFixed(currencyDecimals)}).`);
    if (g.importe !== null && (match.Importe === undefined || !g.importe.equals(match.Importe))) {
      problems.push(
        `${name}: Importe ${match.Importe ?? '(ausente)'} no es la suma de los conceptos (${g.importe.toFixed(currencyDecimals)}).`,
      );
    }
  }
  const trasladados = sum(groups.filter((g) => g.importe !== null).map((g) => g.importe!));
  const anyTaxed = groups.some((g) => g.importe !== null);
  const declared = c.Impuestos?.TotalImpuestosTrasladados;
  if (anyTaxed ? declared === undefined || !trasladados.equals(declared) : declared !== undefined) {
    problems.push(
      `TotalImpuestosTrasladados ${declared ?? '(ausente)'} no corresponde a los traslados (${anyTaxed ? trasladados.toFixed(currencyDecimals) : 'ninguno gravado'}).`,
    );
  }
  const retenidos = new D(c.Impuestos?.TotalImpuestosRetenidos ?? 0);
  const total = new D(c.SubTotal)
    .minus(c.Descuento ?? 0)
    .plus(declared ?? 0)
    .minus(retenidos);
  if (!total.equals(c.Total))
    problems.push(`Total ${c.Total} no es SubTotal − Descuento + traslados − retenciones (${total.toFixed(currencyDecimals)}).`);
  if (c.MetodoPago === 'PUE' && c.FormaPago === '99') problems.push('Con MetodoPago PUE la FormaPago no puede ser 99 (Por definir).');
  return problems;
}

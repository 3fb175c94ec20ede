// The printed representation of a stamped CFDI 4.0 on the receipt printer's paper: what
// cfdi-representation.ts says it must carry, in the paper's columns. Seals and the cadena are cut
// into lines of exactly the paper's columns so the printer never drops a character at a break,
// and the printed lines joined give the XML's text back.
import { type Block, paperColumns, type ReceiptDocument } from '#contract/receipt-document.ts';
import type { Comprobante } from './cfdi-model.ts';
import {
  type AmountRow,
  cutToColumns,
  type Field,
  type LongText,
  PRINTED_REPRESENTATION_LEGEND,
  type Representation,
  representationOf,
} from './cfdi-representation.ts';

/**
 * A field on the paper. A code: one line when label and code fit, else the code on lines of its
 * own, never broken at a hyphen where the printer would. Words: the printer wraps them at spaces.
 */
function field(columns: number, f: Field, indent = ''): Block[] {
  const line = `${indent}${f.label}: ${f.value}`;
  if (f.kind === 'words' || line.length <= columns) return [{ type: 'text', text: line }];
  const own = `${indent}${f.value}`.length <= columns ? [`${indent}${f.value}`] : cutToColumns(f.value, columns);
  return [{ type: 'text', text: `${indent}${f.label}:` }, ...own.map((text): Block => ({ type: 'text', text }))];
}

const fields = (columns: number, list: readonly Field[]): Block[] => list.flatMap((f) => field(columns, f));

/** A seal or a cadena: its title, then the text in full lines of the paper's width. */
const longText = (columns: number, t: LongText): Block[] => [
  { type: 'text', text: t.title, bold: true },
  ...cutToColumns(t.text, columns).map((text): Block => ({ type: 'text', text })),
];

const heading = (text: string): Block[] => [{ type: 'rule' }, { type: 'text', text, bold: true }];

const amounts = (rows: readonly AmountRow[], indent = ''): Block[] =>
  rows.map((r): Block => ({ type: 'row', left: `${indent}${r.label}`, right: r.amount, ...(r.bold ? { bold: true } : {}) }));

function header(columns: number, r: Representation): Block[] {
  const blocks: Block[] = [
    { type: 'logo' },
    { type: 'text', text: r.issuer.nombre, align: 'center', bold: true },
    { type: 'text', text: `RFC ${r.issuer.rfc}`, align: 'center' },
    { type: 'text', text: `Régimen fiscal: ${r.issuer.regimen}` },
    { type: 'rule' },
    { type: 'text', text: r.title, align: 'center', bold: true },
    { type: 'text', text: PRINTED_REPRESENTATION_LEGEND, align: 'center' },
    { type: 'rule' },
    ...fields(columns, [...r.identity, ...r.terms]),
  ];
  if (r.global) blocks.push(...heading('INFORMACIÓN GLOBAL'), ...fields(columns, r.global));
  for (const related of r.related) {
    blocks.push(...heading('CFDI RELACIONADOS'), { type: 'text', text: `Tipo de relación: ${related.tipoRelacion}` });
    for (const uuid of related.uuids) blocks.push(...cutToColumns(uuid, columns).map((text): Block => ({ type: 'text', text })));
  }
  blocks.push(...heading('RECEPTOR'), ...fields(columns, r.receiver));
  return blocks;
}

function conceptos(columns: number, r: Representation): Block[] {
  const blocks: Block[] = heading('CONCEPTOS');
  r.conceptos.forEach((item, i) => {
    if (i > 0) blocks.push({ type: 'feed' });
    blocks.push({ type: 'text', text: item.descripcion });
    if (item.noIdentificacion)
      blocks.push(...field(columns, { label: 'No. identificación', value: item.noIdentificacion, kind: 'code' }, '  '));
    blocks.push(...field(columns, { label: 'Clave prod./serv.', value: item.claveProdServ, kind: 'code' }, '  '));
    blocks.push({ type: 'text', text: `  Clave unidad: ${item.claveUnidad}${item.unidad ? ` ${item.unidad}` : ''}` });
    blocks.push({ type: 'row', left: `  ${item.cantidad} x ${item.valorUnitario}`, right: item.importe });
    if (item.descuento) blocks.push({ type: 'row', left: '  Descuento', right: item.descuento });
    blocks.push({ type: 'text', text: `  Objeto de impuesto: ${`${item.objetoImp.clave} ${item.objetoImp.descripcion}`.trim()}` });
    blocks.push(...amounts(item.taxes, '  '));
  });
  return blocks;
}

function stamp(columns: number, r: Representation): Block[] {
  return [
    ...heading('TIMBRE FISCAL DIGITAL'),
    ...fields(columns, r.stamp),
    ...r.seals.flatMap((seal) => [{ type: 'feed' } as Block, ...longText(columns, seal)]),
    { type: 'feed' },
    { type: 'text', text: 'Verifique este CFDI en el portal del SAT:', align: 'center' },
    { type: 'qr', data: r.verificationUrl },
    { type: 'text', text: PRINTED_REPRESENTATION_LEGEND, align: 'center' },
    { type: 'cut' },
  ];
}

/** The printed representation of a stamped CFDI on 58 or 80 mm paper. A CFDI without its stamp has none. */
export function cfdiPrintout(c: Comprobante, opts: { paperWidth: 58 | 80 }): ReceiptDocument {
  const r = representationOf(c);
  const columns = paperColumns(opts.paperWidth);
  return {
    kind: 'INVOICE',
    paperWidth: opts.paperWidth,
    blocks: [...header(columns, r), ...conceptos(columns, r), { type: 'rule' }, ...amounts(r.totals), ...stamp(columns, r)],
  };
}

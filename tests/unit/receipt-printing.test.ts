import { describe, expect, it } from 'vitest';
import { encodeDocument } from '#engine/devices/printer/escpos.ts';
import {
  dateTimeFormat,
  moneyFormat,
  returnReceiptDocument,
  saleReceiptDocument,
  type ReturnReceipt,
  type SaleReceipt,
  urlLines,
  withoutInvoiceInvitation,
} from '#contract/receipt-document.ts';
import { parseSelfInvoicingBase, SELF_INVOICING_MAX_LENGTH, selfInvoicingLink, selfInvoicingPage } from '#contract/self-invoicing.ts';
import QRCode from 'qrcode';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { PNG } from 'pngjs';
import { decodeLogo } from '#engine/devices/printer/receipt-logo.ts';

const receipt: SaleReceipt = {
  business: { name: 'Abarrotes La Esperanza', legalName: 'Abarrotes La Esperanza S.A. de C.V.', taxId: 'ALE150312QX9', country: 'MX' },
  branch: {
    name: 'Sucursal Coyoacán',
    address: ['Av. Miguel Ángel de Quevedo 845', 'Coyoacán, Ciudad de México 04310'],
    phone: '+525556581234',
  },
  registerCode: 'CAJA-1',
  cashier: 'Ángela Ibáñez',
  receiptNumber: 42,
  receiptCode: 'RCAJA-1-000042',
  completedAt: '2026-11-25T18:05:00.000Z',
  lines: [
    {
      name: 'Jalapeños en escabeche 220 g',
      quantity: '2.0000',
      unit: 'pza',
      unitPrice: '17.5000',
      total: '35.0000',
      discountAmount: '0.0000',
      isWeighed: false,
    },
    { name: 'Limón', quantity: '1.2500', unit: 'kg', unitPrice: '34.0000', total: '42.5000', discountAmount: '0.0000', isWeighed: true },
    {
      name: 'Piña en almíbar 800 g',
      quantity: '1.0000',
      unit: 'pza',
      unitPrice: '45.0000',
      total: '40.5000',
      discountAmount: '4.5000',
      isWeighed: false,
    },
  ],
  subtotal: '113.9500',
  discountTotal: '4.5000',
  taxes: [{ label: 'IVA 16%', amount: '4.0500' }],
  total: '118.0000',
  rounding: '0.0000',
  tenders: [{ method: 'Efectivo', amount: '118.0000', tendered: '200.0000', cardLast4: null }],
  change: '82.0000',
  footer: '¡Gracias por su compra! ¿Factura? Pídala hoy.',
  invoiceUrl: 'https://factura.laesperanza.example/t/RCAJA-1-000042',
};

const layout = (r: SaleReceipt, paperWidth: 58 | 80 = 80) =>
  saleReceiptDocument(r, { paperWidth, money: moneyFormat('es-MX', 'MXN'), when: dateTimeFormat('es-MX', 'America/Mexico_City') });

describe('a sale receipt as the printer gets it', () => {
  it('decodes to the right Spanish text, line by line, in the branch time', () => {
    const { lines, codePages } = decodeEscPos(encodeDocument(layout(receipt)));
    const text = lines.map((l) => l.trimEnd());
    expect(text).toContain('Abarrotes La Esperanza S.A. de C.V.'.padStart(41));
    expect(text.some((l) => l.includes('Sucursal Coyoacán'))).toBe(true);
    expect(text.some((l) => l.includes('Av. Miguel Ángel de Quevedo 845'))).toBe(true);
    expect(text).toContain('Le atendió: Ángela Ibáñez');
    const ticket = text.indexOf('Ticket CAJA-1-42');
    expect(text[ticket + 1]).toMatch(/^25\/11\/26,? 12:05 p\.\s?m\.$/);
    expect(text).toContain('Jalapeños en escabeche 220 g');
    expect(text.find((l) => l.startsWith('  2 x $17.50'))).toMatch(/\$35\.00$/);
    expect(text.find((l) => l.startsWith('  1.25 kg x $34.00'))).toMatch(/\$42\.50$/);
    expect(text.find((l) => l.startsWith('  Descuento'))).toMatch(/-\$4\.50$/);
    expect(text.find((l) => l.startsWith('TOTAL'))).toMatch(/\$118\.00$/);
    expect(text.find((l) => l.startsWith('Efectivo'))).toMatch(/\$200\.00$/);
    expect(text.find((l) => l.startsWith('Cambio'))).toMatch(/\$82\.00$/);
    expect(text.some((l) => l.includes('¡Gracias por su compra! ¿Factura? Pídala hoy.'))).toBe(true);
    expect(lines.every((l) => l.length <= 48)).toBe(true);
    expect(codePages.length).toBeGreaterThan(0);
  });

  it('ends with the receipt barcode, the invoicing QR and one cut, and never opens the drawer itself', () => {
    const { events } = decodeEscPos(encodeDocument(layout(receipt)));
    expect(events).toEqual([
      { type: 'barcode', symbology: 73, data: 'RCAJA-1-000042' },
      { type: 'qr', data: 'https://factura.laesperanza.example/t/RCAJA-1-000042' },
      { type: 'cut' },
    ]);
  });

  it("shows a card's last four digits and its authorisation, and no change, for a card sale", () => {
    const card = {
      ...receipt,
      tenders: [{ method: 'Tarjeta', amount: '118.0000', tendered: null, cardLast4: '4242', approvalCode: 'A1B2C3' }],
      change: '0.0000',
    };
    const { lines } = decodeEscPos(encodeDocument(layout(card)));
    const at = lines.findIndex((l) => l.startsWith('Tarjeta ****4242'));
    expect(lines[at]).toMatch(/\$118\.00\s*$/);
    expect(lines[at + 1]!.trimEnd()).toBe('  Aut. A1B2C3');
    expect(lines.some((l) => l.startsWith('Cambio'))).toBe(false);
  });

  it("prints a bank transfer's reference under it, so the customer can match it to their statement", () => {
    const transfer = {
      ...receipt,
      tenders: [{ method: 'Transferencia', amount: '118.0000', tendered: null, cardLast4: null, reference: 'SPEI 0042' }],
      change: '0.0000',
    };
    const { lines } = decodeEscPos(encodeDocument(layout(transfer)));
    const at = lines.findIndex((l) => l.startsWith('Transferencia'));
    expect(lines[at + 1]!.trimEnd()).toBe('  Ref. SPEI 0042');
  });

  it('names the tax id as each country does: RFC in Mexico, NIT in Colombia, CUIT in Argentina', () => {
    const taxLine = (country: string, taxId: string) =>
      decodeEscPos(encodeDocument(layout({ ...receipt, business: { ...receipt.business, country, taxId } })))
        .lines.map((l) => l.trim())
        .find((l) => l.endsWith(taxId));
    expect(taxLine('MX', 'ALE150312QX9')).toBe('RFC ALE150312QX9');
    expect(taxLine('CO', '900123456-7')).toBe('NIT 900123456-7');
    expect(taxLine('AR', '30-71234567-8')).toBe('CUIT 30-71234567-8');
  });

  it('reads, on 58 mm paper, exactly as the customer should see it', () => {
    const { lines } = decodeEscPos(encodeDocument(layout(receipt, 58)));
    // The heading is printed at double size: 16 columns of double-width letters.
    expect(lines.map((l) => l.trimEnd())).toEqual([
      '    Abarrotes La',
      '       Esperanza',
      ' Abarrotes La Esperanza S.A. de',
      '              C.V.',
      '        RFC ALE150312QX9',
      '       Sucursal Coyoacán',
      'Av. Miguel Ángel de Quevedo 845',
      'Coyoacán, Ciudad de México 04310',
      '       Tel. +525556581234',
      '─'.repeat(32),
      'Ticket CAJA-1-42',
      expect.stringMatching(/^25\/11\/26,? 12:05 p\.\s?m\.$/),
      'Le atendió: Ángela Ibáñez',
      '─'.repeat(32),
      'Jalapeños en escabeche 220 g',
      '  2 x $17.50              $35.00',
      'Limón',
      '  1.25 kg x $34.00        $42.50',
      'Piña en almíbar 800 g',
      '  1 x $45.00              $40.50',
      '  Descuento               -$4.50',
      '─'.repeat(32),
      'Subtotal                 $113.95',
      'Descuentos                -$4.50',
      'IVA 16%                    $4.05',
      'TOTAL                    $118.00',
      '',
      'Efectivo                 $200.00',
      'Cambio                    $82.00',
      '',
      '', // the receipt barcode
      '       Factura en línea:',
      '', // the QR code
      '    ¡Gracias por su compra!',
      '     ¿Factura? Pídala hoy.',
      '',
      '',
      '',
      '',
      '', // fed past the cutter
    ]);
  });

  it('fits 58 mm paper in 32 columns', () => {
    const { lines } = decodeEscPos(encodeDocument(layout(receipt, 58)));
    expect(lines.every((l) => l.length <= 32)).toBe(true);
    expect(lines.find((l) => l.startsWith('TOTAL'))).toMatch(/\$118\.00$/);
  });
});

describe('the store logo on a receipt', () => {
  const png = (width: number, height: number) => {
    const image = new PNG({ width, height });
    // A black frame on white: what a printer prints is the frame's dots.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const edge = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
        image.data.set(edge ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * width + x) * 4);
      }
    }
    return PNG.sync.write(image).toString('base64');
  };

  it('prints the logo first, above the business name, when the printer profile has one', () => {
    const logo = decodeLogo(png(200, 48))!;
    const { events, lines } = decodeEscPos(encodeDocument(layout(receipt), { logo }));
    expect(events[0]).toEqual({ type: 'image', width: 200, height: 48 });
    expect(lines.map((l) => l.trim()).find(Boolean)).toBe('Abarrotes La Esperanza');
  });

  it('scales a logo wider than the paper down to the printable width of 58 mm paper', () => {
    const logo = decodeLogo(png(576, 96))!;
    const [image] = decodeEscPos(encodeDocument(layout(receipt, 58), { logo })).events;
    expect(image).toMatchObject({ type: 'image', width: 384 });
  });

  it('prints without a logo when none is set or the one set is not a picture', () => {
    expect(decodeEscPos(encodeDocument(layout(receipt))).events.some((e) => e.type === 'image')).toBe(false);
    expect(decodeLogo(Buffer.from('not a png at all').toString('base64'))).toBeNull();
    expect(decodeLogo(png(2000, 10))).toBeNull();
  });
});

describe('a return receipt of an invoiced sale', () => {
  const returned: ReturnReceipt = {
    business: { name: 'Abarrotes La Esperanza', taxId: 'ALE150312QX9', country: 'MX' },
    branch: 'Sucursal Coyoacán',
    registerCode: 'CAJA-1',
    cashier: 'Ángela Ibáñez',
    returnNumber: 7,
    saleReceiptCode: 'RCAJA-1-000042',
    occurredAt: '2026-11-26T17:00:00.000Z',
    reason: 'Producto en mal estado',
    lines: [{ name: 'Piña en almíbar 800 g', quantity: '1.0000', unit: 'pza', isWeighed: false, total: '40.5000' }],
    total: '40.5000',
    refund: { method: 'Efectivo', kind: 'CASH' },
    storeCreditCode: null,
    creditNote: { series: 'NC-A-CAJA-1', folio: 3, status: 'PENDING' },
  };
  const printed = (r: ReturnReceipt, paperWidth: 58 | 80) =>
    decodeEscPos(
      encodeDocument(
        returnReceiptDocument(r, { paperWidth, money: moneyFormat('es-MX', 'MXN'), when: dateTimeFormat('es-MX', 'America/Mexico_City') }),
      ),
    ).lines.map((l) => l.trimEnd());

  it('names its credit note under the refund, the folio and the state each kept whole on 80 mm and on 58 mm paper', () => {
    const wide = printed(returned, 80);
    const refund = wide.findIndex((l) => l.startsWith('Reembolso: Efectivo'));
    expect(wide.slice(refund + 1, refund + 3)).toEqual(['Nota de crédito NC-A-CAJA-1 folio 3', '(pendiente de timbrar)']);
    const narrow = printed(returned, 58);
    const at = narrow.findIndex((l) => l.startsWith('Reembolso: Efectivo'));
    expect(narrow.slice(at + 1, at + 3)).toEqual(['Nota de crédito NC-A-CAJA-1', 'folio 3 (pendiente de timbrar)']);
    expect(narrow.every((l) => l.length <= 32)).toBe(true);
  });

  it('says a stamped credit note is stamped, and prints no such line for a return of a sale with no invoice', () => {
    // Short enough for one line of 80 mm paper.
    expect(printed({ ...returned, creditNote: { series: 'NC-A-CAJA-1', folio: 12, status: 'ISSUED' } }, 80)).toContain(
      'Nota de crédito NC-A-CAJA-1 folio 12 (timbrada)',
    );
    expect(printed({ ...returned, creditNote: null }, 80).some((l) => l.includes('Nota de crédito'))).toBe(false);
  });
});

describe('the invitation to invoice a sale on central’s self-invoicing page', () => {
  const link = 'https://factura.laesperanza.example/factura?r=RCAJA-1-000042';
  const invited: SaleReceipt = { ...receipt, invoiceUrl: link, selfInvoicingPage: 'https://factura.laesperanza.example/factura' };

  it('asks, under the barcode, whether the customer needs an invoice, names the page and the ticket, and ends with the QR of both', () => {
    const { lines, events } = decodeEscPos(encodeDocument(layout(invited, 80)));
    const text = lines.map((l) => l.trim());
    const at = text.indexOf('¿Necesita factura? Escanee el código o visite');
    expect(at).toBeGreaterThan(text.findIndex((l) => l.startsWith('Cambio')));
    expect(text.slice(at - 2, at + 7)).toEqual([
      '', // the barcode
      '', // its line feed
      '¿Necesita factura? Escanee el código o visite',
      'factura.laesperanza.example/factura',
      'Ticket: RCAJA-1-000042',
      '', // a clear line above the QR code…
      '', // …the QR code…
      '', // …and a clear line below it
      '¡Gracias por su compra! ¿Factura? Pídala hoy.',
    ]);
    expect(events).toEqual([{ type: 'barcode', symbology: 73, data: 'RCAJA-1-000042' }, { type: 'qr', data: link }, { type: 'cut' }]);
    expect(text).not.toContain('Factura en línea:');
  });

  it('keeps every line within 32 columns on 58 mm paper, the question and the page broken where a person would break them', () => {
    const long = 'https://facturacion.abarrotes-la-esperanza.example/tienda-coyoacan/factura';
    const { lines, events } = decodeEscPos(
      encodeDocument(layout({ ...invited, selfInvoicingPage: long, invoiceUrl: `${long}?r=RCAJA-1-000042` }, 58)),
    );
    expect(lines.every((l) => l.length <= 32)).toBe(true);
    const text = lines.map((l) => l.trim());
    const at = text.indexOf('¿Necesita factura?');
    expect(text.slice(at, at + 6)).toEqual([
      '¿Necesita factura?',
      'Escanee el código o visite',
      'facturacion.',
      'abarrotes-la-esperanza.example/',
      'tienda-coyoacan/factura',
      'Ticket: RCAJA-1-000042',
    ]);
    expect(events.find((e) => e.type === 'qr')).toEqual({ type: 'qr', data: `${long}?r=RCAJA-1-000042` });
  });

  it('prints the QR of the longest link, the branch in it, within the 384 dots of 58 mm paper', () => {
    const base = `https://${'f'.repeat(SELF_INVOICING_MAX_LENGTH - 'https://'.length)}`;
    expect(parseSelfInvoicingBase(base)).toEqual({ base });
    const link = selfInvoicingLink(base, 'RCAJA-1-000042', '0198f3c2-7d41-7a3e-9c1b-5e2f8a6d4b70');
    const { paper } = decodeEscPos(
      encodeDocument(layout({ ...invited, invoiceUrl: link, selfInvoicingPage: selfInvoicingPage(base) }, 58)),
    );
    const qr = paper.find((item) => item.type === 'qr')!;
    expect(qr).toMatchObject({ data: link, level: 'M' });
    // Drawn as the printer's firmware draws it: the matrix for that text and level, each module that many dots.
    const side = QRCode.create(qr.data, { errorCorrectionLevel: qr.level }).modules.size * qr.moduleDots;
    expect(side).toBeLessThanOrEqual(384);
  });

  it('is left out of a copy once the sale is invoiced, and the rest of the copy is the original', () => {
    const original = layout(invited, 80);
    const qr = original.blocks.findIndex((b) => b.type === 'qr');
    // The question, the page, the ticket, the QR and the clear lines around it.
    expect(original.blocks.slice(qr - 4, qr + 2).map((b) => b.type)).toEqual(['text', 'text', 'text', 'feed', 'qr', 'feed']);
    expect(withoutInvoiceInvitation(original).blocks).toEqual([...original.blocks.slice(0, qr - 4), ...original.blocks.slice(qr + 2)]);
    // The store's own link goes the same way; a receipt with neither is left as it was.
    expect(withoutInvoiceInvitation(layout(receipt)).blocks.some((b) => b.type === 'qr')).toBe(false);
    const plain = layout({ ...receipt, invoiceUrl: null });
    expect(withoutInvoiceInvitation(plain)).toEqual(plain);
  });

  it('breaks a long address after a slash or a dot, and a long word where it must', () => {
    expect(urlLines('factura.example.mx/factura', 48)).toEqual(['factura.example.mx/factura']);
    expect(urlLines('facturacion.example.com.mx/sucursal/factura', 20)).toEqual(['facturacion.example.', 'com.mx/sucursal/', 'factura']);
    expect(urlLines('a'.repeat(45), 20)).toEqual(['a'.repeat(20), 'a'.repeat(20), 'a'.repeat(5)]);
  });
});

// The notification templates as shipped (resources/notification-templates): every one renders in
// every locale with realistic data, problems surface as a TemplateError naming the row, and
// seedTemplates / findTemplate run against a real PostgreSQL database of their own.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCentral, type Central } from '#db/central.ts';
import * as s from '#db/schema/index.ts';
import type { SaleReceipt } from '#contract/receipt-document.ts';
import { receiptEmailData } from '#engine/server/central/notify/templates/receipt-email-data.ts';
import { renderEmail, renderText, TemplateError } from '#engine/server/central/notify/templates/render.ts';
import {
  DEFAULT_TEMPLATES_DIR,
  readTemplateFiles,
  TemplateFileError,
  type TemplateSource,
} from '#engine/server/central/notify/templates/template-files.ts';
import type { TemplateRow } from '#engine/server/central/notify/templates/template-row.ts';
import { findTemplate, seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { connectTestDatabase, type TestDatabase } from '../support/central.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const LOCALES = ['es-MX', 'es-CO', 'es-AR', 'en'];
const ALERTS = ['shift.variance', 'stock.low', 'register.silent', 'sync.quarantine', 'auth.lockout', 'auth.new_device', 'fiscal.halted'];
const CURRENCY: Record<string, string> = { 'es-MX': 'MXN', 'es-CO': 'COP', 'es-AR': 'ARS', en: 'MXN' };

const RECEIPT: SaleReceipt = {
  business: { name: 'Abarrotes La Esperanza', legalName: 'La Esperanza Comercial S.A. de C.V.', taxId: 'ECO980101AB1', country: 'MX' },
  branch: { name: 'Sucursal Centro', address: ['Av. Juárez 120', 'Puebla, Pue. 72000'], phone: '222 555 0101' },
  registerCode: 'CEN-01',
  cashier: 'María López',
  receiptNumber: 1042,
  receiptCode: 'RCEN-01-001042',
  completedAt: '2026-03-14T19:32:05.000Z',
  lines: [
    {
      name: 'Refresco cola 600 ml',
      quantity: '3.000',
      unit: 'pz',
      unitPrice: '18.5000',
      total: '55.5000',
      discountAmount: '0.0000',
      isWeighed: false,
    },
    {
      name: 'Jamón de pavo',
      quantity: '0.435',
      unit: 'kg',
      unitPrice: '189.0000',
      total: '82.2200',
      discountAmount: '0.0000',
      isWeighed: true,
    },
    {
      name: 'Detergente 3 L',
      quantity: '1.000',
      unit: 'pz',
      unitPrice: '129.0000',
      total: '116.1000',
      discountAmount: '12.9000',
      isWeighed: false,
    },
  ],
  subtotal: '230.1500',
  discountTotal: '12.9000',
  taxes: [
    { label: 'IVA 16%', amount: '23.6700' },
    { label: 'IVA 0%', amount: '0.0000' },
  ],
  total: '253.8200',
  rounding: '0.0000',
  tenders: [
    { method: 'Tarjeta', amount: '150.0000', tendered: null, cardLast4: '4242', approvalCode: '083311', reference: null },
    { method: 'Efectivo', amount: '103.8200', tendered: '200.0000', cardLast4: null },
  ],
  change: '96.1800',
  footer: 'Cambios y devoluciones dentro de 30 días con este ticket.',
  invoiceUrl: 'https://factura.example.mx/?folio=RCEN-01-001042',
};

/** What a job would hand each alert, already formatted; `key` must reach every channel's text. */
const ALERT_DATA: Record<string, { data: Record<string, string>; key: string }> = {
  'shift.variance': {
    data: { register: 'CEN-01', cashier: 'María López', expected: '$4,250.00', counted: '$4,180.00', variance: '-$70.00' },
    key: 'variance',
  },
  'stock.low': { data: { product: 'Leche entera 1 L', branch: 'Sucursal Centro', onHand: '4 pz', reorderPoint: '12 pz' }, key: 'onHand' },
  'register.silent': { data: { register: 'CEN-02', branch: 'Sucursal Centro', lastSeen: '14/03/26, 1:32 p.m.' }, key: 'lastSeen' },
  'sync.quarantine': { data: { register: 'CEN-01', factKind: 'sale.completed', reason: 'unknown product variant' }, key: 'reason' },
  'auth.lockout': { data: { employee: 'Jorge Ruiz', register: 'CEN-01', when: '14/03/26, 9:05 a.m.' }, key: 'employee' },
  'auth.new_device': { data: { user: 'Lucía Gómez', device: 'Chrome en Android', when: '14/03/26, 9:05 a.m.' }, key: 'device' },
  'fiscal.halted': { data: { message: 'el PAC rechaza la cuenta (AUTH)' }, key: 'message' },
};

const SOURCES = readTemplateFiles();
const tempDir = tempDirs('notification-templates');
const rowOf = (src: TemplateSource, over: Partial<TemplateRow> = {}): TemplateRow => ({
  id: uuidv7(),
  businessId: null,
  code: src.code,
  channel: src.channel,
  locale: src.locale,
  engine: src.engine,
  subject: src.subject,
  body: src.body,
  version: 1,
  ...over,
});
const shipped = (code: string, channel: string, locale: string) => {
  const src = SOURCES.find((t) => t.code === code && t.channel === channel && t.locale === locale);
  if (!src) throw new Error(`no ${code}/${channel}/${locale} in the shipped templates`);
  return src;
};
const receiptData = (locale: string) =>
  receiptEmailData(RECEIPT, { locale, currency: CURRENCY[locale]!, timezone: 'America/Mexico_City' }) as unknown as Record<string, unknown>;

describe('the shipped templates', () => {
  it('cover the receipt and the self-invoice by e-mail and every alert by e-mail, push and SMS, in es-MX, es-CO, es-AR and en', () => {
    const have = SOURCES.map((t) => `${t.code}/${t.channel}/${t.locale}`).sort();
    const want = [
      ...LOCALES.map((l) => `sale.receipt/EMAIL/${l}`),
      ...LOCALES.map((l) => `push.phone_link/EMAIL/${l}`),
      ...LOCALES.map((l) => `invoice.self/EMAIL/${l}`),
      ...ALERTS.flatMap((code) => LOCALES.flatMap((l) => ['EMAIL', 'PUSH', 'SMS'].map((c) => `${code}/${c}/${l}`))),
    ].sort();
    expect(have).toEqual(want);
  });

  it.each(LOCALES)('render the e-mailed receipt in %s with its subject, every line and the total in both parts', async (locale) => {
    const data = receiptData(locale);
    const mail = await renderEmail(rowOf(shipped('sale.receipt', 'EMAIL', locale)), data);
    expect(mail.subject).toContain('Abarrotes La Esperanza');
    for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toContain('{{');
    expect(mail.html).not.toMatch(/data:image/);
    for (const line of RECEIPT.lines) expect(mail.text).toContain(line.name);
    expect(mail.text).toContain(data.total as string);
    expect(mail.text).toContain('0.435 kg');
    expect(mail.text).toContain('4242');
    expect(mail.text.split('\n').every((l) => l.length <= 78)).toBe(true);
  });

  const alertCases = ALERTS.flatMap((code) => LOCALES.map((locale) => [code, locale] as const));

  it.each(alertCases)('render %s in %s as an e-mail, a push and an SMS that carry its data', async (code, locale) => {
    const { data, key } = ALERT_DATA[code]!;
    const mail = await renderEmail(rowOf(shipped(code, 'EMAIL', locale)), data);
    expect(mail.subject.length).toBeGreaterThan(0);
    for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toContain('{{');
    expect(mail.text).toContain(data[key]);

    const push = JSON.parse(renderText(rowOf(shipped(code, 'PUSH', locale)), data));
    expect(Object.keys(push).sort()).toEqual(['body', 'title']);
    expect(`${push.title} ${push.body}`).toContain(data[key]);
    expect(`${push.title} ${push.body}`).not.toContain('{{');

    const sms = renderText(rowOf(shipped(code, 'SMS', locale)), data);
    expect(sms).toContain(data[key]);
    expect(sms).not.toContain('{{');
    expect(sms.length).toBeLessThan(160);
  });

  it.each(LOCALES)('render the phone link e-mail in %s with its link as a button and as text, and its validity', async (locale) => {
    const link = 'https://pos.example.mx/push/subscribe?t=01900000-0000-7000-8000-0000000000aa.1773603125.c2lnbmF0dXJl';
    const mail = await renderEmail(rowOf(shipped('push.phone_link', 'EMAIL', locale)), { user: 'Lucía Gómez', link, hours: 24 });
    for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toContain('{{');
    expect(mail.text).toContain('Lucía Gómez');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('24');
    expect(mail.html).toContain(`href="${link.replace('=', '&#x3D;')}"`);
  });

  it.each(LOCALES)(
    'render the self-invoice e-mail in %s with the invoice, its folio fiscal, its receiver and its total',
    async (locale) => {
      const data = {
        store: 'Abarrotes La Esperanza',
        invoice: { number: 'A-WEB-12', uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCF', date: '15/03/2026, 12:32', total: '$245.50' },
        receiver: { name: 'EMILIANO GOMEZ DIAZ', rfc: 'GODE561231GR8' },
      };
      const mail = await renderEmail(rowOf(shipped('invoice.self', 'EMAIL', locale)), data);
      expect(mail.subject).toContain('A-WEB-12');
      expect(mail.subject).toContain('Abarrotes La Esperanza');
      for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toContain('{{');
      for (const shown of [data.invoice.uuid, data.receiver.name, data.receiver.rfc, data.invoice.total])
        expect(mail.text).toContain(shown);
    },
  );

  it('keep the fixed words of every SMS in the GSM-7 alphabet, so a message is not cut to 70 characters', () => {
    const gsm = /^[@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà{}]*$/;
    for (const t of SOURCES.filter((t) => t.channel === 'SMS')) expect(t.body, t.file).toMatch(gsm);
  });

  it('write a name with an ampersand and quotes as is in the subject, the SMS and the push, and escaped in the HTML', async () => {
    const data = { ...ALERT_DATA['stock.low']!.data, product: 'Pan "de muerto" & café' };
    const mail = await renderEmail(rowOf(shipped('stock.low', 'EMAIL', 'es-MX')), data);
    expect(mail.subject).toContain('Pan "de muerto" & café');
    expect(mail.html).toContain('Pan &quot;de muerto&quot; &amp; café');
    expect(mail.text).toContain('Pan "de muerto" & café');
    expect(renderText(rowOf(shipped('stock.low', 'SMS', 'es-MX')), data)).toContain('Pan "de muerto" & café');
    expect(JSON.parse(renderText(rowOf(shipped('stock.low', 'PUSH', 'es-MX')), data)).title).toBe(
      'Existencia baja: Pan "de muerto" & café',
    );
  });
});

describe('a template problem', () => {
  it('is a TemplateError naming the template and the missing variable when the data lacks one', async () => {
    const { cashier: _, ...data } = receiptData('es-MX');
    const row = rowOf(shipped('sale.receipt', 'EMAIL', 'es-MX'), { version: 7 });
    const err = await renderEmail(row, data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toMatch(
      /^template sale\.receipt\/EMAIL\/es-MX v7: body: missing variable "cashier" at line \d+, column \d+$/,
    );
  });

  it('is a TemplateError naming the template when a nested variable is missing from an SMS', () => {
    const row = rowOf(shipped('shift.variance', 'SMS', 'es-CO'));
    const { variance: _, ...data } = ALERT_DATA['shift.variance']!.data;
    expect(() => renderText(row, data)).toThrow(/^template shift\.variance\/SMS\/es-CO v1: body: missing variable "variance"/);
  });

  it('is a TemplateError naming the template and the line for a Handlebars syntax error', async () => {
    const row = rowOf(shipped('stock.low', 'EMAIL', 'en'), {
      body: '<mjml><mj-body>\n{{#if product}}{{product}</mj-body></mjml>',
      version: 2,
    });
    const err = await renderEmail(row, ALERT_DATA['stock.low']!.data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toMatch(/^template stock\.low\/EMAIL\/en v2: body: syntax error on line 2 near ".*\{\{product\}.*"/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('is a TemplateError for an unclosed block, in one line', () => {
    const row = rowOf(shipped('stock.low', 'SMS', 'en'), { body: 'Low {{#if product}}{{product}}' });
    expect(() => renderText(row, ALERT_DATA['stock.low']!.data)).toThrow(TemplateError);
    expect(() => renderText(row, ALERT_DATA['stock.low']!.data)).toThrow(/^template stock\.low\/SMS\/en v1: body: [^\n]+$/);
  });

  it('is a TemplateError listing what MJML refused', async () => {
    const row = rowOf(shipped('stock.low', 'EMAIL', 'es-AR'), {
      body: '<mjml><mj-body><mj-section><mj-colum><mj-text>{{product}}</mj-text></mj-colum></mj-section></mj-body></mjml>',
    });
    await expect(renderEmail(row, ALERT_DATA['stock.low']!.data)).rejects.toThrow(
      /^template stock\.low\/EMAIL\/es-AR v1: MJML: line 1 \(mj-colum\): Element mj-colum doesn't exist or is not registered/,
    );
  });

  it('is a TemplateError when a push body is not the JSON the service worker reads', () => {
    const row = rowOf(shipped('auth.lockout', 'PUSH', 'en'), { body: 'Locked out: {{employee}}' });
    expect(() => renderText(row, ALERT_DATA['auth.lockout']!.data)).toThrow(
      /^template auth\.lockout\/PUSH\/en v1: a push body is a JSON object/,
    );
  });

  it('is a TemplateError when an e-mail is handed to renderText or a text to renderEmail', async () => {
    expect(() => renderText(rowOf(shipped('auth.lockout', 'EMAIL', 'en')), {})).toThrow(/renderText takes a text template/);
    await expect(renderEmail(rowOf(shipped('auth.lockout', 'SMS', 'en')), {})).rejects.toThrow(
      /renderEmail takes an EMAIL template in MJML/,
    );
  });

  it('is compiled once per template version: the next version of a row renders its own text', () => {
    const base = rowOf(shipped('auth.lockout', 'SMS', 'en'));
    expect(renderText({ ...base, body: 'first {{employee}}' }, { employee: 'Ana' })).toBe('first Ana');
    expect(renderText({ ...base, body: 'changed {{employee}}' }, { employee: 'Ana' })).toBe('first Ana');
    expect(renderText({ ...base, version: 2, body: 'second {{employee}}' }, { employee: 'Ana' })).toBe('second Ana');
  });
});

describe('the receipt e-mail data', () => {
  it('writes every amount in the reader’s locale, straight from the decimal strings', () => {
    const view = receiptEmailData(
      { ...RECEIPT, total: '12345678901234.5678' },
      { locale: 'es-AR', currency: 'ARS', timezone: 'America/Argentina/Buenos_Aires' },
    );
    // Intl separates the sign from the number with a no-break space, as Argentina writes it.
    const ars = (amount: string) => `$\u00a0${amount}`;
    expect(view.total).toBe(ars('12.345.678.901.234,57'));
    expect(view.lines.map((l) => l.quantity)).toEqual(['3', '0.435 kg', '1']);
    expect(view.lines.map((l) => l.discount)).toEqual([null, null, `-${ars('12,90')}`]);
    expect(view.rounding).toBeNull();
    expect(view.change).toBe(ars('96,18'));
    expect(view.tenders.map((t) => t.amount)).toEqual([ars('150,00'), ars('200,00')]);
    expect(view.store.taxIdLine).toBe('RFC ECO980101AB1');
    expect(view.ticket).toMatchObject({ number: 'CEN-01-1042', code: 'RCEN-01-001042' });
    // 19:32 UTC is 16:32 in Buenos Aires.
    expect(view.ticket.date).toMatch(/^14\/3\/26.* 4:32/);
  });

  it('refuses an amount that is not a decimal string and a time zone Intl does not know, naming them', () => {
    const opts = { locale: 'es-MX', currency: 'MXN', timezone: 'America/Mexico_City' };
    expect(() => receiptEmailData({ ...RECEIPT, subtotal: '1,234.00' }, opts)).toThrow(
      'receiptEmailData: subtotal is "1,234.00", not a decimal amount',
    );
    expect(() => receiptEmailData(RECEIPT, { ...opts, timezone: 'Mars/Olympus' })).toThrow(
      /cannot write dates in time zone "Mars\/Olympus"/,
    );
  });
});

describe('templates in PostgreSQL', () => {
  let central: Central;
  let database: TestDatabase;
  let businessId: string;
  const count = () => SOURCES.length;
  const liveRows = async () =>
    Number(
      (
        await central.sql.query<{ n: string }>(
          'SELECT count(*) AS n FROM communication.notification_templates WHERE business_id IS NULL AND deleted_at IS NULL',
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    ({ central, database } = await connectTestDatabase('templates'));
    await migrateCentral(central.sql);
    const userId = uuidv7();
    businessId = uuidv7();
    await central.db.insert(s.users).values({ id: userId, email: `owner-${userId}@example.com`, displayName: 'Dueña' });
    await central.db.insert(s.businesses).values({
      id: businessId,
      name: 'Tienda propia',
      legalName: 'Tienda propia S.A. de C.V.',
      type: 'RETAIL',
      country: 'MX',
      currency: 'MXN',
      taxId: 'TPR010101AAA',
      ownerUserId: userId,
    });
  }, 120_000);
  afterAll(async () => {
    await central?.close();
    await database?.drop();
  });

  const insert = (code: string, locale: string, owner: string | null, body: string) =>
    central.sql.query(
      `INSERT INTO communication.notification_templates (id, business_id, code, channel, locale, engine, body)
       VALUES ($1, $2, $3, 'SMS', $4, 'HANDLEBARS', $5)`,
      [uuidv7(), owner, code, locale, body],
    );

  it('are seeded once from the files and left alone when seeded again unchanged', async () => {
    expect(await seedTemplates(central.sql)).toEqual({ created: count(), updated: 0, unchanged: 0 });
    expect(await seedTemplates(central.sql)).toEqual({ created: 0, updated: 0, unchanged: count() });
    expect(await liveRows()).toBe(count());
    const [receipt] = await central.sql.query<{ engine: string; subject: string; version: number }>(
      `SELECT engine, subject, version FROM communication.notification_templates
       WHERE code = 'sale.receipt' AND channel = 'EMAIL' AND locale = 'es-CO' AND deleted_at IS NULL`,
    );
    expect(receipt).toEqual({ engine: 'MJML', subject: 'Su comprobante de compra en {{store.name}} · {{total}}', version: 1 });
  });

  it('get a new version for a changed file, the old row kept but retired for the jobs rendered from it', async () => {
    const dir = tempDir();
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    const sms = join(dir, 'stock.low', 'sms.es-MX.hbs');
    writeFileSync(sms, 'Queda poco {{product}} en {{branch}}: {{onHand}} (reorden {{reorderPoint}}).\n');
    expect(await seedTemplates(central.sql, dir)).toEqual({ created: 0, updated: 1, unchanged: count() - 1 });
    writeFileSync(sms, 'Se acaba {{product}} en {{branch}}: {{onHand}}.\n');
    expect(await seedTemplates(central.sql, dir)).toEqual({ created: 0, updated: 1, unchanged: count() - 1 });

    const rows = await central.sql.query<{ version: number; body: string; retired: boolean }>(
      `SELECT version, body, deleted_at IS NOT NULL AS retired FROM communication.notification_templates
       WHERE code = 'stock.low' AND channel = 'SMS' AND locale = 'es-MX' ORDER BY version`,
    );
    expect(rows.map((r) => [r.version, r.retired])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(rows[0]!.body).toBe(shipped('stock.low', 'SMS', 'es-MX').body);
    const found = await findTemplate(central.sql, { businessId: null, code: 'stock.low', channel: 'SMS', locale: 'es-MX' });
    expect(found).toMatchObject({ version: 3, body: 'Se acaba {{product}} en {{branch}}: {{onHand}}.' });
    expect(renderText(found!, ALERT_DATA['stock.low']!.data)).toBe('Se acaba Leche entera 1 L en Sucursal Centro: 4 pz.');

    // The shipped files again: the shipped text comes back as version 4, never as a reused 1.
    expect(await seedTemplates(central.sql)).toEqual({ created: 0, updated: 1, unchanged: count() - 1 });
    expect(await findTemplate(central.sql, { businessId: null, code: 'stock.low', channel: 'SMS', locale: 'es-MX' })).toMatchObject({
      version: 4,
    });
    expect(await liveRows()).toBe(count());
  });

  it('are not touched when one file is broken, and the error names the file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'stock.low'));
    writeFileSync(join(dir, 'stock.low', 'sms.en.hbs'), 'Low stock {{#if product}}{{product}\n');
    writeFileSync(join(dir, 'stock.low', 'email.en.mjml'), '<mjml><mj-body></mj-body></mjml>\n');
    const err = await seedTemplates(central.sql, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateFileError);
    expect((err as Error).message).toBe(
      `${join(dir, 'stock.low', 'email.en.mjml')}: an e-mail needs "subject:" in its front matter (--- subject: … ---)`,
    );
    writeFileSync(join(dir, 'stock.low', 'email.en.mjml'), '---\nsubject: Low\n---\n<mjml><mj-body></mj-body></mjml>\n');
    await expect(seedTemplates(central.sql, dir)).rejects.toThrow(`${join(dir, 'stock.low', 'sms.en.hbs')}: body: syntax error on line 1`);
    writeFileSync(join(dir, 'stock.low', 'sms.en.hbs'), 'Low stock <img src="data:image/png;base64,AAAA">\n');
    await expect(seedTemplates(central.sql, dir)).rejects.toThrow('images are linked by URL, never embedded as base64');
    expect(await liveRows()).toBe(count());
  });

  it('are found in the reader’s locale, else its language’s main locale, else English', async () => {
    await insert('test.fallback', 'es-MX', null, 'global es-MX');
    await insert('test.fallback', 'en', null, 'global en');
    const find = (locale: string, owner: string | null = null) =>
      findTemplate(central.sql, { businessId: owner, code: 'test.fallback', channel: 'SMS', locale }).then((t) => t?.body ?? null);
    expect(await find('es-MX')).toBe('global es-MX');
    expect(await find('es-CO')).toBe('global es-MX');
    expect(await find('es-AR')).toBe('global es-MX');
    expect(await find('en')).toBe('global en');
    expect(await find('en-US')).toBe('global en');
    expect(await find('pt-BR')).toBe('global en');
    expect(
      (await findTemplate(central.sql, { businessId: null, code: 'sale.receipt', channel: 'EMAIL', locale: 'es-CO' }))?.subject,
    ).toContain('Su comprobante');
  });

  it('are the business’s own before the global ones in the same language, and never another business’s', async () => {
    await insert('test.own', 'es-MX', null, 'global es-MX');
    await insert('test.own', 'es-CO', null, 'global es-CO');
    await insert('test.own', 'en', null, 'global en');
    await insert('test.own', 'es-MX', businessId, 'own es-MX');
    await insert('test.own', 'en', businessId, 'own en');
    const find = (locale: string, owner: string | null) =>
      findTemplate(central.sql, { businessId: owner, code: 'test.own', channel: 'SMS', locale }).then((t) => t?.body ?? null);
    expect(await find('es-MX', businessId)).toBe('own es-MX');
    expect(await find('es-CO', businessId)).toBe('own es-MX');
    expect(await find('en', businessId)).toBe('own en');
    expect(await find('fr', businessId)).toBe('own en');
    expect(await find('es-CO', null)).toBe('global es-CO');
    expect(await find('es-MX', uuidv7())).toBe('global es-MX');
    expect(await findTemplate(central.sql, { businessId, code: 'test.own', channel: 'SMS', locale: 'es-MX' })).toMatchObject({
      businessId,
    });
  });

  it('prefer a global text in the reader’s language to the business’s own in English', async () => {
    await insert('test.language', 'es-MX', null, 'global es-MX');
    await insert('test.language', 'en', businessId, 'own en');
    const found = await findTemplate(central.sql, { businessId, code: 'test.language', channel: 'SMS', locale: 'es-AR' });
    expect(found?.body).toBe('global es-MX');
  });

  it('are null when there is none, and a malformed question is refused', async () => {
    expect(await findTemplate(central.sql, { businessId, code: 'test.none', channel: 'SMS', locale: 'es-MX' })).toBeNull();
    expect(await findTemplate(central.sql, { businessId: null, code: 'stock.low', channel: 'WHATSAPP', locale: 'es-MX' })).toBeNull();
    await expect(findTemplate(central.sql, { businessId, code: 'stock.low', channel: 'FAX' as 'SMS', locale: 'es-MX' })).rejects.toThrow(
      'findTemplate: channel "FAX" is not one of EMAIL, SMS, WHATSAPP, PUSH, IN_APP',
    );
    await expect(findTemplate(central.sql, { businessId, code: 'stock.low', channel: 'SMS', locale: 'spanish' })).rejects.toThrow(
      'findTemplate: locale "spanish" is not like es-MX or en',
    );
  });
});

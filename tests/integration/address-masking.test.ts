// The log's masking of addresses is central's rule, not a second one: the same texts masked by
// communication.mask_addresses in PostgreSQL and by maskAddresses in the process read the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { migrateCentral } from '#db/central.ts';
import { maskAddresses, scrubText } from '#engine/log/redaction.ts';
import { connectTestDatabase, type TestDatabase } from '../support/central.ts';

const PROVIDER_TEXTS = [
  '550 5.1.1 <ana.lopez@ejemplo.mx>: Recipient address rejected: User unknown',
  'SendGrid 400: The to email "jose+recibos@tienda.com.co" does not contain a valid address.',
  "Twilio 21211: The 'To' number +5215512345678 is not a valid phone number.",
  'Twilio 21610: Attempt to send to unsubscribed recipient whatsapp:+573001234567',
  'two: a@b.mx and b.c@d.com.ar, then +5491122334455 twice +5491122334455',
  'nothing personal: connection reset after 3 attempts',
];

describe('masking addresses in text', () => {
  let central: Central;
  let database: TestDatabase;

  beforeAll(async () => {
    ({ central, database } = await connectTestDatabase('address_masking'));
    await migrateCentral(central.sql);
  }, 120_000);

  afterAll(async () => {
    await central?.close();
    await database?.drop();
  });

  it('masks providers’ messages exactly as central masks them for the back office', async () => {
    for (const text of PROVIDER_TEXTS) {
      const [row] = await central.sql.query<{ masked: string }>('SELECT communication.mask_addresses($1) AS masked', [text]);
      expect(maskAddresses(text)).toBe(row!.masked);
    }
  });

  it('leaves no customer address or phone in a scrubbed log message', () => {
    const scrubbed = scrubText(PROVIDER_TEXTS.join('\n'));
    for (const secret of ['ana.lopez@', 'jose+recibos@', '5512345678', '3001234567', '1122334455']) expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain('a***@ejemplo.mx');
    expect(scrubbed).toContain('+52*******5678');
  });

  it('leaves URLs and stack frames as they are', () => {
    const text = [
      'could not reach postgres://pos:secret@127.0.0.1:5432/pos',
      '    at run (/srv/pos/node_modules/@electric-sql/pglite/dist/index.js:12:3)',
      'see file:///srv/pos/node_modules/@fastify/static/index.js',
    ].join('\n');
    expect(scrubText(text)).toBe(text.replace('pos:secret@', 'pos:[redacted]@'));
  });
});

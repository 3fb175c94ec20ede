import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from '#engine/security/sealed-json.ts';

const sealer = createSealer(randomBytes(32));
const value = { rfc: 'NUÑR800101AB1', nombre: 'Rosa María Núñez' };

describe('a sealed value', () => {
  it('opens to the same value for the same row', () => {
    expect(sealer.open(sealer.seal(value, 'auth.users.kyc_data:1'), 'auth.users.kyc_data:1')).toEqual(value);
  });

  it('holds no plaintext and differs every time', () => {
    const a = sealer.seal(value, 'ctx');
    const b = sealer.seal(value, 'ctx');
    expect(JSON.stringify(a)).not.toContain('Núñez');
    expect(a.data).not.toBe(b.data);
  });

  it('does not open for another row, after tampering, or under another key', () => {
    const sealed = sealer.seal(value, 'auth.users.kyc_data:1');
    expect(() => sealer.open(sealed, 'auth.users.kyc_data:2')).toThrow(/does not open/);
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => sealer.open({ ...sealed, data: flipped.toString('base64') }, 'auth.users.kyc_data:1')).toThrow(/does not open/);
    expect(() => createSealer(randomBytes(32)).open(sealed, 'auth.users.kyc_data:1')).toThrow(/sealed with another key/);
  });
});

describe('a lookup hash', () => {
  const key = randomBytes(32);
  const hashes = createSealer(key);

  it('is the same for the same value and purpose, under the same key', () => {
    const a = hashes.lookupHash('sales.customers.email', 'ana@example.com');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(createSealer(Buffer.from(key)).lookupHash('sales.customers.email', 'ana@example.com')).toBe(a);
  });

  it('differs for another value, another purpose or another key', () => {
    const a = hashes.lookupHash('sales.customers.email', 'ana@example.com');
    expect(hashes.lookupHash('sales.customers.email', 'ana@example.co')).not.toBe(a);
    expect(hashes.lookupHash('sales.customers.phone', 'ana@example.com')).not.toBe(a);
    expect(createSealer(randomBytes(32)).lookupHash('sales.customers.email', 'ana@example.com')).not.toBe(a);
  });

  it('is not a plain hash of the value, nor an HMAC under the sealing key itself', () => {
    const a = hashes.lookupHash('sales.customers.email', 'ana@example.com');
    expect(a).not.toBe(createHash('sha256').update('ana@example.com').digest('hex'));
    expect(a).not.toBe(createHmac('sha256', key).update('ana@example.com').digest('hex'));
  });

  it('stays what it was for a stored row: HKDF-SHA256 of the key for the purpose, then HMAC-SHA256', () => {
    // Rows keep these hashes: a change of scheme would lose every customer found by e-mail.
    expect(createSealer(Buffer.alloc(32, 7)).lookupHash('sales.customers.email', 'ana@example.com')).toBe(
      '5d068117230fd354aa06e41ab1b953151d99f2966f012fcb7bf37c73ebdaf318',
    );
  });

  it('is refused without a purpose', () => {
    expect(() => hashes.lookupHash('', 'ana@example.com')).toThrow(/needs a purpose/);
  });
});

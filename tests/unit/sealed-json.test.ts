import { randomBytes } from 'node:crypto';
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

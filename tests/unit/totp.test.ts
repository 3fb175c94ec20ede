import { describe, expect, it } from 'vitest';
import { matchTotp, newRecoveryCodes, totpCodeAt } from '#engine/services/auth/totp.ts';

// RFC 6238 appendix B, SHA-1, with the secret "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('produces the RFC 6238 test vector', () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('accepts a code one step late for clock drift and names its step', () => {
    const at = new Date(1_111_111_109_000);
    expect(matchTotp(RFC_SECRET, '081804', new Date(at.getTime() + 30_000))).toBe(Math.floor(at.getTime() / 30_000));
    expect(matchTotp(RFC_SECRET, '081804', new Date(at.getTime() + 90_000))).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes without characters people confuse', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });
});

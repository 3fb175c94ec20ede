// The phone link's token: central can tell a link it signed from one it did not, and one that
// has run out, without having stored it.
import { describe, expect, it } from 'vitest';
import { LINK_TTL_MS, makeLinkToken, readLinkToken } from '#engine/server/central/phone/link-token.ts';

const SECRET = 'una-clave-de-enlaces-de-al-menos-32-caracteres';
const OTHER_SECRET = 'otra-clave-de-enlaces-de-al-menos-32-caracteres';
const USER = '01900000-0000-7000-8000-0000000000aa';
const SENT = new Date('2026-03-14T19:32:05.000Z');
const token = () => makeLinkToken(SECRET, USER, new Date(SENT.getTime() + LINK_TTL_MS));

describe('a phone link token', () => {
  it('names its user and its expiry while it is valid', () => {
    const read = readLinkToken(SECRET, token(), new Date(SENT.getTime() + LINK_TTL_MS - 1000));
    expect(read).toEqual({ ok: true, userId: USER, expiresAt: new Date('2026-03-15T19:32:05.000Z') });
  });

  it('is expired from its expiry on', () => {
    expect(readLinkToken(SECRET, token(), new Date(SENT.getTime() + LINK_TTL_MS))).toEqual({ ok: false, problem: 'expired' });
  });

  it('is refused as forged when its user, its expiry or its signature was changed', () => {
    const [user, exp, sig] = token().split('.') as [string, string, string];
    const otherUser = `${user.slice(0, -2)}bb`;
    const later = String(Number(exp) + 3600);
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    for (const tampered of [`${otherUser}.${exp}.${sig}`, `${user}.${later}.${sig}`, `${user}.${exp}.${flipped}`]) {
      expect(readLinkToken(SECRET, tampered, SENT)).toEqual({ ok: false, problem: 'forged' });
    }
  });

  it('is refused as forged when only the last character’s two spare bits were changed, though it decodes to the same signature', () => {
    const [user, exp, sig] = token().split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 43 characters carry 258 bits: the last one's low two bits are not part of the 32 bytes.
    const spare = alphabet[alphabet.indexOf(sig.at(-1)!) ^ 1]!;
    const respelled = `${sig.slice(0, -1)}${spare}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(readLinkToken(SECRET, `${user}.${exp}.${respelled}`, SENT)).toEqual({ ok: false, problem: 'forged' });
  });

  it('is refused as forged when another secret signed it', () => {
    const foreign = makeLinkToken(OTHER_SECRET, USER, new Date(SENT.getTime() + LINK_TTL_MS));
    expect(readLinkToken(SECRET, foreign, SENT)).toEqual({ ok: false, problem: 'forged' });
  });

  it.each([
    '',
    'abc',
    `${USER}.123`,
    `${USER}.abc.${'A'.repeat(43)}`,
    `not-a-uuid-not-a-uuid-not-a-uuid-xxxx.1.${'A'.repeat(43)}`,
    `${token()}.extra`,
  ])('is refused as malformed when it does not have the shape of one: %j', (malformed) => {
    expect(readLinkToken(SECRET, malformed, SENT)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('is never made or read with a secret shorter than 32 characters', () => {
    expect(() => makeLinkToken('corta', USER, SENT)).toThrow(/at least 32/);
    expect(() => readLinkToken('corta', token(), SENT)).toThrow(/at least 32/);
  });
});

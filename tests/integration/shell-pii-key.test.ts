// The desktop shell's custody of the PII key, under plain Node: Electron's safeStorage cannot run
// here, so a keychain of the test's own stands in for it, sealing for real (AES-256-GCM under a
// key only that keychain holds), so a sealed file that still held the plain key would be caught.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '#engine/engine.ts';
import { loadOrCreateKeyFile, piiSealerFor } from '#engine/security/key-file.ts';
import { createSealer } from '#engine/security/sealed-json.ts';
import { keychainProtection, piiKeyForEngine, takePiiKeyCustody, type Keychain } from '../../electron/shell/pii-key-custody.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('pii-key');
const newDataDir = tempDirs('pii-key-data', freshDataDir);

function osKeychain(opts: { available?: boolean; backend?: string } = {}): Keychain & { sealedCount: number } {
  const secret = randomBytes(32);
  const keychain = {
    sealedCount: 0,
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString(text: string) {
      keychain.sealedCount++;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decryptString(sealed: Buffer) {
      const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return keychain;
}

const paths = (dir: string) => ({ plain: join(dir, 'keys', 'pii.key'), sealed: join(dir, 'keys', 'pii.key.sealed') });

/** serve mode's key file, as loadOrCreateKeyFile leaves it. */
const serveModeKey = (dir: string) => loadOrCreateKeyFile(paths(dir).plain);

describe('the PII key in the desktop app', () => {
  it('is made on first start and kept sealed by the OS keychain, never as a plain file', () => {
    const dir = newDir();
    const keychain = osKeychain();
    const first = takePiiKeyCustody(dir, keychain, 'linux');
    if (first.kind !== 'keychain') throw new Error(`expected the keychain, got ${first.kind}`);
    expect(first.key).toHaveLength(32);
    expect(first.note).toMatch(/created the PII key, sealed by the OS keychain/);
    const sealedFile = readFileSync(paths(dir).sealed);
    expect(sealedFile.includes(first.key)).toBe(false);
    expect(sealedFile.toString('latin1')).not.toContain(first.key.toString('base64'));
    expect(statSync(paths(dir).sealed).mode & 0o777).toBe(0o600);
    expect(existsSync(paths(dir).plain)).toBe(false);

    const again = takePiiKeyCustody(dir, keychain, 'linux');
    expect(again).toEqual({ kind: 'keychain', key: first.key, note: null });
    expect(keychain.sealedCount).toBe(1);
  });

  it('takes over the plain key serve mode left, so what it sealed still opens, and removes the plain file', () => {
    const dir = newDir();
    const plainKey = serveModeKey(dir);
    const kyc = createSealer(plainKey).seal({ rfc: 'NUÑR800101AB1' }, 'auth.users.kyc_data:1');
    const custody = takePiiKeyCustody(dir, osKeychain(), 'darwin');
    if (custody.kind !== 'keychain') throw new Error(`expected the keychain, got ${custody.kind}`);
    expect(custody.key.equals(plainKey)).toBe(true);
    expect(custody.note).toMatch(/moved the PII key from .*pii\.key into the OS keychain/);
    expect(existsSync(paths(dir).plain)).toBe(false);
    expect(createSealer(custody.key).open(kyc, 'auth.users.kyc_data:1')).toEqual({ rfc: 'NUÑR800101AB1' });
  });

  it('finishes a move that stopped after sealing, and refuses two different keys rather than pick one', () => {
    const dir = newDir();
    const keychain = osKeychain();
    const plainKey = serveModeKey(dir);
    writeFileSync(paths(dir).sealed, keychain.encryptString(plainKey.toString('base64')), { mode: 0o600 });
    expect(takePiiKeyCustody(dir, keychain, 'linux')).toMatchObject({ kind: 'keychain', note: expect.stringMatching(/finished moving/) });
    expect(existsSync(paths(dir).plain)).toBe(false);

    const other = newDir();
    serveModeKey(other);
    mkdirSync(join(other, 'keys'), { recursive: true });
    writeFileSync(paths(other).sealed, keychain.encryptString(randomBytes(32).toString('base64')), { mode: 0o600 });
    expect(takePiiKeyCustody(other, keychain, 'linux')).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/hold different keys/),
    });
    expect(existsSync(paths(other).plain)).toBe(true);
  });

  it.each([
    ['no keychain at all', osKeychain({ available: false }), 'win32', /OS keychain is not available/],
    ['Linux without a keyring (basic_text)', osKeychain({ backend: 'basic_text' }), 'linux', /no keyring .* backend "basic_text"/],
  ] as const)('stays the 0600 file with %s, and says so', (_label, keychain, platform, why) => {
    const dir = newDir();
    const custody = takePiiKeyCustody(dir, keychain, platform);
    expect(custody).toEqual({ kind: 'file', reason: expect.stringMatching(why) });
    expect((custody as { reason: string }).reason).toMatch(/stays in .*pii\.key \(mode 0600\)/);
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    const lines: string[] = [];
    expect(piiKeyForEngine(dir, keychain, (level, line) => lines.push(`${level} ${line}`), platform)).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/^warn .*stays in/)]);
  });

  it("trusts basic_text only where it is not Linux's fixed-password fallback", () => {
    expect(keychainProtection(osKeychain({ backend: 'basic_text' }), 'darwin')).toEqual({ protects: true });
    expect(keychainProtection(osKeychain({ backend: 'kwallet5' }), 'linux')).toEqual({ protects: true });
  });

  it('refuses a sealed key the keychain cannot open now, and makes no second key in its place', async () => {
    const dir = newDataDir();
    const custody = takePiiKeyCustody(dir, osKeychain(), 'linux');
    expect(custody.kind).toBe('keychain');
    expect(takePiiKeyCustody(dir, osKeychain({ available: false }), 'linux')).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/is sealed by the OS keychain, but the OS keychain is not available/),
    });
    expect(takePiiKeyCustody(dir, osKeychain(), 'linux')).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/does not open with this user's OS keychain/),
    });
    const lines: string[] = [];
    expect(piiKeyForEngine(dir, osKeychain(), (level, line) => lines.push(`${level} ${line}`), 'linux')).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/^error .*The till sells meanwhile/)]);

    // The engine started without a key (the shell's fallback, or serve mode) sells but never makes a new key.
    expect(() => loadOrCreateKeyFile(paths(dir).plain)).toThrow(/sealed in the desktop app's OS keychain/);
    expect(() => piiSealerFor(dir).seal({ rfc: 'X' }, 'ctx')).toThrow(/open only in the desktop app/);
    const engine = await openEngine(dir, { purpose: 'test sealed key', devices: false, sync: false });
    try {
      expect(() => engine.services.sealer.seal({ rfc: 'X' }, 'ctx')).toThrow(/open only in the desktop app/);
    } finally {
      await engine.close();
    }
    expect(existsSync(paths(dir).plain)).toBe(false);
  }, 60_000);

  it('hands the engine the key in base64 and logs what it did', () => {
    const dir = newDir();
    const lines: string[] = [];
    const handed = piiKeyForEngine(dir, osKeychain(), (level, line) => lines.push(`${level} ${line}`), 'linux');
    expect(Buffer.from(handed!, 'base64')).toHaveLength(32);
    expect(lines).toEqual([expect.stringMatching(/^info created the PII key/)]);
  });
});

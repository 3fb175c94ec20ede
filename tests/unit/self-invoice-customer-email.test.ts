// The key that seals a self-invoice's customer e-mail at central: one per business, under central's
// data directory beside its CSD, made by the first address sealed and never by whoever only opens.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { customerEmailOf, customerKeyPath, sealCustomerEmail } from '#engine/server/central/self-invoice/customer-email.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const make = tempDirs('customer-email');

const EMAIL = 'emiliano.gomez@ejemplo.mx';

describe('a self-invoice customer’s e-mail at central', () => {
  it('is sealed under a 0600 key the first address makes, under DATA_DIR/businesses/ID/keys, and opens for its own row', () => {
    const dataDir = make();
    const business = uuidv7();
    const row = uuidv7();
    const sealed = sealCustomerEmail(dataDir, business, row, EMAIL);
    expect(customerKeyPath(dataDir, business)).toBe(`${dataDir}/businesses/${business}/keys/pii.key`);
    expect(statSync(customerKeyPath(dataDir, business)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(sealed)).not.toContain('emiliano');
    expect(customerEmailOf(dataDir, { id: row, business_id: business, email: null, email_sealed: sealed })).toBe(EMAIL);
    // The next address is sealed under the same key.
    const next = uuidv7();
    const again = sealCustomerEmail(dataDir, business, next, 'ana@ejemplo.mx');
    expect(again.kid).toBe(sealed.kid);
    // Moved to another row, it does not open.
    expect(() => customerEmailOf(dataDir, { id: next, business_id: business, email: null, email_sealed: sealed })).toThrow(/does not open/);
  });

  it('keeps one key per business: another business’s key does not open it', () => {
    const dataDir = make();
    const [one, other, row] = [uuidv7(), uuidv7(), uuidv7()];
    const sealed = sealCustomerEmail(dataDir, one, row, EMAIL);
    sealCustomerEmail(dataDir, other, uuidv7(), 'ana@ejemplo.mx');
    expect(() => customerEmailOf(dataDir, { id: row, business_id: other, email: null, email_sealed: sealed })).toThrow(
      /sealed with another key/,
    );
  });

  it('is never given a new key by whoever only opens: a missing key says so and makes none', () => {
    const dataDir = make();
    const business = uuidv7();
    const sealed = sealCustomerEmail(make(), business, uuidv7(), EMAIL);
    expect(() => customerEmailOf(dataDir, { id: uuidv7(), business_id: business, email: null, email_sealed: sealed })).toThrow(
      /pii\.key is missing/,
    );
    expect(existsSync(customerKeyPath(dataDir, business))).toBe(false);
  });

  it('refuses a key others can read, and reads the address of a row written before sealing as it is', () => {
    const dataDir = make();
    const business = uuidv7();
    const row = uuidv7();
    const sealed = sealCustomerEmail(dataDir, business, row, EMAIL);
    chmodSync(customerKeyPath(dataDir, business), 0o644);
    expect(() => customerEmailOf(dataDir, { id: row, business_id: business, email: null, email_sealed: sealed })).toThrow(
      /readable by others/,
    );
    expect(customerEmailOf(dataDir, { id: row, business_id: business, email: EMAIL, email_sealed: null })).toBe(EMAIL);
  });
});

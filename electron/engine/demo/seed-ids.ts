// Ids for the demo store's rows derived from the business id and each row's natural key, so
// a terminal whose database had to be rebuilt seeds the very same rows and the journal's
// sales still point at the right register, employees and products. They keep the UUIDv7
// layout (a fixed timestamp, then hash bits) so every id in the database looks alike.
import { createHash } from 'node:crypto';

const SEEDED_AT = Date.UTC(2026, 0, 1);

export function seedId(businessId: string, kind: string, key: string): string {
  const hash = createHash('sha256').update(`${businessId}\u0000${kind}\u0000${key}`).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(SEEDED_AT, 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

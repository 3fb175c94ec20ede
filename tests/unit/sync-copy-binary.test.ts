import { describe, expect, it } from 'vitest';
import { binaryCopy, binaryRow } from '#engine/sync/copy-binary.ts';

describe("PostgreSQL's binary COPY format", () => {
  it('writes a row as its field count, then each field as its length and bytes', () => {
    const row = binaryRow([{ int8: 258 }, { text: 'Núñez' }]);
    const expected = Buffer.concat([
      Buffer.from([0, 2]),
      Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2]),
      // Its length in bytes, not in characters.
      Buffer.from([0, 0, 0, 7]),
      Buffer.from('Núñez', 'utf8'),
    ]);
    expect(row.equals(expected)).toBe(true);
  });

  it('writes a NULL as a length of -1 with no bytes after it', () => {
    const row = binaryRow([{ text: null }, { text: '' }]);
    expect(row.equals(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]))).toBe(true);
  });

  it('frames the rows with the signature, empty flags and header extension, and a field count of -1', () => {
    const rows = [binaryRow([{ text: 'a' }]), binaryRow([{ text: '' }])];
    const copy = binaryCopy(rows);
    expect(copy.subarray(0, 11).equals(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'))).toBe(true);
    expect(copy.readInt32BE(11)).toBe(0);
    expect(copy.readInt32BE(15)).toBe(0);
    expect(copy.subarray(19, -2).equals(Buffer.concat(rows))).toBe(true);
    expect(copy.readInt16BE(copy.length - 2)).toBe(-1);
  });
});

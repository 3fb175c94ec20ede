// PostgreSQL's binary COPY format, for the columns a push stages (bigint, text or NULL): each row
// is its fields' bytes behind their lengths, so nothing in a fact's JSON needs escaping.
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4

export type BinaryField = { int8: number } | { text: string | null };

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** The signature, then no flags and no header extension. */
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);

/** One row: its field count, then each field as its length and bytes. */
export function binaryRow(fields: readonly BinaryField[]): Buffer {
  const bytes = fields.map((f) => ('int8' in f || f.text === null ? null : Buffer.from(f.text, 'utf8')));
  const size = fields.reduce((n, f, i) => n + 4 + ('int8' in f ? 8 : (bytes[i]?.length ?? 0)), 2);
  const row = Buffer.allocUnsafe(size);
  let at = row.writeInt16BE(fields.length, 0);
  for (const [i, f] of fields.entries()) {
    if ('int8' in f) {
      at = row.writeInt32BE(8, at);
      at = row.writeBigInt64BE(BigInt(f.int8), at);
      continue;
    }
    const b = bytes[i];
    // A NULL is a length of -1 and no bytes.
    if (b == null) {
      at = row.writeInt32BE(-1, at);
      continue;
    }
    at = row.writeInt32BE(b.length, at);
    at += b.copy(row, at);
  }
  return row;
}

/** The whole of a COPY ... FROM STDIN (FORMAT binary): header, rows, trailer. */
export function binaryCopy(rows: readonly Buffer[]): Buffer {
  return Buffer.concat([HEADER, ...rows, TRAILER]);
}

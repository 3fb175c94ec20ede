// What durability costs: one journal append (WAL, synchronous=FULL, hash chain) beside a bare
// write + fdatasync of the same bytes on the same disk.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openJournal } from '#db/journal.ts';
import { tempDir } from '../support/local.ts';
import { report, sample } from './stats.ts';

export async function benchJournal() {
  const dir = tempDir('bench-journal');
  try {
    const payload = {
      saleId: '019abf1c-4d2e-7a10-9c3b-5e8f0a1d2c3b',
      receiptNumber: 1234,
      total: '348.5000',
      lines: Array.from({ length: 5 }, (_, i) => ({
        sku: `ABR-00000${i}`,
        name: 'Jalapeños en escabeche 220 g',
        quantity: '1',
        unitPrice: '23.5000',
        taxRate: '0.000000',
      })),
      payments: [{ method: 'CASH', amount: '348.5000', tendered: '500.0000', change: '151.5000' }],
    };
    const bytes = Buffer.from(JSON.stringify(payload));
    const fd = openSync(join(dir, 'bare.bin'), 'a');
    const bare = await sample(500, async () => {
      writeSync(fd, bytes);
      fdatasyncSync(fd);
    });
    closeSync(fd);
    const journal = openJournal(dir);
    let n = 0;
    const append = await sample(500, async () => journal.append('sale.completed', `bench-${n++}`, payload));
    const verifyTimes = await sample(5, async () => journal.verify(), 0);
    journal.close();
    report(
      'Journal append (a 5-line cash sale as JSON)',
      [
        { name: 'baseline: write + fdatasync of the same bytes', times: bare },
        { name: 'journal append (WAL, synchronous=FULL, hash chain)', times: append },
      ],
      'baseline: write + fdatasync of the same bytes',
    );
    report(`Journal verify (${n + 3} facts)`, [{ name: 'walk and rehash the chain', times: verifyTimes }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openJournal } from '#db/journal.ts';
import { tempDirs } from '../support/temp-dirs.ts';
import { fixtureScript } from '../support/fixture-bundle.ts';
import { ROOT } from '../support/run-cli.ts';

const newDir = tempDirs('journal');

const sale = (n: number) => ({ receipt: n, total: `${n}.5000`, cashier: 'Ángela Ibáñez' });

describe('the journal', () => {
  it('numbers facts without gaps, chains their hashes, and continues the chain after a reopen', () => {
    const dir = newDir();
    let journal = openJournal(dir);
    for (let n = 1; n <= 3; n++) expect(journal.append('sale.completed', `sale-${n}`, sale(n)).fact.seq).toBe(n);
    const head = journal.head();
    journal.close();
    journal = openJournal(dir);
    const next = journal.append('shift.closed', 'shift-1', { z: 1 }).fact;
    expect(next).toMatchObject({ seq: 4, prevHash: head.hash });
    expect(journal.verify()).toEqual({ ok: true, facts: 4, head: next.hash });
    expect(journal.after(2).map((f) => f.idempotencyKey)).toEqual(['sale-3', 'shift-1']);
    journal.close();
  });

  it('returns the first fact when the same idempotency key is appended again', () => {
    const journal = openJournal(newDir());
    const first = journal.append('sale.completed', 'sale-1', sale(1));
    const again = journal.append('sale.completed', 'sale-1', sale(999));
    expect(again).toEqual({ fact: first.fact, appended: false });
    expect(journal.head().seq).toBe(1);
    journal.close();
  });

  it('reads the facts whose key starts with a prefix, in order, and no key that only resembles it', () => {
    const journal = openJournal(newDir());
    for (const key of ['card-refund:void:b', 'card-refund;x', 'card-refund:return:a', 'card-refunds', 'card-refun'])
      journal.append('payments.card_refund_asked', key, {});
    expect(journal.keyedFrom('card-refund:').map((f) => f.idempotencyKey)).toEqual(['card-refund:void:b', 'card-refund:return:a']);
    expect(() => journal.keyedFrom('')).toThrow(/cannot be empty/);
    journal.close();
  });

  it('tells its listeners of each fact once it is on disk, never of a repeated key, and stops when asked', () => {
    const dir = newDir();
    const journal = openJournal(dir);
    const heard: { seq: number; key: string; onDisk: number }[] = [];
    // What a listener sees is already readable by another connection: it was committed first.
    const reader = new Database(join(dir, 'journal.sqlite'), { readonly: true });
    const count = reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM facts');
    const stop = journal.onAppend((fact) => heard.push({ seq: fact.seq, key: fact.idempotencyKey, onDisk: count.get()!.n }));
    journal.append('sale.completed', 'sale-1', sale(1));
    journal.append('sale.completed', 'sale-1', sale(1));
    journal.append('sale.completed', 'sale-2', sale(2));
    stop();
    journal.append('sale.completed', 'sale-3', sale(3));
    expect(heard).toEqual([
      { seq: 1, key: 'sale-1', onDisk: 1 },
      { seq: 2, key: 'sale-2', onDisk: 2 },
    ]);
    reader.close();
    journal.close();
  });

  it('keeps a fact appended when a listener throws, and still tells the other listeners', () => {
    const failures: string[] = [];
    const journal = openJournal(newDir(), { onListenerError: (err, fact) => failures.push(`${fact.seq}: ${(err as Error).message}`) });
    const heard: number[] = [];
    journal.onAppend(() => {
      throw new Error('the printer reaction fell over');
    });
    journal.onAppend((fact) => heard.push(fact.seq));
    expect(journal.append('sale.completed', 'sale-1', sale(1))).toMatchObject({ appended: true, fact: { seq: 1 } });
    expect(heard).toEqual([1]);
    expect(failures).toEqual(['1: the printer reaction fell over']);
    expect(journal.find('sale-1')).toMatchObject({ seq: 1 });
    journal.close();
  });

  it('writes through WAL with synchronous FULL', () => {
    const journal = openJournal(newDir());
    expect(journal.settings()).toEqual({ journalMode: 'wal', synchronous: 2 });
    journal.close();
  });

  it('refuses to change or remove a fact', () => {
    const dir = newDir();
    openJournal(dir).append('sale.completed', 'sale-1', sale(1));
    const raw = new Database(join(dir, 'journal.sqlite'));
    expect(() => raw.prepare(`UPDATE facts SET payload = '{}'`).run()).toThrow('the journal is append-only');
    expect(() => raw.prepare('DELETE FROM facts').run()).toThrow('the journal is append-only');
    raw.close();
  });

  it('reports the first fact edited behind its back', () => {
    const dir = newDir();
    const journal = openJournal(dir);
    for (let n = 1; n <= 5; n++) journal.append('sale.completed', `sale-${n}`, sale(n));
    const raw = new Database(join(dir, 'journal.sqlite'));
    raw.exec('DROP TRIGGER facts_no_update');
    raw.prepare(`UPDATE facts SET payload = replace(payload, '3.5000', '0.5000') WHERE seq = 3`).run();
    raw.close();
    expect(journal.verify()).toEqual({
      ok: false,
      facts: 2,
      brokenAt: 3,
      reason: 'its content does not match its hash (edited after it was written)',
    });
    journal.close();
  });

  it('reports facts that went missing', () => {
    const dir = newDir();
    const journal = openJournal(dir);
    for (let n = 1; n <= 5; n++) journal.append('sale.completed', `sale-${n}`, sale(n));
    const raw = new Database(join(dir, 'journal.sqlite'));
    raw.exec('DROP TRIGGER facts_no_delete');
    raw.prepare('DELETE FROM facts WHERE seq = 4').run();
    raw.close();
    expect(journal.verify()).toMatchObject({ ok: false, brokenAt: 5, reason: 'sequence jumps from 3 to 5 (facts missing)' });
    journal.close();
  });

  it('refuses a journal written by a newer version', () => {
    const dir = newDir();
    openJournal(dir).close();
    const raw = new Database(join(dir, 'journal.sqlite'));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openJournal(dir)).toThrow('the journal was written by a newer version of this app (format 99)');
  });

  it('refuses a malformed kind or key', () => {
    const journal = openJournal(newDir());
    expect(() => journal.append('DROP TABLE', 'k', {})).toThrow('not a fact kind');
    expect(() => journal.append('sale.completed', '', {})).toThrow('an idempotency key is 1 to 200 characters');
    journal.close();
  });
});

describe('the journal under SIGKILL', () => {
  it('keeps every acknowledged fact, once, with an intact chain, across ten kills', async () => {
    const dir = newDir();
    const acked = new Map<string, number>();
    const fixture = await fixtureScript('journal-appender');
    for (let run = 0; run < 10; run++) {
      const child = spawn(process.execPath, [fixture, dir, `run${run}`], { cwd: ROOT });
      let buffer = '';
      const started = new Promise<void>((resolve) =>
        child.stdout.on('data', (d) => {
          buffer += d;
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) {
            if (line === 'ready') resolve();
            const m = /^ack (\S+) (\d+)$/.exec(line);
            if (m) acked.set(m[1]!, Number(m[2]));
          }
        }),
      );
      await started;
      await new Promise((r) => setTimeout(r, 50 + ((run * 37) % 150)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const journal = openJournal(dir);
    const verification = journal.verify();
    expect(verification.ok).toBe(true);
    expect(acked.size).toBeGreaterThan(100);
    for (const [key, seq] of acked) expect(journal.find(key)?.seq, key).toBe(seq);
    const all = journal.after(0, 1_000_000);
    expect(new Set(all.map((f) => f.idempotencyKey)).size).toBe(all.length);
    journal.close();
  });
});

describe('pos journal verify', () => {
  it('says the chain verifies, and names the first broken fact with a non-zero exit', async () => {
    const { runPos } = await import('../support/run-cli.ts');
    const dir = newDir();
    const journal = openJournal(dir);
    for (let n = 1; n <= 4; n++) journal.append('sale.completed', `sale-${n}`, sale(n));
    journal.close();
    const good = await runPos(['journal', 'verify', '--data-dir', dir]);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(good.stdout).toMatch(/^journal verifies: 4 facts, head [0-9a-f]{16}\n$/);
    const raw = new Database(join(dir, 'journal.sqlite'));
    raw.exec('DROP TRIGGER facts_no_update');
    raw.prepare(`UPDATE facts SET kind = 'sale.voided' WHERE seq = 2`).run();
    raw.close();
    const bad = await runPos(['journal', 'verify', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'pos: journal broken at fact 2: its content does not match its hash (edited after it was written) (1 facts before it verify)\n',
    );
    const none = await runPos(['journal', 'verify', '--data-dir', newDir()]);
    expect(none.stderr).toMatch(/^pos: no journal in /);
  });
});

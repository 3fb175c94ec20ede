// The push's reads of the journal: each batch's facts worked out for central (outgoing-fact.ts),
// and the next batch's read while central applies this one. A catch-up's batches then cost the
// push central's time alone, not central's and then the journal's and the JSON's in turn.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Journal } from '#db/journal.ts';
import { outgoingFact, type OutgoingFact } from './outgoing-fact.ts';

/** Facts read ahead a turn of the event loop at a time: an answer from central waits behind at most this many. */
const STEP = 10;

export class BatchReader {
  readonly #journal: Pick<Journal, 'after'>;
  /** The facts after `from`, read while the batch ending at `from` was sent. */
  #ahead: { from: number; facts: OutgoingFact[] } | null = null;

  constructor(journal: Pick<Journal, 'after'>) {
    this.#journal = journal;
  }

  /** At most `size` facts after `cursor`: those read ahead for it, topped up from the journal. What is left stays for the next take. */
  take(cursor: number, size: number): OutgoingFact[] {
    const ahead = this.#ahead?.from === cursor ? this.#ahead.facts : [];
    const kept = ahead.slice(0, size);
    this.#ahead = ahead.length > size ? { from: kept.at(-1)!.fact.seq, facts: ahead.slice(size) } : null;
    if (kept.length === size) return kept;
    const last = kept.at(-1)?.fact.seq ?? cursor;
    return kept.concat(this.#journal.after(last, size - kept.length).map(outgoingFact));
  }

  /**
   * Runs `send` (the batch's delivery) and meanwhile reads on after it, a step a turn, until
   * `ahead` facts are ready for the next take (the most the next batch may carry: a batch that
   * grew found only half of itself read ahead, and read the rest while central waited). Kept for
   * the next take only if `send` succeeded; a failure sends the batch again, from a cursor take
   * reads afresh.
   */
  async whileSending<T>(batch: readonly OutgoingFact[], ahead: number, send: () => Promise<T>): Promise<T> {
    const from = batch.at(-1)?.fact.seq;
    if (from === undefined) return send();
    const held = this.#ahead?.from === from ? this.#ahead.facts : [];
    this.#ahead = null;
    const stop = { now: false };
    const next = this.#readAfter(held.at(-1)?.fact.seq ?? from, ahead - held.length, stop);
    try {
      const sent = await send();
      this.#ahead = { from, facts: held.concat(await next) };
      return sent;
    } finally {
      stop.now = true;
      await next;
    }
  }

  /** Drops what was read ahead (the pass ended; the next one may start from elsewhere). */
  forget(): void {
    this.#ahead = null;
  }

  async #readAfter(after: number, size: number, stop: { now: boolean }): Promise<OutgoingFact[]> {
    const facts: OutgoingFact[] = [];
    try {
      let last = after;
      while (facts.length < size) {
        await nextTurn();
        if (stop.now) return facts;
        const read = this.#journal.after(last, Math.min(STEP, size - facts.length));
        if (read.length === 0) return facts;
        for (const fact of read) facts.push(outgoingFact(fact));
        last = read.at(-1)!.seq;
      }
    } catch {
      // A read that fails here fails again in take, where the push hears of it.
    }
    return facts;
  }
}

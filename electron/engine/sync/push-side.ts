// The push: a register's journal to central in sequence order, one central transaction per
// batch, on a connection of its own with its own backoff. It keeps the schedule, the cursor in
// sync.sqlite and the status; a courier (batch-courier.ts) reads and delivers each batch, on a
// thread of its own in the engine. What it holds is all a push needs, so the engine's loop
// composes it beside the pull, and a chain-scale test runs two hundred of them without a PGlite
// behind each.
import type { Journal } from '#db/journal.ts';
import type { BatchCourier, Delivered } from './batch-courier.ts';
import { batchSizing, firstBatchSize, isBatchTimeout, largestNextBatch, nextBatchSize } from './batch-size.ts';
import { ChainMismatch, CursorMismatch, type Head } from './central-ledger.ts';
import { sideFrom, sideSucceeded, type Side } from './loop-sides.ts';
import type { LoopOutcome, PushState } from './push-state.ts';
import { Rest } from './rest.ts';
import type { Backoff } from './retry-policy.ts';
import { afterFailure } from './side-failure.ts';
import type { SyncConfig } from './sync-config.ts';
import { log } from '../log/logger.ts';

export type PushSideDeps = {
  /** Read here for its head (is there anything to push) and to meet central's head; the courier reads the facts. */
  journal: Journal;
  /** Where the cursor and what central refused are kept; the caller opens and closes it. */
  state: PushState;
  /** Delivers the batches; ended by stop(). */
  courier: BatchCourier;
  config: Pick<SyncConfig, 'batchSize'>;
  now?: () => Date;
  backoff?: Backoff;
  /** The backoff's jitter, a number from 0 up to 1 (Math.random; a test fixes it). */
  random?: () => number;
  /** How long the push rests when there is nothing to do (a kick wakes it sooner). */
  idleMs?: number;
  /** The side as the last run left it (the status shown before the first attempt). */
  initial?: Side;
  /** Runs before each pass of the run loop (the engine turns new audit entries into facts there). */
  beforePass?: () => Promise<void>;
  /**
   * After every attempt and every batch central committed: the side as it now stands, what else
   * changed, and whether the cursor moved (the count of facts waiting changed with it).
   */
  onSettle?: (side: Side, change: Partial<LoopOutcome>, opts: { cursorMoved?: boolean }) => void;
  /** After a failed pass, before the rest (the engine's long-outage alert). */
  afterFailure?: () => Promise<void>;
  /** Central took a batch or a pass after failed ones: the pull need not rest out its backoff. */
  onCentralBack?: () => void;
};

/** A fact appended within this long means a cashier is at the counter. */
const COUNTER_BUSY_MS = 1_000;

export class PushSide {
  readonly #deps: PushSideDeps;
  readonly #now: () => Date;
  readonly #rest: Rest;
  readonly #sizing: ReturnType<typeof batchSizing>;
  #batchSize: number;
  #failures = 0;
  #side: Side;
  #running: Promise<void> | undefined;
  #stopped = false;
  #appendedAt = Number.NEGATIVE_INFINITY;

  constructor(deps: PushSideDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#side = deps.initial ?? sideFrom(deps.state.outcome());
    this.#rest = new Rest(() => this.#stopped);
    this.#sizing = batchSizing(deps.config.batchSize);
    this.#batchSize = firstBatchSize(this.#sizing);
  }

  /** How the last attempt went. */
  get side(): Side {
    return this.#side;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** A fact was appended: push it now rather than at the next idle tick (never cuts a backoff short). */
  kick(): void {
    this.#appendedAt = performance.now();
    this.#rest.kick();
  }

  /** The pull reached central after failing: a backoff rest ends now (a kick never cuts one). */
  centralBack(): void {
    this.#rest.centralBack();
  }

  /** Lets a batch in flight finish, then closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#rest.kick();
    await this.#running;
    await this.#deps.courier.end();
  }

  /** Pushes everything there is now; answers how many facts central took or set aside. Throws what the run loop would record. */
  async pass(): Promise<number> {
    const { courier } = this.#deps;
    let failed = false;
    try {
      return await this.#pushAll(await courier.open());
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      await courier.close(failed);
    }
  }

  async #run(): Promise<void> {
    const { journal, state } = this.#deps;
    while (!this.#stopped) {
      let wait = this.#deps.idleMs ?? 2_000;
      await this.#deps.beforePass?.();
      // Healthy and nothing new: no round trip at all.
      if (this.#failures === 0 && this.#side.online === true && this.#side.error === null && journal.head().seq <= state.cursor()) {
        await this.#rest.sleep(wait, true);
        continue;
      }
      try {
        await this.pass();
        this.#recovered();
        this.#settle(sideSucceeded(Date.now()));
      } catch (err) {
        this.#failures++;
        const failed = afterFailure(this.#side, err, this.#failures, {
          nowIso: this.#now().toISOString(),
          at: Date.now(),
          backoff: this.#deps.backoff,
          random: this.#deps.random,
        });
        this.#settle(failed.side);
        wait = failed.restMs;
        await this.#deps.afterFailure?.();
      }
      await this.#rest.sleep(wait, this.#failures === 0);
    }
  }

  /**
   * Central's ledger says where this terminal's facts stand there: behind the cursor after central
   * was restored from a backup, ahead of it when a COMMIT's answer was lost. Moving there is right
   * only when central's last fact is this journal's fact of that seq. Otherwise central holds facts
   * this journal never wrote (a register provisioned again on new hardware, a data directory
   * restored from an older copy): moving there would take the journal's own facts up to central's
   * head as already sent, and never send those sales. Checked at every connection, even where the
   * cursor already agrees: a new journal that has reached central's head by the time it first
   * connects agrees with central's seq and with nothing else.
   */
  #meetCentral(central: Head): void {
    const notOurs = (what: string) =>
      new ChainMismatch(
        `${what}: it is not the journal central received them from (a register provisioned again, or a copy restored from before); a person has to look`,
      );
    const own = this.#deps.journal.head().seq;
    if (central.seq > own)
      throw notOurs(`central holds this register's facts up to ${central.seq}, and this terminal's journal ends at ${own}`);
    const [fact] = central.seq > 0 ? this.#deps.journal.after(central.seq - 1, 1) : [];
    if (fact && fact.hash !== central.hash)
      throw notOurs(`central's fact ${central.seq} for this register is not this terminal's fact ${central.seq}`);
    if (central.seq !== this.#deps.state.cursor()) this.#deps.state.resetCursor(central.seq);
  }

  async #pushAll(central: Head | null): Promise<number> {
    const { state, courier } = this.#deps;
    if (central !== null) this.#meetCentral(central);
    let pushed = 0;
    let took = 0;
    for (;;) {
      if (this.#stopped && pushed > 0) return pushed;
      await this.#yieldToCounter(took);
      const size = this.#batchSize;
      const started = performance.now();
      let delivery: Delivered | null;
      try {
        delivery = await courier.deliver(state.cursor(), size, this.#now().toISOString(), largestNextBatch(size, this.#sizing));
      } catch (err) {
        if (err instanceof CursorMismatch) {
          this.#meetCentral({ seq: err.centralHead, hash: err.centralHash });
          continue;
        }
        if (isBatchTimeout(err)) this.#batchSize = nextBatchSize(size, 'timed out', this.#sizing);
        throw err;
      }
      if (delivery === null) return pushed;
      took = performance.now() - started;
      this.#batchSize = nextBatchSize(size, { facts: delivery.facts, ms: took }, this.#sizing);
      // Central committed: the outage behind it is over. A failure from here on (the next
      // batch's COMMIT answer lost) is retried at once, not after the outage's long backoff.
      this.#recovered();
      const at = this.#now().toISOString();
      state.advance(
        delivery.head,
        delivery.refused.map((r) => ({ ...r, at })),
      );
      for (const r of delivery.refused)
        log.warn({ seq: r.seq, kind: r.kind, reason: r.reason }, `sync: central set fact #${r.seq} (${r.kind}) aside: ${r.reason}`);
      pushed += delivery.applied + delivery.refused.length;
      // A batch central committed is proof it is there: the badge turns green now, not after
      // the rest of a long catch-up. The count of facts waiting changed even when the outcome
      // did not (a clock that reads the same, a second batch): the badge hears of it either way.
      this.#settle(sideSucceeded(Date.now()), { lastPushAt: at }, { cursorMoved: true });
    }
  }

  /**
   * Between two batches of a catch-up while a cashier is selling (a fact appended within the last
   * second), the push rests as long as its last batch took. A batch keeps the push's thread busy
   * readying the next (and central's server, where it shares the machine), and on a register's
   * two cores that is time a sale waits for: the catch-up goes at half speed while the counter is
   * busy, at full speed when it is not.
   */
  async #yieldToCounter(lastBatchMs: number): Promise<void> {
    if (lastBatchMs === 0 || performance.now() - this.#appendedAt > COUNTER_BUSY_MS) return;
    if (this.#deps.journal.head().seq <= this.#deps.state.cursor()) return;
    await this.#rest.sleep(lastBatchMs, false);
  }

  #recovered(): void {
    if (this.#failures > 0) this.#deps.onCentralBack?.();
    this.#failures = 0;
  }

  #settle(side: Side, change: Partial<LoopOutcome> = {}, opts: { cursorMoved?: boolean } = {}): void {
    this.#side = side;
    this.#deps.onSettle?.(side, change, opts);
  }
}

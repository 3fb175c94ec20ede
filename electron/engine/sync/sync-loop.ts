// The background loop: push the journal to central in sequence order, pull the catalog, staff
// and settings back, and say how it is going. Selling never waits for it: the journal is read
// outside PGlite, pulled rows go through the engine's write queue in short batches, and every
// failure is a status, never an exception in a cashier's path.
//
// The push and the pull are two loops, each on its own connection (two per register, no more)
// with its own schedule and backoff: a 10,000-fact catch-up or a push stuck behind a lock never
// holds a price change back, and a pull that fails never delays a sale's push. The pull asks
// central every probeEveryMs whether anything it pulls changed (pull-schedule.ts) and pulls when
// it did, and every pullEverySeconds regardless.
import pg from 'pg';
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { Terminal } from '../terminal.ts';
import { batchSizing, firstBatchSize, isBatchTimeout, nextBatchSize } from './batch-size.ts';
import { centralHead, ChainMismatch, CursorMismatch, deliverBatch } from './central-ledger.ts';
import { CentralNotReady, checkCentral } from './central-check.ts';
import { combineSides, sideFailed, sideFrom, sideSucceeded, type Side } from './loop-sides.ts';
import { openPushState, type LoopOutcome, type PushState } from './push-state.ts';
import { DEFAULT_SETTLE_SECONDS, pullAll, readChangeMark, type PullResult } from './pull.ts';
import { PullSchedule } from './pull-schedule.ts';
import { backoffDelay, DEFAULT_BACKOFF, isConnectionFailure, isLockOrTimeout, isRefusedLogin, type Backoff } from './retry-policy.ts';
import type { SyncConfig } from './sync-config.ts';
import { composeStatus, type SyncStatus } from './sync-status.ts';
import { describeSyncError } from './sync-errors.ts';
import { log } from '../log/logger.ts';
import { AUDIT_BATCH, forwardAudit } from '../services/audit/audit-forward.ts';
import { forgetStoreSettings } from '../services/settings/store-settings.ts';

const KICK_DELAY_MS = 250;

export type SyncLoopDeps = {
  dataDir: string;
  journal: Journal;
  local: SqlDatabase;
  terminal: Terminal;
  config: SyncConfig;
  writes?: <T>(fn: () => Promise<T>) => Promise<T>;
  now?: () => Date;
  backoff?: Backoff;
  /** The backoff's jitter, a number from 0 up to 1 (Math.random; a test fixes it). */
  random?: () => number;
  /** How long the push rests when there is nothing to do (a new fact wakes it at once). */
  idleMs?: number;
  /** Seconds a central row must be old before it is pulled (see pull.ts). */
  settleSeconds?: number;
  onStatus?: (status: SyncStatus) => void;
  /** Called once per outage that lasted longer than config.alertAfterMinutes. */
  onLongOutage?: (status: SyncStatus) => Promise<void>;
};

type Which = 'push' | 'pull';

export class SyncLoop {
  readonly #deps: SyncLoopDeps;
  readonly #state: PushState;
  readonly #now: () => Date;
  readonly #pools: Record<Which, pg.Pool>;
  readonly #rests: Record<Which, Rest>;
  readonly #failures: Record<Which, number> = { push: 0, pull: 0 };
  readonly #sides: Record<Which, Side>;
  #outcome: LoopOutcome;
  #pushing: Promise<void> | undefined;
  #pulling: Promise<void> | undefined;
  #stopped = false;
  readonly #checked = new WeakSet<pg.PoolClient>();
  #statusSoon: NodeJS.Timeout | undefined;
  #noHeartbeat = false;
  #alertedFor: string | null = null;
  readonly #sizing: ReturnType<typeof batchSizing>;
  #batchSize: number;
  readonly #schedule: PullSchedule;

  constructor(deps: SyncLoopDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#state = openPushState(deps.dataDir);
    this.#outcome = this.#state.outcome();
    this.#alertedFor = this.#outcome.failingSince;
    this.#sides = { push: sideFrom(this.#outcome), pull: sideFrom(this.#outcome) };
    this.#pools = { push: this.#openPool('push'), pull: this.#openPool('pull') };
    this.#rests = { push: new Rest(() => this.#stopped), pull: new Rest(() => this.#stopped) };
    this.#sizing = batchSizing(deps.config.batchSize);
    this.#batchSize = firstBatchSize(this.#sizing);
    this.#schedule = new PullSchedule({
      settleSeconds: deps.settleSeconds ?? DEFAULT_SETTLE_SECONDS,
      pullEveryMs: deps.config.pullEverySeconds * 1000,
      probeEveryMs: deps.config.probeEveryMs,
    });
  }

  /** One connection for each side: the push's and the pull's never wait for each other. */
  #openPool(which: Which): pg.Pool {
    const pool = new pg.Pool({
      connectionString: this.#deps.config.url,
      max: 1,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // A central that stops answering mid-batch (a dropped link, a stalled proxy) must not
      // hold the loop forever; the batch is simply sent again.
      query_timeout: 60_000,
      keepAlive: true,
      // Node's default leaves the OS's two hours before the first probe: a dead central is noticed in seconds instead.
      keepAliveInitialDelayMillis: 10_000,
      options: '-c TimeZone=UTC',
      application_name: `pos-terminal ${this.#deps.terminal.registerId} ${which}`,
    });
    // A connection central cuts (a restart, pg_terminate_backend) fails the query that used it;
    // the 'error' event it also emits, idle or checked out, is not news and must not crash the engine.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return pool;
  }

  start(): void {
    this.#pushing ??= this.#runPush();
    this.#pulling ??= this.#runPull();
  }

  /** A fact was appended: push it now rather than at the next idle tick; with pull, pull everything now too. */
  kick(opts: { pull?: boolean } = {}): void {
    if (opts.pull) {
      this.#schedule.ask();
      this.#rests.pull.kick();
    }
    // One more fact waiting: the badge's count moves now, not when the push is done, but off
    // the sale's own path and once for a burst of facts.
    if (!this.#stopped && this.#deps.onStatus && !this.#statusSoon) {
      this.#statusSoon = setTimeout(() => {
        this.#statusSoon = undefined;
        if (!this.#stopped) this.#deps.onStatus?.(this.status());
      }, 100);
      this.#statusSoon.unref();
    }
    this.#rests.push.kick();
  }

  get running(): boolean {
    return this.#pushing !== undefined && !this.#stopped;
  }

  /** Lets a batch or a pull in flight finish, then closes both connections. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#statusSoon);
    this.#rests.push.kick();
    this.#rests.pull.kick();
    await Promise.all([this.#pushing, this.#pulling]);
    await Promise.all([this.#pools.push.end().catch(() => {}), this.#pools.pull.end().catch(() => {})]);
    this.#state.close();
  }

  status(): SyncStatus {
    const cursor = this.#state.cursor();
    const head = this.#deps.journal.head().seq;
    const [next] = head > cursor ? this.#deps.journal.after(cursor, 1) : [];
    return composeStatus({
      centralUrl: this.#deps.config.url,
      outcome: this.#outcome,
      cursor,
      head,
      oldestPendingAt: next?.recordedAt ?? null,
      quarantined: this.#state.quarantined(),
    });
  }

  /** One full pass, for tests and `pos sync now`: push everything, then pull everything. Throws what the loop would record. */
  async syncOnce(opts: { pull?: boolean } = {}): Promise<{ pushed: number; pulled: number }> {
    await this.#forwardAudit();
    let pushed = 0;
    let pushFailure: unknown = null;
    try {
      pushed = await this.#pushPass();
    } catch (err) {
      // A push that waits on a lock another session holds (an import, a register cut off
      // mid-push) has nothing to do with the catalog: the pull still comes down meanwhile.
      if (!isLockOrTimeout(err)) throw err;
      pushFailure = err;
    }
    const pulled = opts.pull === false ? 0 : ((await this.#pullPass(true))?.rows ?? 0);
    if (pushFailure) throw pushFailure;
    return { pushed, pulled };
  }

  async #runPush(): Promise<void> {
    while (!this.#stopped) {
      let wait = this.#deps.idleMs ?? 2_000;
      await this.#forwardAudit();
      const side = this.#sides.push;
      // Healthy and nothing new: no round trip at all.
      if (
        this.#failures.push === 0 &&
        side.online === true &&
        side.error === null &&
        this.#deps.journal.head().seq <= this.#state.cursor()
      ) {
        await this.#rests.push.sleep(wait, true);
        continue;
      }
      try {
        await this.#pushPass();
        this.#failures.push = 0;
        this.#settle('push', sideSucceeded(Date.now()));
      } catch (err) {
        this.#failures.push++;
        wait = this.#fail('push', err);
        await this.#maybeAlert();
      }
      await this.#rests.push.sleep(wait, this.#failures.push === 0);
    }
  }

  async #runPull(): Promise<void> {
    while (!this.#stopped) {
      let wait: number;
      try {
        await this.#pullPass(false);
        this.#failures.pull = 0;
        this.#settle('pull', sideSucceeded(Date.now()));
        wait = this.#schedule.restMs(Date.now());
      } catch (err) {
        this.#failures.pull++;
        wait = this.#fail('pull', err);
        await this.#maybeAlert();
      }
      await this.#rests.pull.sleep(wait, this.#failures.pull === 0);
    }
  }

  /** Records a side's failure; answers how long that side rests before trying again. */
  #fail(which: Which, err: unknown): number {
    const refusedLogin = isRefusedLogin(err);
    const blocked = err instanceof CentralNotReady || err instanceof ChainMismatch || refusedLogin;
    // Online: central answered and let us in, even if it then refused something.
    const online = !refusedLogin && (blocked || ((err as { code?: string }).code !== undefined && !isConnectionFailure(err)));
    const error = describeSyncError(err);
    this.#settle(
      which,
      sideFailed(this.#sides[which], { online, error, blocked: blocked ? error : null }, this.#now().toISOString(), Date.now()),
    );
    const delay = backoffDelay(this.#failures[which], this.#deps.backoff ?? DEFAULT_BACKOFF, this.#deps.random);
    return blocked ? Math.max(30_000, delay) : delay;
  }

  /** Checks a connection once: central knows this login as this register and has this terminal's migrations. Answers whether it was new. */
  async #ready(client: pg.PoolClient): Promise<boolean> {
    if (this.#checked.has(client)) return false;
    await checkCentral(client, this.#deps.terminal.registerId);
    this.#checked.add(client);
    return true;
  }

  async #pushPass(): Promise<number> {
    const client = await this.#pools.push.connect();
    let broken: Error | undefined;
    try {
      return await this.#pushAll(client, await this.#ready(client));
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async #pushAll(client: pg.PoolClient, freshConnection: boolean): Promise<number> {
    const registerId = this.#deps.terminal.registerId;
    // Central's ledger is where this terminal really is: behind after central was restored
    // from a backup, ahead when this terminal's last answer was lost. Asked once per connection;
    // within one, a batch that finds otherwise answers CursorMismatch.
    if (freshConnection) {
      const head = await centralHead(client, registerId);
      if (head.seq !== this.#state.cursor()) this.#state.resetCursor(head.seq);
    }
    let pushed = 0;
    for (;;) {
      if (this.#stopped && pushed > 0) return pushed;
      const size = this.#batchSize;
      const facts = this.#deps.journal.after(this.#state.cursor(), size);
      if (facts.length === 0) return pushed;
      const started = performance.now();
      let delivery: Awaited<ReturnType<typeof deliverBatch>>;
      try {
        delivery = await deliverBatch(client, registerId, facts, this.#now);
      } catch (err) {
        if (err instanceof CursorMismatch) {
          this.#state.resetCursor(err.centralHead);
          continue;
        }
        if (isBatchTimeout(err)) this.#batchSize = nextBatchSize(size, 'timed out', this.#sizing);
        throw err;
      }
      this.#batchSize = nextBatchSize(size, { facts: facts.length, ms: performance.now() - started }, this.#sizing);
      // Central committed: the outage behind it is over. A failure from here on (the next
      // batch's COMMIT answer lost) is retried at once, not after the outage's long backoff.
      this.#failures.push = 0;
      const at = this.#now().toISOString();
      this.#state.advance(
        delivery.head,
        delivery.refused.map((r) => ({ ...r, at })),
      );
      for (const r of delivery.refused)
        log.warn({ seq: r.seq, kind: r.kind, reason: r.reason }, `sync: central set fact #${r.seq} (${r.kind}) aside: ${r.reason}`);
      pushed += delivery.applied + delivery.refused.length;
      // A batch central committed is proof it is there: the badge turns green now, not after
      // the rest of a long catch-up. The count of facts waiting changed even when the outcome
      // did not (a clock that reads the same, a second batch): the badge hears of it either way.
      this.#settle('push', sideSucceeded(Date.now()), { lastPushAt: at }, { cursorMoved: true });
    }
  }

  /**
   * Asks central whether anything changed and pulls everything when it did, when a pull is
   * asked for or due anyway, or always (`force`). Answers the pull, or null when none was needed.
   */
  async #pullPass(force: boolean): Promise<PullResult | null> {
    const client = await this.#pools.pull.connect();
    let broken: Error | undefined;
    try {
      await this.#ready(client);
      this.#schedule.observe(await readChangeMark(client), Date.now());
      if (!force && !this.#schedule.pullDue(Date.now())) return null;
      return await this.#pull(client);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** New audit entries become facts for the push; a local failure is logged and tried next time round. */
  async #forwardAudit(): Promise<void> {
    try {
      while ((await forwardAudit(this.#deps.local, this.#deps.journal, this.#deps.writes ?? ((fn) => fn()))) === AUDIT_BATCH);
    } catch (err) {
      if (!this.#stopped) log.warn({ err }, 'sync: the audit trail could not be forwarded; trying again');
    }
  }

  async #pull(client: pg.PoolClient): Promise<PullResult> {
    await this.#heartbeat(client);
    const result = await pullAll(client, this.#deps.local, {
      ...(this.#deps.writes ? { writes: this.#deps.writes } : {}),
      ...(this.#deps.settleSeconds !== undefined ? { settleSeconds: this.#deps.settleSeconds } : {}),
    });
    // A setting central changed (the self-invoicing page, say) is on the next receipt, not after the cache's 30 s.
    if (result.tables['business.settings']) forgetStoreSettings();
    this.#schedule.pulled(result.horizonUs, Date.now());
    this.#settle('pull', sideSucceeded(Date.now()), { lastPullAt: this.#now().toISOString() });
    return result;
  }

  /**
   * Tells central this register is alive, so central can report one that goes quiet during a
   * shift. A central not yet migrated to know the call (42883) is not asked again.
   */
  async #heartbeat(client: pg.PoolClient) {
    if (this.#noHeartbeat) return;
    try {
      await client.query('SELECT sync.heartbeat()');
    } catch (err) {
      if ((err as { code?: string }).code !== '42883') throw err;
      this.#noHeartbeat = true;
    }
  }

  /** A side's latest attempt, with anything else that changed; the status hears of it when the outcome moved. */
  #settle(which: Which, side: Side, change: Partial<LoopOutcome> = {}, opts: { cursorMoved?: boolean } = {}): void {
    this.#sides[which] = side;
    const next = { ...this.#outcome, ...change, ...combineSides(this.#sides.push, this.#sides.pull, this.#outcome.online) };
    const changed = JSON.stringify(next) !== JSON.stringify(this.#outcome);
    this.#outcome = next;
    if (next.failingSince === null) this.#alertedFor = null;
    if (changed) this.#state.recordOutcome(next);
    if (changed || opts.cursorMoved) this.#deps.onStatus?.(this.status());
  }

  async #maybeAlert(): Promise<void> {
    const since = this.#outcome.failingSince;
    if (!since || this.#alertedFor === since || !this.#deps.onLongOutage) return;
    if (this.#now().getTime() - Date.parse(since) < this.#deps.config.alertAfterMinutes * 60_000) return;
    this.#alertedFor = since;
    await this.#deps.onLongOutage(this.status()).catch((err: unknown) => log.warn({ err }, 'sync: the outage notification failed'));
  }
}

/**
 * A side's rest between passes. A kick cuts an idle rest short (after 250 ms, so a burst of
 * sales shares one batch) but never a backoff: sales arriving while central is down must not
 * turn into a retry storm. stop() cuts either.
 */
class Rest {
  readonly #stopped: () => boolean;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(stopped: () => boolean) {
    this.#stopped = stopped;
  }

  kick(): void {
    this.#woken = true;
    this.#wake?.();
  }

  sleep(ms: number, kickable: boolean): Promise<void> {
    if (this.#stopped()) return Promise.resolve();
    if (kickable && this.#woken) ms = Math.min(ms, KICK_DELAY_MS);
    this.#woken = false;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#wake = () => {
        if (this.#stopped()) finish();
        else if (kickable) {
          clearTimeout(timer);
          setTimeout(finish, KICK_DELAY_MS);
        }
      };
    });
  }
}

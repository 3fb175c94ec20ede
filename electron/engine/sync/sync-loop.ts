// The background loop: push the journal to central in sequence order, pull the catalog, staff
// and settings back, and say how it is going. Selling never waits for it: the journal is read
// outside PGlite, pulled rows go through the engine's write queue in short batches, and every
// failure is a status, never an exception in a cashier's path.
import pg from 'pg';
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { Terminal } from '../terminal.ts';
import { centralHead, ChainMismatch, CursorMismatch, deliverBatch } from './central-ledger.ts';
import { CentralNotReady, checkCentral } from './central-check.ts';
import { openPushState, type LoopOutcome, type PushState } from './push-state.ts';
import { pullAll } from './pull.ts';
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
  /** How long to rest when there is nothing to do (a new fact wakes the loop at once). */
  idleMs?: number;
  /** Seconds a central row must be old before it is pulled (see pull.ts). */
  settleSeconds?: number;
  onStatus?: (status: SyncStatus) => void;
  /** Called once per outage that lasted longer than config.alertAfterMinutes. */
  onLongOutage?: (status: SyncStatus) => Promise<void>;
};

export class SyncLoop {
  readonly #deps: SyncLoopDeps;
  readonly #state: PushState;
  readonly #pool: pg.Pool;
  readonly #now: () => Date;
  #outcome: LoopOutcome;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #woken = false;
  #failures = 0;
  readonly #checked = new WeakSet<pg.PoolClient>();
  #statusSoon: NodeJS.Timeout | undefined;
  #lastPull = 0;
  #noHeartbeat = false;
  #alertedFor: string | null = null;

  constructor(deps: SyncLoopDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#state = openPushState(deps.dataDir);
    this.#outcome = this.#state.outcome();
    this.#alertedFor = this.#outcome.failingSince;
    this.#pool = new pg.Pool({
      connectionString: deps.config.url,
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
      application_name: `pos-terminal ${deps.terminal.registerId}`,
    });
    // A connection central cuts (a restart, pg_terminate_backend) fails the query that used it;
    // the 'error' event it also emits, idle or checked out, is not news and must not crash the engine.
    this.#pool.on('error', () => {});
    this.#pool.on('connect', (client) => client.on('error', () => {}));
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** A fact was appended: push it now rather than at the next idle tick. */
  kick(opts: { pull?: boolean } = {}): void {
    if (opts.pull) this.#lastPull = 0;
    // One more fact waiting: the badge's count moves now, not when the push is done, but off
    // the sale's own path and once for a burst of facts.
    if (!this.#stopped && this.#deps.onStatus && !this.#statusSoon) {
      this.#statusSoon = setTimeout(() => {
        this.#statusSoon = undefined;
        if (!this.#stopped) this.#deps.onStatus?.(this.status());
      }, 100);
      this.#statusSoon.unref();
    }
    this.#woken = true;
    this.#wake?.();
  }

  get running(): boolean {
    return this.#running !== undefined && !this.#stopped;
  }

  /** Lets a batch in flight finish, then closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#statusSoon);
    this.kick();
    await this.#running;
    await this.#pool.end().catch(() => {});
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

  /** One full pass, for tests and `pos sync now`: push everything, pull everything. Throws what the loop would record. */
  async syncOnce(opts: { pull?: boolean } = {}): Promise<{ pushed: number; pulled: number }> {
    await this.#forwardAudit();
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      const fresh = !this.#checked.has(client);
      if (fresh) {
        await checkCentral(client, this.#deps.terminal.registerId);
        this.#checked.add(client);
      }
      let pushed = 0;
      let pushFailure: unknown = null;
      try {
        pushed = await this.#pushAll(client, fresh);
      } catch (err) {
        // A push that waits on a lock another session holds (an import, a register cut off
        // mid-push) has nothing to do with the catalog: the pull still comes down meanwhile.
        if (!isLockOrTimeout(err)) throw err;
        pushFailure = err;
      }
      const pulled = opts.pull === false ? 0 : (await this.#pull(client)).rows;
      if (pushFailure) throw pushFailure;
      return { pushed, pulled };
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let wait = this.#deps.idleMs ?? 2_000;
      await this.#forwardAudit();
      const pullDue = Date.now() - this.#lastPull >= this.#deps.config.pullEverySeconds * 1000;
      // Healthy, nothing new and no pull due: no round trip at all.
      if (this.#failures === 0 && !pullDue && this.#deps.journal.head().seq <= this.#state.cursor() && this.#outcome.online) {
        await this.#sleep(wait, true);
        continue;
      }
      try {
        await this.syncOnce({ pull: pullDue });
        this.#failures = 0;
        this.#record({ online: true, lastError: null, failingSince: null, blocked: null });
        this.#alertedFor = null;
      } catch (err) {
        this.#failures++;
        const refusedLogin = isRefusedLogin(err);
        const blocked = err instanceof CentralNotReady || err instanceof ChainMismatch || refusedLogin;
        // Online: central answered and let us in, even if it then refused something.
        const online = !refusedLogin && (blocked || ((err as { code?: string }).code !== undefined && !isConnectionFailure(err)));
        const failingSince = this.#outcome.failingSince ?? this.#now().toISOString();
        this.#record({ online, lastError: describeSyncError(err), failingSince, blocked: blocked ? describeSyncError(err) : null });
        wait = blocked
          ? Math.max(30_000, backoffDelay(this.#failures, this.#deps.backoff ?? DEFAULT_BACKOFF))
          : backoffDelay(this.#failures, this.#deps.backoff ?? DEFAULT_BACKOFF);
        await this.#maybeAlert();
      }
      await this.#sleep(wait, this.#failures === 0);
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
      const facts = this.#deps.journal.after(this.#state.cursor(), this.#deps.config.batchSize);
      if (facts.length === 0) return pushed;
      try {
        const delivery = await deliverBatch(client, registerId, facts, this.#now);
        const at = this.#now().toISOString();
        this.#state.advance(
          delivery.head,
          delivery.refused.map((r) => ({ ...r, at })),
        );
        for (const r of delivery.refused)
          log.warn({ seq: r.seq, kind: r.kind, reason: r.reason }, `sync: central set fact #${r.seq} (${r.kind}) aside: ${r.reason}`);
        pushed += delivery.applied + delivery.refused.length;
        // A batch central committed is proof it is there: the badge turns green now, not after
        // the rest of a long catch-up and the pull behind it.
        // The count of facts waiting changed even when the outcome did not (a clock that reads the
        // same, a second batch): the badge hears of it either way.
        this.#record({ lastPushAt: at, online: true, lastError: null, failingSince: null, blocked: null }, { cursorMoved: true });
      } catch (err) {
        if (!(err instanceof CursorMismatch)) throw err;
        this.#state.resetCursor(err.centralHead);
      }
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

  async #pull(client: pg.PoolClient) {
    await this.#heartbeat(client);
    const result = await pullAll(client, this.#deps.local, {
      ...(this.#deps.writes ? { writes: this.#deps.writes } : {}),
      ...(this.#deps.settleSeconds !== undefined ? { settleSeconds: this.#deps.settleSeconds } : {}),
    });
    // A setting central changed (the self-invoicing page, say) is on the next receipt, not after the cache's 30 s.
    if (result.tables['business.settings']) forgetStoreSettings();
    this.#lastPull = Date.now();
    this.#record({ lastPullAt: this.#now().toISOString() });
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

  #record(change: Partial<LoopOutcome>, opts: { cursorMoved?: boolean } = {}): void {
    const next = { ...this.#outcome, ...change };
    const changed = JSON.stringify(next) !== JSON.stringify(this.#outcome);
    this.#outcome = next;
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

  /**
   * Rests between passes. A new fact cuts an idle rest short (after 250 ms, so a burst of sales
   * shares one batch) but never a backoff: sales arriving while central is down must not turn
   * into a retry storm. stop() cuts either.
   */
  #sleep(ms: number, kickable: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
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
        if (this.#stopped) finish();
        else if (kickable) {
          clearTimeout(timer);
          setTimeout(finish, KICK_DELAY_MS);
        }
      };
    });
  }
}

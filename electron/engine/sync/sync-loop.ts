// The background loop: push the journal to central in sequence order, pull the catalog, staff
// and settings back, and say how it is going. Selling never waits for it: the journal is read
// outside PGlite, pulled rows go through the engine's write queue in short batches, and every
// failure is a status, never an exception in a cashier's path.
//
// The push and the pull are two loops, each on its own connection (two per register, no more)
// with its own schedule and backoff: a 10,000-fact catch-up or a push stuck behind a lock never
// holds a price change back, and a pull that fails never delays a sale's push. The pull asks
// central every probeEveryMs whether anything it pulls changed (pull-schedule.ts) and pulls when
// it did, and every pullEverySeconds regardless. Behind a pooler with an entry the registers share
// for it (probeDatabase, probeKey), the probe goes there and the register's own login is used only
// when a pull is due: with a pool per login, 200 registers probing each as their own started a
// backend for nearly every probe. The push is a part of its own (push-side.ts); this loop runs
// the pull beside it and makes one status of the two.
import type pg from 'pg';
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { Terminal } from '../terminal.ts';
import { combineSides, sideFrom, sideSucceeded, type Side } from './loop-sides.ts';
import { openPushState, type LoopOutcome, type PushState } from './push-state.ts';
import { PushSide } from './push-side.ts';
import { DEFAULT_SETTLE_SECONDS, pullAll, readChangeMark, readSharedChangeMark, type PullResult } from './pull.ts';
import { msUntilSettled, PullSchedule, type ChangeMark } from './pull-schedule.ts';
import { Rest } from './rest.ts';
import { threadCourier } from './thread-courier.ts';
import { isLockOrTimeout, type Backoff } from './retry-policy.ts';
import { openSidePool, readinessCheck, urlOfDatabase } from './side-connection.ts';
import { afterFailure } from './side-failure.ts';
import type { SyncConfig } from './sync-config.ts';
import { composeStatus, type SyncStatus } from './sync-status.ts';
import { log } from '../log/logger.ts';
import { AUDIT_BATCH, forwardAudit } from '../services/audit/audit-forward.ts';
import { forgetStoreSettings, STORE_SETTINGS_TABLES } from '../services/settings/store-settings.ts';

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

export class SyncLoop {
  readonly #deps: SyncLoopDeps;
  readonly #state: PushState;
  readonly #now: () => Date;
  readonly #push: PushSide;
  readonly #pullPool: pg.Pool;
  #probePool: pg.Pool | null;
  readonly #pullReady: (client: pg.PoolClient) => Promise<boolean>;
  readonly #pullRest: Rest;
  #pullFailures = 0;
  #pullSide: Side;
  #outcome: LoopOutcome;
  #started = false;
  #pulling: Promise<void> | undefined;
  #stopped = false;
  #statusSoon: NodeJS.Timeout | undefined;
  #noHeartbeat = false;
  #alertedFor: string | null = null;
  readonly #schedule: PullSchedule;

  constructor(deps: SyncLoopDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#state = openPushState(deps.dataDir);
    this.#outcome = this.#state.outcome();
    this.#alertedFor = this.#outcome.failingSince;
    this.#pullSide = sideFrom(this.#outcome);
    this.#push = new PushSide({
      journal: deps.journal,
      state: this.#state,
      courier: threadCourier({ dataDir: deps.dataDir, url: deps.config.url, registerId: deps.terminal.registerId }),
      config: deps.config,
      initial: sideFrom(this.#outcome),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.idleMs !== undefined ? { idleMs: deps.idleMs } : {}),
      beforePass: () => this.#forwardAudit(),
      onSettle: (_side, change, opts) => this.#settled(change, opts),
      afterFailure: () => this.#maybeAlert(),
      // The badge stays red while either side fails: the pull tries again now, not after its backoff.
      onCentralBack: () => this.#pullRest.centralBack(),
    });
    this.#pullPool = openSidePool(deps.config.url, deps.terminal.registerId, 'pull');
    const { probeDatabase, probeKey } = deps.config;
    this.#probePool =
      probeDatabase && probeKey ? openSidePool(urlOfDatabase(deps.config.url, probeDatabase), deps.terminal.registerId, 'probe') : null;
    this.#pullReady = readinessCheck(deps.terminal.registerId);
    this.#pullRest = new Rest(() => this.#stopped);
    this.#schedule = new PullSchedule({
      settleSeconds: deps.settleSeconds ?? DEFAULT_SETTLE_SECONDS,
      pullEveryMs: deps.config.pullEverySeconds * 1000,
      probeEveryMs: deps.config.probeEveryMs,
    });
  }

  start(): void {
    this.#started = true;
    this.#push.start();
    this.#pulling ??= this.#runPull();
  }

  /** A fact was appended: push it now rather than at the next idle tick; with pull, pull everything now too. */
  kick(opts: { pull?: boolean } = {}): void {
    if (opts.pull) {
      this.#schedule.ask();
      this.#pullRest.kick();
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
    this.#push.kick();
  }

  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  /** Lets a batch or a pull in flight finish, then closes both connections. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#statusSoon);
    this.#pullRest.kick();
    await Promise.all([this.#push.stop(), this.#pulling]);
    await this.#pullPool.end().catch(() => {});
    await this.#probePool?.end().catch(() => {});
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
      pushed = await this.#push.pass();
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

  async #runPull(): Promise<void> {
    while (!this.#stopped) {
      let wait: number;
      try {
        await this.#pullPass(false);
        if (this.#pullFailures > 0) this.#push.centralBack();
        this.#pullFailures = 0;
        this.#settlePull(sideSucceeded(Date.now()));
        wait = this.#schedule.restMs(Date.now());
      } catch (err) {
        this.#pullFailures++;
        const failed = afterFailure(this.#pullSide, err, this.#pullFailures, {
          nowIso: this.#now().toISOString(),
          at: Date.now(),
          backoff: this.#deps.backoff,
          random: this.#deps.random,
        });
        this.#settlePull(failed.side);
        wait = failed.restMs;
        await this.#maybeAlert();
      }
      await this.#pullRest.sleep(wait, this.#pullFailures === 0);
    }
  }

  /**
   * Asks central whether anything changed and pulls everything when it did, when a pull is
   * asked for or due anyway, or always (`force`). Answers the pull, or null when none was needed.
   */
  async #pullPass(force: boolean): Promise<PullResult | null> {
    let probed = false;
    if (!force && this.#probePool) {
      const mark = await this.#probeShared(this.#probePool);
      if (mark) {
        this.#schedule.observe(mark, Date.now());
        if (!this.#schedule.pullDue(Date.now())) return null;
        probed = true;
      }
    }
    const client = await this.#pullPool.connect();
    let broken: Error | undefined;
    try {
      await this.#pullReady(client);
      // Asked once a pass: the shared entry already answered when it is the one that found the pull due.
      const mark = probed ? null : await readChangeMark(client);
      const markedAt = Date.now();
      if (mark) this.#schedule.observe(mark, markedAt);
      if (!force && !this.#schedule.pullDue(Date.now())) return null;
      const pulled = await this.#pull(client);
      if (!force || !mark || pulled.horizonUs > mark.changedUs) return pulled;
      return await this.#pullSettled(client, pulled, mark, markedAt);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Asked for now (`pos sync now`): a change central made within the settle window, which the
   * pull before had to leave there, is waited out and brought down too, instead of left for the
   * next pass. Once: a transaction still writing at central holds the horizon back, and the
   * loop's own schedule follows that up.
   */
  async #pullSettled(client: pg.PoolClient, pulled: PullResult, mark: ChangeMark, markedAt: number): Promise<PullResult> {
    const settleSeconds = this.#deps.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
    // Never longer than the window itself, whatever instant a row claims.
    const waitMs = Math.min(msUntilSettled(mark.changedUs, mark.nowUs, settleSeconds), msUntilSettled(0n, 0n, settleSeconds));
    await new Promise((r) => setTimeout(r, Math.max(0, waitMs - (Date.now() - markedAt))));
    const rest = await this.#pull(client);
    const tables = { ...pulled.tables };
    for (const [table, rows] of Object.entries(rest.tables)) tables[table] = (tables[table] ?? 0) + rows;
    return { rows: pulled.rows + rest.rows, tables, horizonUs: rest.horizonUs };
  }

  /** The probe over the shared entry; null once central turns out not to have it (older than c0032), which then probes over the login. */
  async #probeShared(pool: pg.Pool): Promise<ChangeMark | null> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await readSharedChangeMark(client, this.#deps.terminal.registerId, this.#deps.config.probeKey!);
    } catch (err) {
      broken = err as Error;
      if ((err as { code?: string }).code !== '42883') throw err;
      log.warn('sync: central has no shared probe yet (run "pos central migrate"); probing over this register\'s own login');
      this.#probePool = null;
      void pool.end().catch(() => {});
      return null;
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
    // A setting central changed (the self-invoicing page, a branch's time zone) is on the next
    // receipt, not after the cache's 30 s.
    if (STORE_SETTINGS_TABLES.some((table) => result.tables[table])) forgetStoreSettings(this.#deps.local);
    this.#schedule.pulled(result.horizonUs, Date.now());
    this.#settlePull(sideSucceeded(Date.now()), { lastPullAt: this.#now().toISOString() });
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

  #settlePull(side: Side, change: Partial<LoopOutcome> = {}): void {
    this.#pullSide = side;
    this.#settled(change);
  }

  /** A side's latest attempt, with anything else that changed; the status hears of it when the outcome moved. */
  #settled(change: Partial<LoopOutcome> = {}, opts: { cursorMoved?: boolean } = {}): void {
    const next = { ...this.#outcome, ...change, ...combineSides(this.#push.side, this.#pullSide, this.#outcome.online) };
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

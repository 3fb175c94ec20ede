// What happens because a fact was recorded: the receipt kept for printing, the drawer opened,
// the customer shown the change. Each reaction follows the journal on its own, from its own
// cursor (the last fact it is done with), woken after every append and, at start, catching up
// from where its cursor stopped: a kill between a sale's answer and its receipt leaves the
// receipt to the next start, never lost. A reaction that fails never fails the sale (the sale
// was on disk before the reaction heard of it): it is logged and tried again, with a growing
// wait, on the same fact; one that keeps failing is reported, and holds up only itself.
//
// The cursors live in PGlite (public.pos_reaction_cursors), not beside the journal: a reaction
// moves its cursor in the same transaction as the rows its effect writes (the receipt's print
// job), so the two share one fate: a power cut that loses one loses both, and the fact is
// handled again (the job is kept once per fact either way). A cursor in journal.sqlite would
// survive a PGlite that lost the job, and the receipt would never print. A PGlite rebuilt from
// the journal starts its reactions at the head: receipts of facts from before the rebuild are
// not printed again, as a reaction added in a new version does not react to old facts.
import type { Fact, Journal } from '#db/journal.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import { log } from '../log/logger.ts';

/** Records, in the caller's transaction, that the fact is handled: the cursor moves with the effect's own rows. */
export type Handled = (tx: SqlSession) => Promise<void>;

export type Reaction = {
  /** Names the cursor. A reaction under a name not seen before starts at the head: it reacts to what happens from now on. */
  name: string;
  /** What it does, for the people told when it keeps failing ("imprimir los tickets"). */
  purpose: string;
  kinds: readonly string[];
  /** Another reaction that must be done with a fact first (the drawer opens before the receipt prints); waited for a moment, no more. */
  after?: string;
  /**
   * Does what the fact calls for. Calling `handled` in the transaction that records the effect
   * moves the cursor with it; otherwise the cursor moves once this resolves. Throwing leaves the
   * cursor where it was, and the same fact is tried again a little later.
   */
  handle(fact: Fact, handled: Handled): Promise<void>;
};

export type StuckReaction = { reaction: string; purpose: string; seq: number; kind: string; attempts: number; error: string };

export type ReactionOptions = {
  journal: Journal;
  sql: SqlDatabase;
  reactions: readonly Reaction[];
  /** Waits between attempts at a fact that failed: quick at first, then every minute. */
  backoffMs?: readonly number[];
  /** After this many failures in a row on one fact, `onStuck` is told, once for that fact. */
  reportAfter?: number;
  onStuck?: (stuck: StuckReaction) => void;
  /** The longest a reaction waits for the one it comes after. */
  afterWaitMs?: number;
};

export type FactReactions = {
  /** A fact was appended: every reaction looks for work. */
  wake(): void;
  /** The last fact each reaction is done with. */
  positions(): Record<string, number>;
  /** Lets each reaction finish the fact in hand, then stops them; the rest waits for the next start. */
  stop(): Promise<void>;
};

const BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
const REPORT_AFTER = 3;
const AFTER_WAIT_MS = 2_000;
const PAGE = 200;

export async function ensureReactionCursors(sql: SqlSession): Promise<void> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS public.pos_reaction_cursors (
    reaction text PRIMARY KEY,
    seq bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
}

// Never backwards: two writers of one cursor (the handler's transaction, the runner) cannot undo each other.
const saveCursor = (session: SqlSession, reaction: string, seq: number) =>
  session.query(`UPDATE public.pos_reaction_cursors SET seq = GREATEST(seq, $2), updated_at = now() WHERE reaction = $1`, [reaction, seq]);

type Follower = {
  reaction: Reaction;
  kinds: ReadonlySet<string>;
  /** Done with every fact up to here. */
  position: number;
  /** What the cursor row says: behind `position` while only facts of other kinds were passed over. */
  saved: number;
  woken: boolean;
  wakeUp: (() => void) | null;
  waiters: { seq: number; resolve: () => void }[];
  running: Promise<void>;
};

/** Reads (or starts at the head) every reaction's cursor, then sets them following the journal. */
export async function startFactReactions(opts: ReactionOptions): Promise<FactReactions> {
  const { journal, sql } = opts;
  const backoff = opts.backoffMs ?? BACKOFF_MS;
  const reportAfter = opts.reportAfter ?? REPORT_AFTER;
  const afterWaitMs = opts.afterWaitMs ?? AFTER_WAIT_MS;
  const names = opts.reactions.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new Error(`two reactions share a name: ${names.join(', ')}`);
  await ensureReactionCursors(sql);
  await sql.query(
    `INSERT INTO public.pos_reaction_cursors (reaction, seq) SELECT unnest($1::text[]), $2 ON CONFLICT (reaction) DO NOTHING`,
    [names, journal.head().seq],
  );
  const rows = await sql.query<{ reaction: string; seq: string }>(
    `SELECT reaction, seq::text FROM public.pos_reaction_cursors WHERE reaction = ANY($1::text[])`,
    [names],
  );

  let stopped = false;
  let waking: NodeJS.Immediate | null = null;
  const pauses = new Set<() => void>();
  const followers = new Map<string, Follower>();

  /** Resolves true after `ms`, or false as soon as the reactions stop. */
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const done = (slept: boolean) => {
        clearTimeout(timer);
        pauses.delete(stop);
        resolve(slept);
      };
      const stop = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      pauses.add(stop);
    });

  const advance = (f: Follower, seq: number) => {
    f.position = seq;
    f.waiters = f.waiters.filter((w) => {
      if (w.seq > seq) return true;
      w.resolve();
      return false;
    });
  };

  /** Until the reaction this one comes after is done with `seq`, or a moment has passed. */
  async function predecessor(f: Follower, seq: number): Promise<void> {
    const first = f.reaction.after ? followers.get(f.reaction.after) : undefined;
    if (!first || first.position >= seq) return;
    let resolve!: () => void;
    const reached = new Promise<void>((r) => (resolve = r));
    first.waiters.push({ seq, resolve });
    await Promise.race([reached, pause(afterWaitMs)]);
  }

  /** Handles one fact until it is done; false when the reactions stopped first. */
  async function handle(f: Follower, fact: Fact): Promise<boolean> {
    const { name } = f.reaction;
    for (let failures = 0; ; ) {
      try {
        let marked = false;
        await f.reaction.handle(fact, async (tx) => {
          await saveCursor(tx, name, fact.seq);
          marked = true;
        });
        if (!marked) await saveCursor(sql, name, fact.seq);
        f.saved = fact.seq;
        if (failures >= reportAfter)
          log.info({ reaction: name, seq: fact.seq, attempts: failures + 1 }, `reactions: ${name} handled fact ${fact.seq} after all`);
        return true;
      } catch (err) {
        failures++;
        log.warn(
          { err, reaction: name, seq: fact.seq, kind: fact.kind, attempts: failures },
          `reactions: ${name} could not handle fact ${fact.seq} (${fact.kind}); trying again`,
        );
        if (failures === reportAfter) {
          const error = (err as Error)?.message ?? String(err);
          log.warn(
            { reaction: name, seq: fact.seq, kind: fact.kind, attempts: failures },
            `reactions: ${name} keeps failing on fact ${fact.seq}; what follows it waits`,
          );
          try {
            opts.onStuck?.({ reaction: name, purpose: f.reaction.purpose, seq: fact.seq, kind: fact.kind, attempts: failures, error });
          } catch (reportErr) {
            log.warn({ err: reportErr }, `reactions: could not report ${name} failing`);
          }
        }
        if (!(await pause(backoff[Math.min(failures - 1, backoff.length - 1)]!))) return false;
      }
    }
  }

  async function follow(f: Follower): Promise<void> {
    while (!stopped) {
      f.woken = false;
      const facts = journal.after(f.position, PAGE);
      if (facts.length === 0) {
        // Facts of other kinds were only passed over: their cursor is written once the reaction is idle.
        if (f.saved < f.position) {
          await saveCursor(sql, f.reaction.name, f.position).then(
            () => (f.saved = f.position),
            (err: unknown) => log.warn({ err, reaction: f.reaction.name }, `reactions: could not save ${f.reaction.name}'s place`),
          );
        }
        if (!f.woken && !stopped) await new Promise<void>((resolve) => (f.wakeUp = resolve));
        f.wakeUp = null;
        continue;
      }
      for (const fact of facts) {
        if (stopped) return;
        if (f.kinds.has(fact.kind)) {
          await predecessor(f, fact.seq);
          if (!(await handle(f, fact))) return;
        }
        advance(f, fact.seq);
      }
    }
  }

  for (const reaction of opts.reactions) {
    const seq = Number(rows.find((r) => r.reaction === reaction.name)!.seq);
    followers.set(reaction.name, {
      reaction,
      kinds: new Set(reaction.kinds),
      position: seq,
      saved: seq,
      woken: true,
      wakeUp: null,
      waiters: [],
      running: Promise.resolve(),
    });
  }
  for (const f of followers.values()) {
    f.running = follow(f).catch((err: unknown) => log.error({ err, reaction: f.reaction.name }, `reactions: ${f.reaction.name} stopped`));
  }

  return {
    wake() {
      // After the appender's turn, not inside it: PGlite runs on this thread, so a reaction's first
      // query started now would hold up the answer of the call that appended (the sale's).
      waking ??= setImmediate(() => {
        waking = null;
        for (const f of followers.values()) {
          f.woken = true;
          f.wakeUp?.();
        }
      });
    },
    positions() {
      return Object.fromEntries([...followers.values()].map((f) => [f.reaction.name, f.position]));
    },
    async stop() {
      stopped = true;
      if (waking) clearImmediate(waking);
      for (const stopPause of [...pauses]) stopPause();
      for (const f of followers.values()) {
        f.wakeUp?.();
        for (const w of f.waiters) w.resolve();
      }
      await Promise.all([...followers.values()].map((f) => f.running));
    },
  };
}

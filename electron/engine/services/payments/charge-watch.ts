// How a register with a central learns that a charge on its card terminal moved. The provider's
// webhooks go to central (server/central/card-webhooks/), which keeps each notice; while charges
// are open here, this asks central every second which of them a notice named, and asks the
// provider about those at once (settleCharge). A notice never sets a state: the provider's answer
// is the only truth, and a charge's state never goes back (card-charges.ts), so a notice that
// arrives twice, late, out of order or forged by someone holding the secret moves nothing wrongly.
//
// The provider is still asked about every open charge every providerPollMs, in case a webhook
// never comes (none configured at the provider, central down). And the pay screen's poll
// (payments.charge, every second) asks the provider itself until this provider's notices have
// been seen reaching central in this session; after that it answers from the stored row, which
// a notice or the slow poll keeps current: a provider asked every second by every register is
// what webhooks spare it. Without a central there is no watch, and the pay screen's poll asks the
// provider each second as before.
import { sql as dsql } from 'drizzle-orm';
import { cardCharges } from '#db/schema/payments.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { log } from '#engine/log/logger.ts';
import { type CardNotice, type CardNoticeSource, CentralUnreachable, type ChargeWatchControl } from '#engine/ports.ts';
import type { CardChargeRow } from './card-charge-facts.ts';
import { settleCharge } from './card-charges.ts';

export type ChargeWatchTuning = {
  /** How often central is asked for notices while charges are open (1 s). */
  noticeEveryMs?: number;
  /** How often the provider is asked about an open charge no notice named (10 s). */
  providerPollMs?: number;
  /** The rest when nothing is open; a new charge, or the pay screen's poll, wakes it (30 s). */
  idleMs?: number;
};

/** What is known here of the provider's last answer about a charge. */
export type Asked = { at: number; unreachable: string | null };

/**
 * The open charges to ask their provider about now, and why: a notice about it central has that
 * was not handled yet, or no answer for providerPollMs. A charge never seen before counts as
 * just asked (it was started, or settled at start-up, a moment ago).
 */
export function chargesToAsk(input: {
  open: Pick<CardChargeRow, 'id' | 'providerReference'>[];
  notices: CardNotice[];
  /** Per reference, the arrival of the last notice handled. */
  handled: ReadonlyMap<string, string>;
  asked: ReadonlyMap<string, Asked>;
  now: number;
  providerPollMs: number;
}): { id: string; why: 'notice' | 'poll' }[] {
  const noticed = new Map(input.notices.map((n) => [n.reference, n.at]));
  const due: { id: string; why: 'notice' | 'poll' }[] = [];
  for (const charge of input.open) {
    const at = charge.providerReference ? noticed.get(charge.providerReference) : undefined;
    if (at !== undefined && input.handled.get(charge.providerReference!) !== at) due.push({ id: charge.id, why: 'notice' });
    else {
      const last = input.asked.get(charge.id);
      if (last && input.now - last.at >= input.providerPollMs) due.push({ id: charge.id, why: 'poll' });
    }
  }
  return due;
}

const OPEN_LIMIT = 50;

export class ChargeWatch implements ChargeWatchControl {
  readonly #services: EngineContainer;
  readonly #notices: CardNoticeSource;
  readonly #noticeEveryMs: number;
  readonly #providerPollMs: number;
  readonly #idleMs: number;
  readonly #asked = new Map<string, Asked>();
  readonly #handled = new Map<string, string>();
  /** Providers whose webhooks were seen reaching central in this session. */
  readonly #proven = new Set<CardProvider>();
  #running: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #centralDown = false;
  /** Resting with nothing open: a kick cuts it short (a rest between rounds is not cut). */
  #idle = false;

  constructor(services: EngineContainer, notices: CardNoticeSource, tuning: ChargeWatchTuning = {}) {
    this.#services = services;
    this.#notices = notices;
    this.#noticeEveryMs = tuning.noticeEveryMs ?? 1_000;
    this.#providerPollMs = tuning.providerPollMs ?? 10_000;
    this.#idleMs = tuning.idleMs ?? 30_000;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** A charge was started or is being watched on screen: look now rather than after the idle rest. */
  kick(): void {
    if (this.#idle) this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#idle = true;
    this.#wake?.();
    await this.#running;
    await this.#notices.close().catch(() => undefined);
  }

  /**
   * For payments.charge: the stored row answers (with why the provider could not be asked last
   * time, if it could not) when this provider's webhooks reach central and its answer about the
   * charge is recent; null when the provider must be asked now.
   */
  storedAnswer(row: Pick<CardChargeRow, 'id' | 'provider' | 'providerReference'>): { unreachable: string | null } | null {
    const last = this.#asked.get(row.id);
    // A charge whose answer never came (SENT) has no reference a notice could name: asked each time.
    if (!row.providerReference || !this.#proven.has(row.provider) || !last) return null;
    return this.#services.now().getTime() - last.at < this.#providerPollMs ? { unreachable: last.unreachable } : null;
  }

  /** The provider was just asked about the charge. */
  asked(chargeId: string, unreachable: string | null): void {
    this.#asked.set(chargeId, { at: this.#services.now().getTime(), unreachable });
  }

  /** One round: which charges are open, what central heard of them, and the provider asked about those due. Answers how many are open. */
  async round(): Promise<number> {
    const open = await this.#services.db
      .select()
      .from(cardCharges)
      .where(dsql`${cardCharges.status} NOT IN ('APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED')`)
      .orderBy(cardCharges.createdAt)
      .limit(OPEN_LIMIT);
    const now = this.#services.now().getTime();
    const ids = new Set(open.map((c) => c.id));
    for (const id of this.#asked.keys()) if (!ids.has(id)) this.#asked.delete(id);
    const references = new Set(open.flatMap((c) => (c.providerReference ? [c.providerReference] : [])));
    for (const ref of this.#handled.keys()) if (!references.has(ref)) this.#handled.delete(ref);
    for (const c of open) if (!this.#asked.has(c.id)) this.#asked.set(c.id, { at: now, unreachable: null });
    if (open.length === 0) return 0;

    let notices: CardNotice[] = [];
    if (references.size > 0) {
      try {
        notices = await this.#notices.latest([...references]);
        if (this.#centralDown) log.info('card charges: central answers about card notices again');
        this.#centralDown = false;
      } catch (err) {
        if (!(err instanceof CentralUnreachable)) throw err;
        // The provider's poll carries on meanwhile; said once per outage.
        if (!this.#centralDown) log.warn({ err }, 'card charges: central cannot be asked about card notices; polling the providers');
        this.#centralDown = true;
      }
    }
    const due = chargesToAsk({ open, notices, handled: this.#handled, asked: this.#asked, now, providerPollMs: this.#providerPollMs });
    const noticed = new Map(notices.map((n) => [n.reference, n]));
    for (const { id, why } of due) {
      const row = open.find((c) => c.id === id)!;
      if (why === 'notice') {
        const notice = noticed.get(row.providerReference!)!;
        this.#handled.set(notice.reference, notice.at);
        this.#proven.add(notice.provider);
      }
      await this.#settle(row);
    }
    return open.length;
  }

  async #settle(row: CardChargeRow): Promise<void> {
    try {
      const view = await settleCharge(this.#services, row);
      this.asked(row.id, view.unreachable);
    } catch (err) {
      // Refused by the provider: settleCharge stored why; the screen hears it from the row.
      if (!(err instanceof EngineError)) throw err;
      this.asked(row.id, null);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let rest = this.#idleMs;
      try {
        if ((await this.round()) > 0) rest = this.#noticeEveryMs;
      } catch (err) {
        if (!this.#stopped) log.warn({ err }, 'card charges: watching the open charges failed; trying again');
        rest = this.#noticeEveryMs;
      }
      this.#idle = rest === this.#idleMs;
      await this.#sleep(rest);
      this.#idle = false;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      timer.unref();
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        finish();
      };
    });
  }
}

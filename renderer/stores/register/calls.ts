// How every part of the register sends its calls: counted while on their way (busy), an error
// kept as the cashier's words where it happened, and a call that needs a manager's PIN asked
// for one (the approval dialog) and sent again with it.
import type { ContractClient, Override, Result } from '../../api/client.ts';
import type { I18n } from '../../i18n/index.ts';
import { approvalAsk, type ApprovalAsk } from '../../components/approval-ask.ts';
import type { RegisterKit, RegisterSlice, Send, SetRegister } from '../register.ts';
import { signedOut } from './session.ts';

export type CallsSlice = {
  /** The last error, in the cashier's words, shown where it happened. */
  message: string | null;
  /**
   * A call waiting for someone else's PIN: what is approved, who may approve it, why the last
   * PIN was refused and whose it was, and where the PIN goes (null: cancelled).
   */
  approval: (ApprovalAsk & { problem: string | null; tried: string | null; resolve(override: Override | null): void }) | null;
  /** Some call is on its way (counted: parallel calls do not clear each other's). */
  busy: boolean;
  dismiss(): void;
  /** Any call through the register's error and approval handling, for features with screens of their own. */
  send: Send;
};

/** An idempotency key for one change: sent again, it is done once. */
export const key = (what: string) => `${what}:${crypto.randomUUID()}`;

export function registerKit(client: ContractClient, i18n: I18n, set: SetRegister): RegisterKit {
  let inFlight = 0;
  async function sendCounted<T>(send: () => Promise<Result<T>>): Promise<Result<T>> {
    inFlight++;
    set({ busy: true });
    try {
      return await send();
    } finally {
      inFlight--;
      set({ busy: inFlight > 0 });
    }
  }

  /**
   * Sends a call, asking for a manager when it needs one (the approval dialog) and sending it
   * again with the override; cancelling answers the refusal. A session that ended signs out.
   * The refusal is the caller's to show: a form marks the field it names.
   */
  async function attempt<T>(send: (override?: Override) => Promise<Result<T>>): Promise<Result<T>> {
    let override: Override | undefined;
    let asked: ApprovalAsk | undefined;
    for (;;) {
      const result = await sendCounted(() => send(override));
      if (result.ok) {
        set({ approval: null });
        return result;
      }
      const code = result.error.code;
      if (code === 'OVERRIDE_REQUIRED' || (override && (code === 'OVERRIDE_REFUSED' || code === 'BAD_CREDENTIALS' || code === 'LOCKED'))) {
        // What is approved and who may approve it come with the first refusal; a wrong PIN asks again for the same.
        asked = code === 'OVERRIDE_REQUIRED' || !asked ? approvalAsk(i18n, result.error) : asked;
        const problem = code === 'OVERRIDE_REQUIRED' ? null : i18n.error(result.error);
        const ask = { ...asked, problem, tried: override?.employeeId ?? null };
        const given = await new Promise<Override | null>((resolve) => set({ approval: { ...ask, resolve } }));
        set({ approval: null });
        if (given) {
          override = given;
          continue;
        }
        return result;
      }
      if (code === 'NOT_SIGNED_IN' || code === 'SESSION_EXPIRED' || code === 'SESSION_REVOKED') signedOut(client, set);
      return result;
    }
  }

  /**
   * Runs a call; an error becomes the message on screen and the answer is null. A call that
   * needs a manager asks for one (the approval dialog) and is sent again with the override;
   * cancelling leaves everything as it was.
   */
  async function run<T>(send: (override?: Override) => Promise<Result<T>>): Promise<T | null> {
    const result = await attempt(send);
    if (result.ok) {
      set({ message: null });
      return result.value;
    }
    set({ message: i18n.error(result.error) });
    return null;
  }

  return { client, i18n, run, attempt };
}

export const createCallsSlice =
  ({ client, run }: RegisterKit): RegisterSlice<CallsSlice> =>
  (set) => ({
    message: null,
    approval: null,
    busy: false,

    dismiss() {
      set({ message: null });
    },

    send(call, input) {
      return run((o) => client.send(call, input, { override: o }));
    },
  });

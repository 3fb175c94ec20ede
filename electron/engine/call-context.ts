// What a handler receives besides its validated input.
import type { CallInput, CallName, CallOutput } from '#contract/calls.ts';
import { EngineError } from './errors.ts';
import type { EngineContainer } from './container.ts';
import type { Permission } from '#contract/permissions.ts';
import type { ActiveSession } from './services/auth/sessions.ts';

export type Approver = { employeeId: string; displayName: string };

/**
 * What an override is asked for, as whoever approves it reads it in the dialog: the product,
 * receipt or employee it is about, and its figures (engine decimal strings; `rate` a fraction).
 */
export type OverrideDetails = { subject?: string; amount?: string; from?: string; to?: string; rate?: string };

export type CallContext = {
  call: CallName;
  services: EngineContainer;
  session: ActiveSession | null;
  token: string | undefined;
  /** The employee who authorised this one call with their PIN (a manager override), if any. */
  approver: Approver | null;
  /**
   * For a limit inside a call (a discount over the cashier's own limit, a variance over
   * tolerance): the override sent with the call, checked for `permission` and for `fits`.
   * Throws OVERRIDE_REQUIRED, naming `why` and carrying `details` and who may approve, when no
   * override came with the call.
   */
  approve(
    permission: Permission,
    why: string,
    fits: (employeeId: string) => Promise<boolean>,
    details?: OverrideDetails,
  ): Promise<Approver>;
};

/** A handler answers what its call declares. */
export type Handler<K extends CallName> = (input: CallInput<K>, ctx: CallContext) => Promise<CallOutput<K>>;

/** A domain's handlers, each typed by its contract entry. */
export const defineHandlers = <H extends { [K in keyof H]: K extends CallName ? Handler<K> : never }>(handlers: H) => handlers;

export function requireSession(ctx: CallContext): ActiveSession {
  if (!ctx.session) throw new EngineError('NOT_SIGNED_IN', 'sign in first');
  return ctx.session;
}

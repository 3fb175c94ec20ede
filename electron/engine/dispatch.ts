// The one way into the engine. Validates the envelope and the input, resolves the session,
// enforces the permission the contract declares (or a manager's override), runs the handler and
// answers {ok, value} or {ok: false, error}: the renderer is never trusted.
import type { z } from 'zod';
import type { Approver, CallContext, OverrideDetails } from './call-context.ts';
import {
  contract,
  envelopeSchema,
  isCallName,
  type CallArgs,
  type CallInput,
  type CallName,
  type CallOutput,
  type CallResult,
  type Envelope,
} from '#contract/calls.ts';
import type { CallSpec } from '#contract/fields.ts';
import { EngineError } from './errors.ts';
import { customerViewAfter } from './customer-facing.ts';
import { handlers } from './handlers.ts';
import { newIncidentId } from './log/incident.ts';
import { overrideSubject } from './override-subjects.ts';
import { log } from './log/logger.ts';
import type { EngineContainer } from './container.ts';
import { recordSessionAudit } from './services/audit/audit-log.ts';
import { approversFor } from './services/auth/approvers.ts';
import { permissionsOf } from './services/auth/grants.ts';
import { OVERRIDABLE, type Permission } from '#contract/permissions.ts';
import { findPinCandidate, checkSecret } from './services/auth/secret-check.ts';
import { loadSession, type ActiveSession } from './services/auth/sessions.ts';
import { needsStepUp, requireStepUp } from './services/auth/step-up.ts';

export type { CallArgs, CallOutput, CallResult } from '#contract/calls.ts';

const SLOW_CALL_MS = 200;
/** Every test run sets this (vitest.config.ts): each answer is checked against the call's declared output. */
const CHECK_OUTPUTS = process.env.POS_CHECK_OUTPUTS === '1';

export async function dispatch(services: EngineContainer, raw: unknown): Promise<CallResult<unknown>> {
  const started = performance.now();
  let name = '?';
  try {
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success) throw invalid(envelope.error, 'request');
    name = envelope.data.call;
    if (!isCallName(name)) throw new EngineError('UNKNOWN_CALL', `no call named "${name}"`);
    const spec = contract[name];
    const input = (spec.input as z.ZodType).safeParse(envelope.data.input ?? {});
    if (!input.success) throw invalid(input.error, 'input');

    let session: ActiveSession | null = null;
    let approver: Approver | null = null;
    if (spec.access !== 'public') {
      session = await loadSession(services.sql, envelope.data.token, services.now());
      if (services.terminal && session.businessId !== services.terminal.businessId) {
        throw new EngineError('SESSION_REVOKED', 'this session belongs to another business');
      }
      if (session.mfaEnrollmentRequired && !('duringMfaEnrollment' in spec)) {
        throw new EngineError('MFA_ENROLLMENT_REQUIRED', 'set up the authenticator app before using the back office');
      }
      if (spec.access !== 'session') {
        const signedIn = session;
        const asked: CallName = name;
        // Read only when someone must be asked: what the dialog shows them about this call.
        const about = () =>
          overrideSubject(
            { call: asked, services, session: signedIn, token: envelope.data.token, approver: null, approve: notYet },
            asked,
            input.data as CallInput<CallName>,
          );
        approver = await authorize(services, session, spec.access, name, envelope.data.override, about);
      }
      // After the permission: a cashier is told they may not, never asked for a password they do not have.
      if (needsStepUp(spec.access)) await requireStepUp(services, session);
    }
    const override = envelope.data.override;
    const callName: CallName = name;
    // What the approver of this call has been checked for: a PIN proves who they are once, but
    // each permission they lend is checked (and audited) on its own.
    const lent = new Set<Permission>(approver && spec.access !== 'public' && spec.access !== 'session' ? [spec.access] : []);
    const ctx: CallContext = {
      call: callName,
      services,
      session,
      token: envelope.data.token,
      approver,
      async approve(permission, why, fits, details = {}) {
        const signedIn = session!;
        if (approver) {
          if (!lent.has(permission)) {
            await lend(services, signedIn, approver, permission, callName, fits);
            lent.add(permission);
          } else if (!(await fits(approver.employeeId))) {
            await refuseLoan(services, signedIn, approver, permission, callName);
          }
          return approver;
        }
        if (!override) {
          throw await overrideRequired(services, signedIn, permission, { reason: why, ...details }, fits);
        }
        approver = await verifyOverride(services, signedIn, permission, callName, override, fits);
        lent.add(permission);
        return approver;
      },
    };
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    const value = await handler(input.data, ctx);
    if (CHECK_OUTPUTS) checkOutput(name, spec as CallSpec, value);
    const view = customerViewAfter(name, input.data, value);
    if (view) services.events.emit('customer.view', view);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof EngineError) return { ok: false, error: err.toBody() };
    // The cashier gets a number to read to support; the log line with that number has the stack.
    const incidentId = newIncidentId();
    const input = typeof raw === 'object' && raw !== null ? (raw as { input?: unknown }).input : undefined;
    log.error({ err, call: name, incidentId, input }, 'call failed');
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `the terminal hit an internal error; the action was not completed (incident ${incidentId})`,
        params: { incidentId },
      },
    };
  } finally {
    const ms = performance.now() - started;
    // Sign-ins wait on purpose after wrong secrets; that is the throttle, not a slow query.
    if (ms > SLOW_CALL_MS && name !== 'auth.signInWithPin' && name !== 'auth.signInWithPassword' && name !== 'auth.stepUp') {
      log.warn({ call: name, ms: Math.round(ms) }, 'slow call');
    }
  }
}

/** Typed form for in-process callers and tests. */
export type CallOptions = Omit<Envelope, 'call' | 'input'>;

export async function call<K extends CallName>(
  services: EngineContainer,
  name: K,
  input: CallArgs<K>,
  opts: CallOptions = {},
): Promise<CallResult<CallOutput<K>>> {
  return dispatch(services, { call: name, input, ...opts }) as Promise<CallResult<CallOutput<K>>>;
}

/**
 * The session's own permission, or another employee's PIN for this one call when the
 * permission is one a manager may lend. An override is audited with both employees.
 */
async function authorize(
  services: EngineContainer,
  session: ActiveSession,
  permission: Permission,
  callName: CallName,
  override: Envelope['override'],
  about: () => Promise<OverrideDetails>,
): Promise<Approver | null> {
  if (session.permissions.has(permission)) return null;
  if (!OVERRIDABLE.has(permission)) {
    throw new EngineError('FORBIDDEN', `${session.employeeName} may not do this (${permission})`, { permission });
  }
  if (!override) {
    throw await overrideRequired(services, session, permission, await about(), async () => true);
  }
  return verifyOverride(services, session, permission, callName, override, async () => true);
}

/**
 * The answer when nobody authorised a call that needs it: the permission, what is at stake, and
 * who at this branch could approve it. The list travels with the refusal rather than through a
 * call of its own: only here is `fits` known (whose discount limit covers this discount), and the
 * dialog opens without a second round trip while the customer waits.
 */
async function overrideRequired(
  services: EngineContainer,
  session: ActiveSession,
  permission: Permission,
  details: OverrideDetails & { reason?: string },
  fits: (employeeId: string) => Promise<boolean>,
): Promise<EngineError> {
  const approvers = await approversFor(services, session.employeeId, permission, fits);
  return new EngineError('OVERRIDE_REQUIRED', `a manager must authorise this (${details.reason ?? permission})`, {
    permission,
    ...details,
    approvers,
  });
}

/** A subject is read before the call runs; nothing there may ask for approval itself. */
const notYet = (): never => {
  throw new Error('an override subject asked for an approval');
};

/**
 * Checks another employee's PIN for this one call, that they hold the permission and that
 * `fits` accepts them (a discount within their own limit, say); audits the outcome either way.
 */
async function verifyOverride(
  services: EngineContainer,
  session: ActiveSession,
  permission: Permission,
  callName: CallName,
  override: NonNullable<Envelope['override']>,
  fits: (employeeId: string) => Promise<boolean>,
): Promise<Approver> {
  if (override.employeeId === session.employeeId) {
    throw new EngineError('OVERRIDE_REFUSED', 'another employee must authorise this', { permission });
  }
  const approver = await checkSecret(services, {
    candidate: await findPinCandidate(services, override.employeeId),
    secret: override.pin,
    action: 'auth.override',
    requestedBy: { userId: session.userId, employeeId: session.employeeId },
    subject: { type: 'call', label: callName },
    context: { permission, requestedByName: session.employeeName },
  }).catch((err: unknown) => {
    if (err instanceof EngineError && err.code === 'BAD_CREDENTIALS') {
      throw new EngineError('OVERRIDE_REFUSED', 'wrong employee or PIN for the authorisation', { permission });
    }
    throw err;
  });
  const checked = { employeeId: approver.employeeId, displayName: approver.displayName };
  await lend(services, session, checked, permission, callName, fits);
  return checked;
}

const overrideEntry = (session: ActiveSession, approver: Approver, permission: Permission, callName: CallName) => ({
  action: 'auth.override',
  entityType: 'call',
  details: { call: callName, permission, requestedByName: session.employeeName, approvedByName: approver.displayName },
});

/** An approver whose PIN was checked lends `permission` only if they hold it and `fits` accepts them; audited either way. */
async function lend(
  services: EngineContainer,
  session: ActiveSession,
  approver: Approver,
  permission: Permission,
  callName: CallName,
  fits: (employeeId: string) => Promise<boolean>,
): Promise<void> {
  if (!(await permissionsOf(services.sql, approver.employeeId)).has(permission) || !(await fits(approver.employeeId))) {
    await refuseLoan(services, session, approver, permission, callName);
  }
  await recordSessionAudit(services, session, { ...overrideEntry(session, approver, permission, callName), outcome: 'SUCCESS' }, approver);
}

async function refuseLoan(
  services: EngineContainer,
  session: ActiveSession,
  approver: Approver,
  permission: Permission,
  callName: CallName,
): Promise<never> {
  await recordSessionAudit(services, session, { ...overrideEntry(session, approver, permission, callName), outcome: 'DENIED' }, approver);
  throw new EngineError('OVERRIDE_REFUSED', `${approver.displayName} may not authorise this either (${permission})`, { permission });
}

/** An answer the contract does not declare is the engine's bug: it fails the call loudly in tests. */
function checkOutput(name: CallName, spec: CallSpec, value: unknown): void {
  const checked = spec.output.safeParse(value);
  if (checked.success) return;
  const issue = checked.error.issues[0]!;
  throw new Error(`${name} answered outside its declared output at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function invalid(error: z.ZodError, what: string): EngineError {
  const issue = error.issues[0]!;
  const field = issue.path.join('.');
  return new EngineError('INVALID_INPUT', `${field || what}: ${issue.message}`, { field: field || what });
}

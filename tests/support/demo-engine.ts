// A real engine on a fresh data directory holding the demo store, configured as its first
// register, with a clock the test can move and no real waiting between wrong PINs.
import { rmSync } from 'node:fs';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { openEngine, type Engine, type EngineOptions } from '#engine/engine.ts';
import type { CallResult } from '#engine/dispatch.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import type { CardTerminalSetting } from '#contract/device-settings.ts';
import { DEMO_TEMPLATE_START, demoDataDir } from './demo-template.ts';
import { freshDataDir } from './pglite-template.ts';

export type Clock = { now(): Date; advance(ms: number): void };

export function testClock(start = DEMO_TEMPLATE_START): Clock {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** `start`: where the clock starts (a loopback provider that checks dates against the real clock wants now). */
export async function openDemoEngine(
  label: string,
  options: Pick<EngineOptions, 'throttle' | 'cardProviderTimeoutMs'> & { start?: Date } = {},
) {
  const { start, ...engineOptions } = options;
  // The template's authenticators were enrolled at its start: a clock before that starts from scratch.
  const dir = start && start < DEMO_TEMPLATE_START ? freshDataDir(label) : demoDataDir(label);
  const clock = testClock(start);
  const sleeps: number[] = [];
  const engine = await openEngine(dir, {
    purpose: `test ${label}`,
    now: clock.now,
    sleep: async (ms) => void sleeps.push(ms),
    ...engineOptions,
  });
  const demo = readDemoStore();
  await setUpDemoStore(engine, demo);
  const staff = await engine.services.sql.query<{ id: string; code: string; name: string }>(
    'SELECT id, code, display_name AS name FROM business.employees ORDER BY code',
  );
  const byCode = (code: string) => staff.find((s) => s.code === code)!;
  const people = {
    owner: {
      ...byCode('001'),
      pin: demo.store.employees[0]!.pin,
      email: demo.store.employees[0]!.email,
      password: demo.store.employees[0]!.password!,
      totpSecret: demo.store.employees[0]!.totpSecret!,
    },
    manager: {
      ...byCode('002'),
      pin: demo.store.employees[1]!.pin,
      email: demo.store.employees[1]!.email,
      password: demo.store.employees[1]!.password!,
      totpSecret: demo.store.employees[1]!.totpSecret!,
    },
    cashier: { ...byCode('003'), pin: demo.store.employees[2]!.pin },
  };
  return {
    engine,
    dir,
    clock,
    sleeps,
    demo,
    people,
    async dispose() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of a successful call, or a test failure naming the error. */
export function ok<T>(result: CallResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export async function signIn(engine: Engine, employeeId: string, pin: string): Promise<string> {
  return ok(await engine.call('auth.signInWithPin', { employeeId, pin })).token;
}

/**
 * CAJA-1's card terminal paired by the manager through the devices form (`devices.configure`),
 * and the settings read afresh, as the register does when the form is saved.
 */
export async function pairCardTerminal(
  demo: { engine: Engine; people: { manager: { id: string; pin: string } } },
  cardTerminal: CardTerminalSetting,
) {
  const manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
  ok(await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { scanners: [], cardTerminal } }, { token: manager }));
}

export type BackOfficePerson = { id: string; pin: string; password: string; totpSecret: string };

/**
 * A PIN session stepped up with the password and the authenticator's code, as the back office
 * asks for before any change. The clock moves on one 30-second step first: each code is taken
 * once, and a second step-up in the same step would be a replay.
 */
export async function signInToBackOffice(t: { engine: Engine; clock: Clock }, person: BackOfficePerson): Promise<string> {
  const token = await signIn(t.engine, person.id, person.pin);
  await stepUp(t, token, person);
  return token;
}

export async function stepUp(
  t: { engine: Engine; clock: Clock },
  token: string,
  person: Pick<BackOfficePerson, 'password' | 'totpSecret'>,
) {
  t.clock.advance(30_000);
  return ok(
    await t.engine.call('auth.stepUp', { password: person.password, totp: totpCodeAt(person.totpSecret, t.clock.now()) }, { token }),
  );
}

// Every call in the contract, fed junk through the real dispatch() on a real demo engine: wrong
// types, extra and missing keys, nulls, arrays, huge strings, prototype-pollution keys. Each
// answer must be a clean {ok:false, error} with a known code (never INTERNAL, never a throw),
// or a success where the junk happened to be a valid input, and the engine must go on answering.
// A slice of the same junk also goes through the desktop relay (port server and preload client)
// to show that path adds no way around the validation.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract } from '#contract/calls.ts';
import { ERROR_CODES } from '#engine/errors.ts';
import { servePort, type EnginePort } from '#engine/server/port-server.ts';
import { loadSession } from '#engine/services/auth/sessions.ts';
import { createPortClient, type ClientPort } from '../../electron/shell/port-client.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { seededRandom } from '../support/seeded-random.ts';

const KNOWN = new Set<string>(ERROR_CODES.filter((c) => c !== 'INTERNAL'));
const CALLS = Object.keys(contract) as (keyof typeof contract)[];

const HUGE = 'x'.repeat(1_000_000);
const polluted = () =>
  JSON.parse(
    '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}',
  ) as unknown;

function scalarJunk(rnd: () => number): unknown {
  const pool: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => Number.NaN,
    () => -0,
    () => 2 ** 53 + 1,
    () => '',
    () => ' ',
    () => HUGE,
    () => '\u0000',
    () => "'; DROP TABLE sales.sales; --",
    () => '../../etc/passwd',
    () => '9'.repeat(40),
    () => '-1',
    () => '1e999',
    () => '0.00001',
    () => 'ñandú 🧾',
    () => '00000000-0000-0000-0000-000000000000',
    () => [],
    () => [null],
    () => ['a', 1],
    () => ({}),
    () => ({ a: { b: { c: [] } } }),
    polluted,
    () => Array.from({ length: 5_000 }, (_, i) => i),
  ];
  return pool[Math.floor(rnd() * pool.length)]!();
}

/** The keys an object-shaped input has, so junk can get past "not an object" to the fields. */
function keysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function junkFor(schema: z.ZodType, rnd: () => number): unknown[] {
  const keys = keysOf(schema);
  const out: unknown[] = [null, 'text', 42, [], [{}], HUGE, polluted(), { unexpected: true }, { __proto__: null, toString: 'x' }];
  for (let i = 0; i < 12; i++) out.push(scalarJunk(rnd));
  for (let i = 0; i < 10 && keys.length > 0; i++) {
    const input: Record<string, unknown> = {};
    for (const key of keys) if (rnd() < 0.8) input[key] = scalarJunk(rnd);
    if (rnd() < 0.3) input[`extra${i}`] = scalarJunk(rnd);
    out.push(input);
  }
  // Every field right-typed as a string but wrong in content, and one key too many.
  if (keys.length > 0) {
    out.push(Object.fromEntries(keys.map((k) => [k, 'junk'])));
    out.push({ ...Object.fromEntries(keys.map((k) => [k, HUGE])), __proto__: { polluted: 'yes' } });
  }
  return out;
}

const describeJunk = (value: unknown) => {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text;
  } catch {
    return String(value);
  }
};

let demo: Awaited<ReturnType<typeof openDemoEngine>>;

beforeAll(async () => {
  demo = await openDemoEngine('contract-junk');
}, 120_000);

afterAll(async () => {
  await demo?.dispose();
});

describe('junk to every call of the contract', () => {
  it('gets a clean refusal with a known code, signed in as the owner or not at all, and the engine answers afterwards', async () => {
    const { engine, people } = demo;
    const bad: string[] = [];
    let refused = 0;
    let accepted = 0;
    for (const [index, name] of CALLS.entries()) {
      const rnd = seededRandom(1000 + index).next;
      // A fresh owner session per call: the junk for one call (auth.signOut, say) may end it.
      const token = await signIn(engine, people.owner.id, people.owner.pin);
      for (const input of junkFor(contract[name].input as z.ZodType, rnd)) {
        for (const envelope of [
          { call: name, input, token },
          { call: name, input },
        ]) {
          let result: unknown;
          try {
            result = await engine.dispatch(envelope);
          } catch (err) {
            bad.push(`${name} threw ${(err as Error).message} for ${describeJunk(input)}`);
            continue;
          }
          const r = result as { ok: boolean; error?: { code: string; message: unknown } };
          if (r.ok === true) accepted += 1;
          else if (r.ok === false && KNOWN.has(r.error!.code) && typeof r.error!.message === 'string') refused += 1;
          else bad.push(`${name} answered ${describeJunk(result)} for ${describeJunk(input)}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(refused).toBeGreaterThan(CALLS.length * 20);
    // Nothing was written onto Object.prototype by a "__proto__" key.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);

    // Still the same till: the staff list, a PIN sign-in and the sale screen's first call.
    const staff = ok(await engine.call('auth.staffForSignIn', {}));
    expect(staff.length).toBeGreaterThanOrEqual(3);
    const cashier = await signIn(engine, people.cashier.id, people.cashier.pin);
    const current = await engine.call('sales.current', {}, { token: cashier });
    expect(current.ok || KNOWN.has(current.error.code)).toBe(true);
    expect(accepted + refused).toBeGreaterThan(0);
  }, 300_000);

  it('refuses an envelope that is not one: unknown calls, prototype names, wrong shapes, extra keys', async () => {
    const { engine } = demo;
    for (const envelope of [
      null,
      undefined,
      'sales.current',
      42,
      [],
      {},
      { call: 'constructor' },
      { call: '__proto__' },
      { call: 'toString' },
      { call: 'hasOwnProperty' },
      { call: 'sales.current', token: 5 },
      { call: 'sales.current', token: HUGE },
      { call: 'sales.current', extra: 1 },
      { call: 'sales.current', override: { employeeId: 'x' } },
      { call: 'sales.current', override: 'pin' },
      { call: HUGE },
      polluted(),
    ]) {
      const result = await engine.dispatch(envelope);
      expect(result.ok, describeJunk(envelope)).toBe(false);
      if (!result.ok) expect(KNOWN.has(result.error.code), `${describeJunk(envelope)} -> ${result.error.code}`).toBe(true);
    }
  });

  it('is refused the same way through the desktop relay, which keeps answering afterwards', async () => {
    const { engine, people } = demo;
    const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
    const enginePort = {
      on(event: string, listener: (m?: { data: unknown }) => void) {
        if (event === 'message') port2.on('message', (data: unknown) => listener({ data }));
        else port2.on('close', () => listener());
        return this;
      },
      postMessage: (m: unknown) => port2.postMessage(m),
      start: () => port2.start(),
      close: () => port2.close(),
    } as unknown as EnginePort;
    const stop = servePort(enginePort, {
      kind: 'register',
      events: engine.events,
      dispatch: engine.dispatch,
      checkSession: async (token) => void (await loadSession(engine.services.sql, token, engine.services.now())),
    });
    const client = createPortClient();
    client.attach(port1 as unknown as ClientPort);
    try {
      const token = await signIn(engine, people.owner.id, people.owner.pin);
      const rnd = seededRandom(7).next;
      for (const name of CALLS) {
        for (const input of junkFor(contract[name].input as z.ZodType, rnd).slice(0, 6)) {
          // Structured clone cannot carry undefined-only holes or functions; JSON junk can always cross.
          const result = await client.call(name, input, { token, timeoutMs: 30_000 });
          if (!result.ok)
            expect(KNOWN.has(result.error.code), `${name} ${describeJunk(input)} -> ${result.error.code}: ${result.error.message}`).toBe(
              true,
            );
        }
      }
      const after = await client.call('auth.staffForSignIn', {}, { timeoutMs: 10_000 });
      expect(after.ok).toBe(true);
    } finally {
      stop();
      port1.close();
    }
  }, 300_000);
});

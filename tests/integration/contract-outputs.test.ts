// The contract declares what every call answers, and the engine is held to it: the screens are
// typed by the declarations, and every test run checks each answer against them (dispatch.ts,
// POS_CHECK_OUTPUTS). Here: no call is left without a declaration or without a test that makes
// it, and an answer that strays from its declaration fails the call instead of reaching a screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type CallName } from '#contract/calls.ts';
import type { CallSpec } from '#contract/fields.ts';
import { handlers } from '#engine/handlers.ts';
import { ADMIN_CALLS, SELLING_CALLS } from '../support/contract-owners.ts';
import { ok, openDemoEngine } from '../support/demo-engine.ts';

const names = Object.keys(contract) as CallName[];

describe('the contract', () => {
  it('declares an output schema for every call', () => {
    const undeclared = names.filter((name) => !(contract[name] as CallSpec).output);
    expect(undeclared).toEqual([]);
  });

  it('gives every call to exactly one of the tests that make each call and parse its answer', () => {
    const owners = (name: string) => [SELLING_CALLS, ADMIN_CALLS].filter((owner) => owner.test(name)).length;
    expect(names.filter((name) => owners(name) !== 1)).toEqual([]);
  });
});

describe('an answer outside its declaration', () => {
  let t: Awaited<ReturnType<typeof openDemoEngine>>;
  const original = handlers['terminal.info'];

  beforeAll(async () => {
    t = await openDemoEngine('contract-outputs');
  });
  afterAll(async () => {
    handlers['terminal.info'] = original;
    await t?.dispose();
  });

  it('fails the call with an incident instead of reaching the screen: an undeclared field, or a field of the wrong kind', async () => {
    const info = ok(await t.engine.call('terminal.info', {}));
    expect(process.env.POS_CHECK_OUTPUTS).toBe('1');

    handlers['terminal.info'] = (async () => ({ ...info, piiKey: 'c2VjcmV0' })) as typeof original;
    const leaked = await t.engine.call('terminal.info', {});
    expect(leaked.ok).toBe(false);
    if (!leaked.ok) expect(leaked.error.code).toBe('INTERNAL');

    handlers['terminal.info'] = (async () => ({ ...info, cashConfirmMultiple: 20 })) as unknown as typeof original;
    const wrongKind = await t.engine.call('terminal.info', {});
    expect(wrongKind.ok).toBe(false);

    handlers['terminal.info'] = original;
    expect(ok(await t.engine.call('terminal.info', {}))).toEqual(info);
  });
});

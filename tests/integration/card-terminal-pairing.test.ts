// Pairing the register with its card terminal from the back office, on a real demo engine against
// a loopback Mercado Pago on 127.0.0.1: the owner's token installed (tried first, so a token the
// provider refuses or a provider that does not answer installs nothing), the account's terminals
// listed with the ones that cannot take charges from the register marked, what is installed told
// without its content; and the token nowhere but its 0600 file: not in an answer, the journal, the
// database or the log.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { paymentKeysDir } from '#engine/security/payment-secrets.ts';
import { portNobodyListensOn } from '../support/card-provider-failures.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

const TOKEN = 'APP_USR-5520917734416620-072214-9f1e0c3b7a5d2e8f4a6c-3344556677';
const WRONG = 'APP_USR-0000000000000000-000000-00000000000000000000-0000000000';
const WEBHOOK_SECRET = '7c2e9a41b6d84f0e93a5c1d7e2f4b6a8';
const PDV = 'PAX_A910__SMARTPOS1423';
const STANDALONE = 'PAX_A910__SMARTPOS9981';

describe('pairing the register with its card terminal from the back office', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let mp: LoopbackMercadoPago;
  let owner: string;
  /** Every answer the engine gave here, to look for the token in. */
  const answers: unknown[] = [];
  const call = async <T>(result: Promise<CallResult<T>>) => {
    const answered = await result;
    answers.push(answered);
    return answered;
  };
  const tokenFile = () => join(paymentKeysDir(demo.dir), 'mercadopago.json');
  const status = async () => ok(await call(demo.engine.call('payments.providerStatus', {}, { token: owner })));

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      terminals: [
        { id: PDV, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' },
        { id: STANDALONE, operating_mode: 'STANDALONE', pos_id: 2, store_id: '1', external_pos_id: 'CAJA2' },
      ],
    });
    demo = await openDemoEngine('card-terminal-pairing');
    owner = await signInToBackOffice(demo, demo.people.owner);
  }, 60_000);
  afterAll(async () => {
    await mp?.close();
    await demo?.engine.close().catch(() => undefined);
    if (demo) rmSync(demo.dir, { recursive: true, force: true });
  });

  it('says no provider has a token on a register that was never paired', async () => {
    expect(await status()).toEqual({
      registerCode: 'CAJA-1',
      cardTerminal: null,
      providers: [
        { provider: 'mercadopago', installed: false, tokenEnds: null, webhookSecret: false },
        { provider: 'clip', installed: false, tokenEnds: null, webhookSecret: false },
      ],
    });
    expect(
      await call(demo.engine.call('payments.providerTerminals', { provider: 'mercadopago', baseUrl: mp.baseUrl }, { token: owner })),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'NO_PROVIDER_TOKEN', provider: 'mercadopago' } } });
  });

  it('refuses a token Mercado Pago does not accept in words, and installs nothing', async () => {
    const refused = await call(
      demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: WRONG, baseUrl: mp.baseUrl }, { token: owner }),
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', params: { reason: 'TOKEN_REFUSED', provider: 'mercadopago', providerName: 'Mercado Pago' } },
    });
    expect(refused.ok ? '' : refused.error.message).toContain('Mercado Pago no aceptó el token de acceso');
    expect(() => statSync(tokenFile())).toThrow();
    expect((await status()).providers[0]).toMatchObject({ installed: false });
  });

  it('refuses to install a token while Mercado Pago cannot be reached, saying so', async () => {
    const nowhere = `http://127.0.0.1:${await portNobodyListensOn()}`;
    expect(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: TOKEN, baseUrl: nowhere }, { token: owner }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'PROVIDER_NOT_ANSWERING', provider: 'mercadopago' } } });
    expect(() => statSync(tokenFile())).toThrow();
  });

  it("installs a token Mercado Pago accepts in a file only its owner reads, and answers the account's terminals, never the token", async () => {
    // The boundary takes no control character, even at the ends: the form trims a paste, the call does not.
    const padded = await call(
      demo.engine.call(
        'payments.setProviderToken',
        { provider: 'mercadopago', token: `  ${TOKEN}\n`, webhookSecret: WEBHOOK_SECRET, baseUrl: mp.baseUrl },
        { token: owner },
      ),
    );
    expect(padded).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(() => statSync(tokenFile())).toThrow();
    const installed = ok(
      await call(
        demo.engine.call(
          'payments.setProviderToken',
          { provider: 'mercadopago', token: TOKEN, webhookSecret: WEBHOOK_SECRET, baseUrl: mp.baseUrl },
          { token: owner },
        ),
      ),
    );
    expect(installed).toEqual({
      provider: 'mercadopago',
      installed: true,
      tokenEnds: '6677',
      webhookSecret: true,
      terminals: [
        { id: PDV, label: 'SMARTPOS1423', integrated: true, paired: false },
        { id: STANDALONE, label: 'SMARTPOS9981', integrated: false, paired: false },
      ],
    });
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
    // What the CLI writes.
    expect(JSON.parse(readFileSync(tokenFile(), 'utf8'))).toEqual({
      provider: 'mercadopago',
      accessToken: TOKEN,
      webhookSecret: WEBHOOK_SECRET,
    });
    const [audit] = await demo.engine.services.sql.query<{ actor: string; details: Record<string, unknown> }>(
      `SELECT actor_employee_id AS actor, details FROM auth.audit_logs WHERE action = 'payments.token_installed'`,
    );
    expect(audit).toEqual({
      actor: demo.people.owner.id,
      details: { provider: 'mercadopago', replaced: false, withWebhookSecret: true },
    });
  });

  it('lists the terminals with the installed token and marks the one the register is paired with once devices.configure pairs it', async () => {
    ok(
      await call(
        demo.engine.call(
          'devices.configure',
          {
            registerCode: 'CAJA-1',
            devices: { scanners: [], cardTerminal: { provider: 'mercadopago', terminalId: PDV, baseUrl: mp.baseUrl } },
          },
          { token: owner },
        ),
      ),
    );
    expect(
      ok(await call(demo.engine.call('payments.providerTerminals', { provider: 'mercadopago', baseUrl: mp.baseUrl }, { token: owner }))),
    ).toEqual({
      provider: 'mercadopago',
      terminals: [
        { id: PDV, label: 'SMARTPOS1423', integrated: true, paired: true },
        { id: STANDALONE, label: 'SMARTPOS9981', integrated: false, paired: false },
      ],
    });
    expect(await status()).toMatchObject({
      cardTerminal: { provider: 'mercadopago', terminalId: PDV, baseUrl: mp.baseUrl },
      providers: [{ provider: 'mercadopago', installed: true, tokenEnds: '6677', webhookSecret: true }, { installed: false }],
    });
  });

  it('keeps the working token when a wrong one is pasted over it, and the webhook secret when a new token comes without one', async () => {
    const before = readFileSync(tokenFile());
    expect(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: WRONG, baseUrl: mp.baseUrl }, { token: owner }),
      ),
    ).toMatchObject({ ok: false, error: { params: { reason: 'TOKEN_REFUSED' } } });
    expect(readFileSync(tokenFile())).toEqual(before);

    ok(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: TOKEN, baseUrl: mp.baseUrl }, { token: owner }),
      ),
    );
    expect(JSON.parse(readFileSync(tokenFile(), 'utf8'))).toMatchObject({ webhookSecret: WEBHOOK_SECRET });
  });

  it('tells a revoked token and a provider that does not answer apart when listing the terminals', async () => {
    mp.refuseToken(true);
    expect(
      await call(demo.engine.call('payments.providerTerminals', { provider: 'mercadopago', baseUrl: mp.baseUrl }, { token: owner })),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'TOKEN_REFUSED' } } });
    mp.refuseToken(false);
    mp.script({ status: 503, json: { errors: [{ code: 'internal_error', message: 'Service unavailable.' }] } });
    expect(
      await call(demo.engine.call('payments.providerTerminals', { provider: 'mercadopago', baseUrl: mp.baseUrl }, { token: owner })),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'PROVIDER_NOT_ANSWERING' } } });
  });

  it('refuses a token with spaces or too short without quoting it, and a base URL that is not https', async () => {
    const spaced = await call(
      demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: 'APP_USR 1234 5678' }, { token: owner }),
    );
    expect(spaced).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'token' } } });
    expect(JSON.stringify(spaced)).not.toContain('1234 5678');
    expect(
      await call(
        demo.engine.call('payments.providerTerminals', { provider: 'mercadopago', baseUrl: 'http://api.example.com' }, { token: owner }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'baseUrl' } } });
  });

  it('refuses Clip credentials that are not its api key and secret, in words', async () => {
    expect(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'clip', token: 'solo-una-clave-sin-secreto' }, { token: owner }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'token', reason: 'CLIP_TOKEN_FORM' } } });
    expect((await status()).providers[1]).toMatchObject({ installed: false });
  });

  it("lets the owner install a token only after the step-up, and never a manager, whose role does not change the store's settings", async () => {
    const pinOnly = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    expect(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: TOKEN, baseUrl: mp.baseUrl }, { token: pinOnly }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    const manager = await signInToBackOffice(demo, demo.people.manager);
    expect(
      await call(
        demo.engine.call('payments.setProviderToken', { provider: 'mercadopago', token: TOKEN, baseUrl: mp.baseUrl }, { token: manager }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // What is installed is no secret: a manager who pairs the terminal may see it.
    expect(ok(await call(demo.engine.call('payments.providerStatus', {}, { token: manager }))).providers[0]).toMatchObject({
      installed: true,
      tokenEnds: '6677',
    });
  });

  it('keeps the token out of every answer, the database, the journal and the log: only its own file holds it', async () => {
    const texts = answers.map((a) => JSON.stringify(a));
    expect(texts.filter((t) => t.includes(TOKEN) || t.includes(WRONG) || t.includes(WEBHOOK_SECRET))).toEqual([]);
    const [found] = await demo.engine.services.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM auth.audit_logs WHERE details::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM business.settings WHERE value::text LIKE '%' || $1 || '%') AS n`,
      ['APP_USR'],
    );
    expect(Number(found!.n)).toBe(0);
    await demo.engine.close();
    // Every byte the register keeps (the database's files, the journal, the logs), but the secret's own file.
    const holding: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path !== tokenFile()) {
          const bytes = readFileSync(path);
          if ([TOKEN, WRONG, WEBHOOK_SECRET, TOKEN.slice(8, 40)].some((s) => bytes.includes(s))) holding.push(path);
        }
      }
    };
    walk(demo.dir);
    expect(readdirSync(join(demo.dir, 'logs')).length).toBeGreaterThan(0);
    expect(statSync(join(demo.dir, 'journal.sqlite')).size).toBeGreaterThan(0);
    expect(holding).toEqual([]);
  });
});

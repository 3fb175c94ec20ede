// The register's card terminal, for whoever may change the business's settings (Alt+8): the
// provider, its token pasted into a password field (kept only in this register's secret files,
// never shown again, the field emptied once saved), an optional webhook secret and, for testing, the
// API's address; then the account's terminals, those the register cannot charge on shown with why,
// and one chosen (arrows) and paired with this register (Enter). The token field has the keyboard
// on the way in; Enter saves the token typed, or with none typed lists the terminals with the one
// installed.
import { useEffect, useRef, useState } from 'react';
import { CARD_PROVIDERS, type CardProvider } from '#contract/payment-vocabulary.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { PROVIDER_NAMES } from '../../stores/back-office.ts';

export function CardTerminalTab({ useBackOffice, i18n }: BackOfficeProps) {
  const status = useBackOffice((s) => s.cardTerminalStatus);
  const listed = useBackOffice((s) => s.providerTerminals);
  const problems = useBackOffice((s) => s.tokenProblems);
  const problem = useBackOffice((s) => s.cardTerminalProblem);
  const busy = useBackOffice((s) => s.busy);
  const { saveProviderToken, findTerminals, pairTerminal } = useBackOffice.getState();
  const [provider, setProvider] = useState<CardProvider>('mercadopago');
  const [token, setToken] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const firstChoice = useRef<HTMLInputElement>(null);

  // Once the engine has said what is paired: its provider and address are where the form starts.
  const paired = status?.cardTerminal ?? null;
  const pairedProvider = paired?.provider;
  const pairedBaseUrl = paired?.baseUrl;
  useEffect(() => {
    if (!pairedProvider) return;
    setProvider(pairedProvider);
    setBaseUrl(pairedBaseUrl ?? '');
  }, [pairedProvider, pairedBaseUrl]);
  // A new list: the terminal paired now is the one chosen, else none; the keyboard goes to the list.
  useEffect(() => {
    setChosen(listed?.terminals.find((t) => t.paired)?.id ?? null);
    if (listed) firstChoice.current?.focus();
  }, [listed]);

  const installed = status?.providers.find((p) => p.provider === provider);
  const name = PROVIDER_NAMES[provider];
  const invalid = (field: 'token' | 'webhookSecret' | 'baseUrl') => problems.includes(field);
  const find = () => void findTerminals(provider, baseUrl);
  const submit = async () => {
    if (token.trim() === '' && installed?.installed) {
      find();
      return;
    }
    if (await saveProviderToken({ provider, token, webhookSecret, baseUrl })) {
      setToken('');
      setWebhookSecret('');
    }
  };
  const pairedTerminal = paired ? (listed?.terminals.find((t) => t.id === paired.terminalId)?.label ?? paired.terminalId) : null;
  const selectable = listed?.terminals.filter((t) => t.integrated) ?? [];
  // Where the keyboard lands in a new list: the terminal chosen if it is still there, else the first that can be chosen.
  const landing = chosen && selectable.some((t) => t.id === chosen) ? chosen : selectable[0]?.id;

  return (
    <div className="bo-card-terminal">
      <form
        className="bo-card narrow bo-settings"
        aria-labelledby="bo-card-terminal-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h3 id="bo-card-terminal-title">{i18n.t('bo.cardTerminal.title', { register: status?.registerCode ?? '' })}</h3>
        {status ? (
          <p className="bo-settings-now" role="status">
            {paired && pairedTerminal
              ? i18n.t('bo.cardTerminal.now', { terminal: pairedTerminal, provider: PROVIDER_NAMES[paired.provider] })
              : i18n.t('bo.cardTerminal.nowNone')}
          </p>
        ) : null}
        <fieldset className="bo-card-terminal-providers">
          <legend>{i18n.t('bo.cardTerminal.provider')}</legend>
          {CARD_PROVIDERS.map((p) => (
            <label key={p} className="choice">
              <input
                type="radio"
                name="bo-card-provider"
                checked={provider === p}
                onChange={() => {
                  setProvider(p);
                  if (p !== paired?.provider) setBaseUrl('');
                }}
              />{' '}
              {PROVIDER_NAMES[p]}
            </label>
          ))}
        </fieldset>
        <p className="muted bo-settings-hint" role="status" aria-live="polite">
          {installed?.installed
            ? i18n.t(installed.webhookSecret ? 'bo.cardTerminal.installedWithSecret' : 'bo.cardTerminal.installed', {
                provider: name,
                ends: installed.tokenEnds ?? '',
              })
            : i18n.t('bo.cardTerminal.notInstalled', { provider: name })}
        </p>
        <label htmlFor="bo-card-token">
          {i18n.t(provider === 'clip' ? 'bo.cardTerminal.token.clip' : 'bo.cardTerminal.token.mercadopago')}
        </label>
        <input
          id="bo-card-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          maxLength={600}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={invalid('token')}
          aria-describedby={invalid('token') ? 'bo-card-token-problem bo-card-token-hint' : 'bo-card-token-hint'}
          autoFocus
        />
        {invalid('token') ? (
          <p id="bo-card-token-problem" className="message" role="alert">
            {i18n.t('bo.cardTerminal.badToken')}
          </p>
        ) : null}
        <p id="bo-card-token-hint" className="muted bo-settings-hint">
          {i18n.t('bo.cardTerminal.tokenHint')}
        </p>
        <label htmlFor="bo-card-webhook-secret">{i18n.t('bo.cardTerminal.webhookSecret')}</label>
        <input
          id="bo-card-webhook-secret"
          type="password"
          autoComplete="off"
          spellCheck={false}
          maxLength={600}
          value={webhookSecret}
          onChange={(e) => setWebhookSecret(e.target.value)}
          aria-invalid={invalid('webhookSecret')}
          aria-describedby="bo-card-webhook-secret-hint"
        />
        <p id="bo-card-webhook-secret-hint" className={invalid('webhookSecret') ? 'message' : 'muted bo-settings-hint'}>
          {i18n.t(invalid('webhookSecret') ? 'bo.cardTerminal.badToken' : 'bo.cardTerminal.webhookSecretHint')}
        </p>
        <label htmlFor="bo-card-base-url">{i18n.t('bo.cardTerminal.baseUrl')}</label>
        <input
          id="bo-card-base-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          placeholder={provider === 'clip' ? 'https://api.payclip.com' : 'https://api.mercadopago.com'}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          aria-invalid={invalid('baseUrl')}
          aria-describedby="bo-card-base-url-hint"
        />
        <p id="bo-card-base-url-hint" className={invalid('baseUrl') ? 'message' : 'muted bo-settings-hint'}>
          {i18n.t(invalid('baseUrl') ? 'bo.cardTerminal.badBaseUrl' : 'bo.cardTerminal.baseUrlHint')}
        </p>
        {problem ? (
          <p className="message" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="bo-card-terminal-actions">
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t('bo.cardTerminal.saveToken')} <kbd>Enter</kbd>
          </button>
          <button type="button" disabled={busy || !installed?.installed} onClick={find}>
            {i18n.t('bo.cardTerminal.find')}
          </button>
        </div>
      </form>

      {listed ? (
        <form
          className="bo-card narrow"
          aria-labelledby="bo-card-terminals-title"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen) void pairTerminal(chosen);
          }}
        >
          <h3 id="bo-card-terminals-title">{i18n.t('bo.cardTerminal.terminals', { provider: PROVIDER_NAMES[listed.provider] })}</h3>
          {listed.terminals.length === 0 ? <p>{i18n.t('bo.cardTerminal.none')}</p> : null}
          <fieldset
            className="bo-card-terminal-list"
            aria-label={i18n.t('bo.cardTerminal.terminals', { provider: PROVIDER_NAMES[listed.provider] })}
          >
            {listed.terminals.map((t) => (
              <div key={t.id} className={t.integrated ? 'bo-terminal' : 'bo-terminal inactive'}>
                <label className="choice">
                  <input
                    ref={t.id === landing ? firstChoice : undefined}
                    type="radio"
                    name="bo-card-terminal"
                    value={t.id}
                    disabled={!t.integrated}
                    checked={chosen === t.id}
                    aria-describedby={t.integrated ? undefined : `bo-terminal-why-${t.id}`}
                    onChange={() => setChosen(t.id)}
                    onKeyDown={(e) => {
                      // Enter on the choice pairs it, as the button does.
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        if (chosen) void pairTerminal(chosen);
                      }
                    }}
                  />{' '}
                  <span>
                    {t.label ?? t.id} <span className="muted">{t.id}</span>
                    {t.paired ? <span className="badge ok">{i18n.t('bo.cardTerminal.pairedMark')}</span> : null}
                  </span>
                </label>
                {t.integrated ? null : (
                  <p id={`bo-terminal-why-${t.id}`} className="muted bo-settings-hint">
                    {i18n.t(
                      listed.provider === 'clip' ? 'bo.cardTerminal.notIntegrated.clip' : 'bo.cardTerminal.notIntegrated.mercadopago',
                    )}
                  </p>
                )}
              </div>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="primary" disabled={busy || !chosen}>
              {i18n.t('bo.cardTerminal.pair')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

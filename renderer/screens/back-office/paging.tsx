// Previous and next page of a long list (PageUp / PageDown), and the search field above it.
import { useEffect, useState } from 'react';
import type { I18n } from '../../i18n/index.ts';

export function Pager({
  i18n,
  canBack,
  canForward,
  onPage,
  busy,
}: {
  i18n: I18n;
  canBack: boolean;
  canForward: boolean;
  busy: boolean;
  onPage(direction: 1 | -1): void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'PageDown' && canForward) {
        e.preventDefault();
        onPage(1);
      } else if (e.key === 'PageUp' && canBack) {
        e.preventDefault();
        onPage(-1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canBack, canForward, onPage]);
  return (
    <div className="bo-pager">
      <button type="button" disabled={busy || !canBack} aria-keyshortcuts="PageUp" onClick={() => onPage(-1)}>
        {i18n.t('bo.page.previous')} <kbd>RePág</kbd>
      </button>
      <button type="button" disabled={busy || !canForward} aria-keyshortcuts="PageDown" onClick={() => onPage(1)}>
        {i18n.t('bo.page.next')} <kbd>AvPág</kbd>
      </button>
    </div>
  );
}

export function SearchForm({
  i18n,
  label,
  initial,
  onSearch,
  busy,
}: {
  i18n: I18n;
  label: string;
  initial: string;
  busy: boolean;
  onSearch(text: string): void;
}) {
  const [text, setText] = useState(initial);
  return (
    <form
      className="bo-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text);
      }}
    >
      <label className="visually-hidden" htmlFor="bo-search">
        {label}
      </label>
      <input
        id="bo-search"
        data-scan-target=""
        type="search"
        autoComplete="off"
        placeholder={label}
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoFocus
      />
      <button type="submit" disabled={busy}>
        {i18n.t('bo.search')} <kbd>Enter</kbd>
      </button>
    </form>
  );
}

/** A labelled text field; `invalid` says in place what is wrong with it. */
export function Field({
  id,
  label,
  value,
  onChange,
  invalid,
  ...rest
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  invalid?: string | null;
  inputMode?: 'decimal' | 'numeric' | 'text' | 'email' | 'tel';
  type?: string;
  autoFocus?: boolean;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        autoComplete="off"
        value={value}
        aria-invalid={Boolean(invalid)}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
      {invalid ? (
        <p id={`${id}-error`} className="message" role="alert">
          {invalid}
        </p>
      ) : null}
    </div>
  );
}

// Finding a product without its barcode: by name, brand or code, forgiving accents and slips
// (jalapeno finds Jalapeño). Results come as the cashier types; ↑ ↓ choose one (the first to
// begin with) without leaving the field, and Enter adds the one chosen.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { arrowStep } from '../components/arrow-keys.ts';
import { Message } from '../components/message.tsx';

/** What the engine's search takes (sales.search): longer is not a product's name. */
const SEARCH_MAX = 100;

export function SearchScreen({ useRegister, i18n }: ScreenProps) {
  const hits = useRegister((s) => s.hits);
  const message = useRegister((s) => s.message);
  const { search, addVariant, show } = useRegister.getState();
  const [text, setText] = useState('');
  const [searched, setSearched] = useState('');
  const [chosen, setChosen] = useState(0);
  const [tooLong, setTooLong] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      void search(text).then(() => setSearched(text));
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text, search]);
  // New results: the first is the one Enter adds again.
  useEffect(() => setChosen(0), [hits]);
  const hit = hits[Math.min(chosen, hits.length - 1)];
  return (
    <section className="panel wide" aria-labelledby="search-title">
      <h1 id="search-title">{i18n.t('search.title')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (hit) void addVariant(hit.variantId);
        }}
      >
        <input
          aria-label={i18n.t('search.field')}
          placeholder={i18n.t('search.field')}
          autoFocus
          autoComplete="off"
          value={text}
          maxLength={SEARCH_MAX}
          aria-invalid={tooLong}
          // A paste longer than any name (a page of text, say) is refused whole rather than cut
          // to a search nobody meant; what was typed before stays.
          onPaste={(e) => {
            const pasted = e.clipboardData.getData('text');
            if (text.length + pasted.length <= SEARCH_MAX) return setTooLong(false);
            e.preventDefault();
            setTooLong(true);
          }}
          onChange={(e) => {
            setText(e.target.value);
            setTooLong(false);
          }}
          onKeyDown={(e) => {
            const next = arrowStep(chosen, e.key, hits.length);
            if (next === null) return;
            e.preventDefault();
            setChosen(next);
            document.getElementById(`hit-${hits[next]!.variantId}`)?.scrollIntoView({ block: 'nearest' });
          }}
        />
      </form>
      {tooLong ? (
        <p className="message" role="alert">
          {i18n.t('search.tooLong', { max: SEARCH_MAX })}
        </p>
      ) : null}
      {searched.trim() && hits.length === 0 ? <p>{i18n.t('search.none', { text: searched.trim() })}</p> : null}
      <ul className="hits" id="search-hits">
        {hits.map((h) => (
          <li key={h.variantId}>
            <button
              type="button"
              id={`hit-${h.variantId}`}
              className={h === hit ? 'chosen' : undefined}
              aria-current={h === hit ? 'true' : undefined}
              aria-label={i18n.t('search.add', { name: h.name })}
              onClick={() => void addVariant(h.variantId)}
            >
              <span className="hit-name">
                {h.name}
                <small>{[h.brand, h.sku].filter(Boolean).join(' · ')}</small>
              </span>
              <span className="amount">
                {i18n.money(h.price)}
                {h.unit === 'kg' ? ' / kg' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>
        {i18n.t('menu.back')} <kbd>Esc</kbd>
      </button>
    </section>
  );
}

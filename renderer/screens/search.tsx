// Finding a product without its barcode: by name, brand or code, forgiving accents and slips
// (jalapeno finds Jalapeño). Results come as the cashier types; Enter adds the first.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';

export function SearchScreen({ useRegister, i18n }: ScreenProps) {
  const hits = useRegister((s) => s.hits);
  const message = useRegister((s) => s.message);
  const { search, addVariant, show } = useRegister.getState();
  const [text, setText] = useState('');
  const [searched, setSearched] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => {
      void search(text).then(() => setSearched(text));
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text, search]);
  return (
    <section className="panel wide" aria-labelledby="search-title">
      <h1 id="search-title">{i18n.t('search.title')}</h1>
      <form onSubmit={(e) => { e.preventDefault(); if (hits[0]) void addVariant(hits[0].variantId); }}>
        <input aria-label={i18n.t('search.field')} placeholder={i18n.t('search.field')} autoFocus autoComplete="off" value={text}
          onChange={(e) => setText(e.target.value)} />
      </form>
      {searched.trim() && hits.length === 0 ? <p>{i18n.t('search.none', { text: searched.trim() })}</p> : null}
      <ul className="hits">
        {hits.map((hit) => (
          <li key={hit.variantId}>
            <button type="button" aria-label={i18n.t('search.add', { name: hit.name })} onClick={() => void addVariant(hit.variantId)}>
              <span>{hit.name}</span><span className="amount">{i18n.money(hit.price)}{hit.unit === 'kg' ? ' / kg' : ''}</span>
            </button>
          </li>
        ))}
      </ul>
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>{i18n.t('menu.back')} <kbd>Esc</kbd></button>
    </section>
  );
}

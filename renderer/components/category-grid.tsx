// Selling what has no barcode by touch: the store's categories as big buttons, then a category's
// products a page at a time (PageUp/PageDown or the arrows on screen). A product by the piece
// goes straight into the sale; a weighed one asks for its weight first. The arrow keys move
// from tile to tile (from the scan field too, while it is empty) and Enter takes the one chosen.
import { useRef } from 'react';
import type { ScreenProps } from '../app.tsx';
import { useCounter } from '../stores/counter.ts';
import { useArrowFocus } from './arrow-keys.ts';
import { gridPageSize } from '../screens/sell-lines.ts';
import type { BrowseTile } from '../stores/register.ts';

export function CategoryGrid({ useRegister, i18n }: ScreenProps) {
  const categories = useRegister((s) => s.categories);
  const browsing = useRegister((s) => s.browsing);
  const busy = useRegister((s) => s.busy);
  const { browse, closeCategory, addVariant, editLine } = useRegister.getState();
  const tiles = useRef<HTMLElement>(null);
  useArrowFocus(
    tiles,
    '.tile',
    () => {
      const s = useRegister.getState();
      return (
        s.panel === 'browse' &&
        !s.paying &&
        !s.approval &&
        !s.editing &&
        !s.switching &&
        !s.discounting &&
        !s.receipt &&
        useCounter.getState().dialog === null
      );
    },
    { grid: true },
  );
  const tap = (item: BrowseTile) => {
    if (item.soldBy === 'WEIGHT') editLine({ kind: 'weigh', item });
    else void addVariant(item.variantId);
  };
  if (!browsing) {
    return (
      <nav ref={tiles} className="grid categories" aria-label={i18n.t('browse.all')}>
        {categories.map((c) => (
          <button
            type="button"
            key={c.id}
            className="tile"
            style={c.color ? { borderColor: c.color } : undefined}
            disabled={busy}
            onClick={() => void browse(c.id, 1, gridPageSize(window.innerWidth, window.innerHeight))}
          >
            {c.name}
          </button>
        ))}
      </nav>
    );
  }
  const { category, items, page, pageCount } = browsing;
  return (
    <section ref={tiles} className="browse" aria-label={category.name}>
      <header className="browse-bar">
        <button type="button" aria-label={i18n.t('browse.all')} onClick={() => closeCategory()}>
          ← {i18n.t('menu.browse')}
        </button>
        <h2>{category.name}</h2>
        <span className="pages">
          <button
            type="button"
            aria-label={i18n.t('browse.prev')}
            aria-keyshortcuts="PageUp"
            disabled={busy || page <= 1}
            onClick={() => void browse(category.id, page - 1)}
          >
            ‹ <kbd>{i18n.t('key.pageUp')}</kbd>
          </button>
          <span role="status">{i18n.t('browse.page', { page, count: pageCount })}</span>
          <button
            type="button"
            aria-label={i18n.t('browse.next')}
            aria-keyshortcuts="PageDown"
            disabled={busy || page >= pageCount}
            onClick={() => void browse(category.id, page + 1)}
          >
            <kbd>{i18n.t('key.pageDown')}</kbd> ›
          </button>
        </span>
      </header>
      {items.length === 0 ? (
        <p className="empty">{i18n.t('browse.empty')}</p>
      ) : (
        <div className="grid products">
          {items.map((item) => (
            <button
              type="button"
              key={item.variantId}
              className="tile"
              aria-label={i18n.t('browse.add', { name: item.brand ? `${item.name}, ${item.brand}` : item.name })}
              disabled={busy}
              onClick={() => tap(item)}
            >
              <span className="tile-name">{item.name}</span>
              {item.brand ? <span className="tile-brand">{item.brand}</span> : null}
              <span className="amount">
                {i18n.money(item.price)}
                {item.soldBy === 'WEIGHT' ? ` / ${item.unit}` : ''}
              </span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

// The catalog a page at a time: search by name, brand or code (the register's own search), or
// page through everything newest first; a product opens in the editor. Alt+N starts a new one.
import { useEffect } from 'react';
import type { BackOfficeProps } from './back-office.tsx';
import { Pager, SearchForm } from './paging.tsx';
import { ProductEditor } from './product-editor.tsx';
import { trimZeros } from './forms.ts';
import { SortableHeader, useSorted } from './sortable-header.tsx';
import type { Column } from './sorting.ts';
import type { ProductRow } from '../../stores/back-office.ts';

/** What each column sorts by: the page on screen, in the column's own order. */
const COLUMNS: Record<'name' | 'sku' | 'barcode' | 'price' | 'stock', Column<ProductRow>> = {
  name: { kind: 'text', value: (p) => p.name },
  sku: { kind: 'text', value: (p) => p.sku },
  barcode: { kind: 'text', value: (p) => p.barcode },
  price: { kind: 'decimal', value: (p) => p.minPrice },
  stock: { kind: 'decimal', value: (p) => p.stock },
};

export function ProductsTab({ useBackOffice, i18n }: BackOfficeProps) {
  const products = useBackOffice((s) => s.products);
  const paging = useBackOffice((s) => s.productPaging);
  const product = useBackOffice((s) => s.product);
  const busy = useBackOffice((s) => s.busy);
  const { searchProducts, pageProducts, openProduct } = useBackOffice.getState();
  const sorted = useSorted(products, COLUMNS);
  const header = (column: keyof typeof COLUMNS, label: string, className?: string) => (
    <SortableHeader column={column} label={label} sort={sorted.sort} onSort={sorted.setSort} className={className} />
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === 'n' || e.key === 'N') && useBackOffice.getState().product === null) {
        e.preventDefault();
        void useBackOffice.getState().openProduct('new');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useBackOffice]);

  if (product !== null) return <ProductEditor useBackOffice={useBackOffice} i18n={i18n} />;
  return (
    <>
      <div className="bo-toolbar">
        <SearchForm
          i18n={i18n}
          label={i18n.t('bo.products.search')}
          initial={paging.query}
          busy={busy}
          onSearch={(t) => void searchProducts(t)}
        />
        <button type="button" className="primary" aria-keyshortcuts="Alt+N" onClick={() => void openProduct('new')}>
          {i18n.t('bo.products.new')} <kbd>Alt+N</kbd>
        </button>
      </div>
      {products.length === 0 && !busy ? (
        <p className="empty">{paging.query ? i18n.t('search.none', { text: paging.query }) : i18n.t('bo.products.none')}</p>
      ) : (
        <div className="bo-table-wrap">
          <table className="bo-table">
            <thead>
              <tr>
                {header('name', i18n.t('bo.product.name'))}
                {header('sku', 'SKU')}
                {header('barcode', i18n.t('bo.barcode'))}
                {header('price', i18n.t('bo.price'), 'amount')}
                {header('stock', i18n.t('bo.stock'), 'amount')}
              </tr>
            </thead>
            <tbody>
              {sorted.rows.map((p) => (
                <tr key={p.id} className={p.isActive ? '' : 'inactive'}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      aria-label={i18n.t('bo.products.open', { name: p.name })}
                      onClick={() => void openProduct(p.id)}
                    >
                      {p.name}
                      {p.brand ? <small> · {p.brand}</small> : null}
                    </button>
                    {p.variants > 1 ? <small className="muted"> {i18n.t('bo.products.variants', { count: p.variants })}</small> : null}
                    {p.isActive ? null : <small className="muted"> {i18n.t('bo.inactive')}</small>}
                  </td>
                  <td className="code">{p.sku ?? ''}</td>
                  <td className="code">{p.barcode ?? ''}</td>
                  <td className="amount">
                    {p.minPrice === null
                      ? ''
                      : p.minPrice === p.maxPrice
                        ? i18n.money(p.minPrice)
                        : `${i18n.money(p.minPrice)}–${i18n.money(p.maxPrice!)}`}
                  </td>
                  <td className="amount">{p.stock === null ? '—' : `${trimZeros(p.stock)} ${p.unit}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {paging.query ? null : (
        <Pager
          i18n={i18n}
          busy={busy}
          canBack={paging.cursors.length > 1}
          canForward={paging.next !== null}
          onPage={(d) => void pageProducts(d)}
        />
      )}
    </>
  );
}

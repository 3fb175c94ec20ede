// Finding an item without its barcode: a search by name or code, and the category grid a page
// at a time; either adds what is chosen to the sale.
import type { BrowsePage, Category, Hit, RegisterKit, RegisterSlice } from '../register.ts';
import { key } from './calls.ts';
import { cartChanged } from './cart.ts';

export type CatalogSlice = {
  hits: Hit[];
  categories: Category[];
  browsing: BrowsePage | null;
  search(text: string): Promise<void>;
  addVariant(variantId: string): Promise<void>;
  loadCategories(): Promise<void>;
  browse(categoryId: string, page: number, pageSize?: number): Promise<void>;
  closeCategory(): void;
};

/** Tiles on a page of the category grid when the screen's size is not known. */
const BROWSE_PAGE = 16;

export const createCatalogSlice =
  ({ client, run }: RegisterKit): RegisterSlice<CatalogSlice> =>
  (set, get) => ({
    hits: [],
    categories: [],
    browsing: null,

    async search(text) {
      if (text.trim() === '') return set({ hits: [] });
      const hits = await run((o) => client.send('sales.search', { text, limit: 20 }, { override: o }));
      set({ hits: hits ?? [] });
    },

    async addVariant(variantId) {
      // A weighed product chosen from the search asks for its weight, as from the grid.
      const hit = get().hits.find((h) => h.variantId === variantId);
      if (hit?.soldBy === 'WEIGHT')
        return set({ panel: 'sell', hits: [], editing: { kind: 'weigh', item: { ...hit, brand: null } }, message: null });
      let sale = get().sale;
      if (!sale) {
        sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
        if (!sale) return;
      }
      const next = await run((o) => client.send('sales.addItem', { saleId: sale.id, variantId }, { override: o }));
      if (next) {
        cartChanged(set, get, next);
        // From the grid the cashier stays on the category for the next item; from a search, back to the cart.
        set(get().panel === 'browse' ? {} : { panel: 'sell', hits: [] });
      }
    },

    async loadCategories() {
      const categories = await run((o) => client.send('sales.categories', {}, { override: o }));
      if (categories) set({ categories });
    },

    async browse(categoryId, page, pageSize) {
      const size = pageSize ?? get().browsing?.pageSize ?? BROWSE_PAGE;
      const browsing = await run((o) => client.send('sales.browse', { categoryId, page, pageSize: size }, { override: o }));
      if (browsing) set({ browsing });
    },

    closeCategory() {
      set({ browsing: null });
    },
  });

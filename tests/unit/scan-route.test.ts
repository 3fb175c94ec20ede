import { describe, expect, it } from 'vitest';
import { routeScan, type ScanState } from '../../renderer/scan/scan-route.ts';

const selling: ScanState = {
  signedIn: true,
  selling: true,
  closed: false,
  panel: 'sell',
  paying: false,
  receipt: false,
  dialog: false,
  screenField: false,
};

describe('where a scan goes', () => {
  it('rings the item up on the sell screen, the category grid and the search', () => {
    for (const panel of ['sell', 'browse', 'search']) expect(routeScan({ ...selling, panel }, false)).toEqual({ to: 'sale' });
  });

  it('closes the pay dialog and rings the item up, so no amount field ever takes a code', () => {
    expect(routeScan({ ...selling, paying: true }, false)).toEqual({ to: 'saleFromPay' });
  });

  it('starts the next sale from the change screen', () => {
    expect(routeScan({ ...selling, receipt: true }, false)).toEqual({ to: 'nextSale' });
  });

  it('finds the receipt on the returns screen', () => {
    expect(routeScan({ ...selling, panel: 'returns' }, false)).toEqual({ to: 'return' });
  });

  it("types into the side task's own field for codes when the focus is elsewhere on it", () => {
    expect(routeScan({ ...selling, panel: 'history', screenField: true }, false)).toEqual({ to: 'screenField' });
    expect(routeScan({ ...selling, panel: 'returns', screenField: true }, false)).toEqual({ to: 'screenField' });
    // Never the cart's: on the sell screen a scan is an item.
    expect(routeScan({ ...selling, screenField: true }, false)).toEqual({ to: 'sale' });
  });

  it('types into a field made for codes wherever it is', () => {
    expect(routeScan({ ...selling, panel: 'backOffice' }, true)).toEqual({ to: 'field' });
    expect(routeScan({ ...selling, paying: true }, true)).toEqual({ to: 'field' });
  });

  it('refuses, saying why, where no item can be added', () => {
    expect(routeScan({ ...selling, signedIn: false, selling: false }, false)).toEqual({ to: 'refused', why: 'signIn' });
    expect(routeScan({ ...selling, selling: false }, false)).toEqual({ to: 'refused', why: 'noShift' });
    expect(routeScan({ ...selling, closed: true }, false)).toEqual({ to: 'refused', why: 'closed' });
    expect(routeScan({ ...selling, dialog: true }, false)).toEqual({ to: 'refused', why: 'dialog' });
    expect(routeScan({ ...selling, dialog: true, paying: true }, false)).toEqual({ to: 'refused', why: 'dialog' });
    for (const panel of ['cash', 'close', 'parked', 'devices', 'backOffice'])
      expect(routeScan({ ...selling, panel }, false)).toEqual({ to: 'refused', why: 'panel' });
  });
});

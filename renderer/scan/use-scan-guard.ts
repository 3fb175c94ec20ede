// The scan guard wired to the register: each scan is routed by what the register is doing
// (scan-route.ts) and carried out here, where the page is.
import { useEffect } from 'react';
import type { RegisterStore, Register } from '../stores/register.ts';
import { installScanGuard } from './scan-guard.ts';
import { routeScan, type ScanState } from './scan-route.ts';
import { isEditable, setValue } from './text-entry.ts';

/** A modal dialog other than the ones where a scan is an item (the pay dialog carries data-takes-scans). */
export const dialogOpen = (doc: Document) => doc.querySelector('[role="dialog"][aria-modal="true"]:not([data-takes-scans])') !== null;

/** The field for codes of the side task on screen (not of a dialog over it). */
const screenField = (doc: Document) => {
  const field = doc.querySelector('main [data-scan-target]');
  return isEditable(field) ? field : null;
};

/** As if the scanner had typed into the field and pressed Enter: the field's own form acts on it. */
function typeCodeInto(field: HTMLInputElement | HTMLTextAreaElement, code: string) {
  setValue(field, code);
  field.form?.requestSubmit();
}

/** "3*" typed before a scan: that many pieces of what is scanned next. */
const PREFIX = /^([1-9]\d{0,3})\*$/;

export function scanState(s: Register, doc: Document): ScanState {
  return {
    signedIn: s.token !== null,
    selling: s.token !== null && s.ready && s.shift !== null,
    closed: s.closed !== null,
    panel: s.panel,
    paying: s.paying,
    receipt: s.receipt !== null,
    dialog: s.approval !== null || s.editing !== null || s.discounting !== null || s.switching || dialogOpen(doc),
    screenField: screenField(doc) !== null,
  };
}

/** Carries out a scan, from the keyboard guard (focused: where the focus was) or a serial or HID scanner (null). */
export function takeScan(useRegister: RegisterStore, code: string, focused: Element | null): void {
  const s = useRegister.getState();
  const takesCodes = isEditable(focused) && focused.hasAttribute('data-scan-target');
  const route = routeScan(scanState(s, document), takesCodes);
  switch (route.to) {
    case 'field':
      typeCodeInto(focused as HTMLInputElement, code);
      return;
    case 'screenField': {
      const field = screenField(document);
      if (field) typeCodeInto(field, code);
      return;
    }
    case 'sale': {
      const home = document.querySelector('[data-default-field]');
      const prefix = isEditable(home) ? PREFIX.exec(home.value.trim()) : null;
      if (prefix && isEditable(home)) setValue(home, '');
      void s.ringUpScan(prefix ? `${prefix[1]}*${code}` : code, 'sale');
      return;
    }
    case 'saleFromPay':
      void s.ringUpScan(code, 'pay');
      return;
    case 'nextSale':
      void s.ringUpScan(code, 'receipt');
      return;
    case 'return':
      void s.lookUpReturn(code);
      return;
    case 'refused':
      s.refuseScan(code, route.why);
  }
}

export function useScanGuard(useRegister: RegisterStore) {
  useEffect(() => installScanGuard(window, (code, focused) => takeScan(useRegister, code, focused)), [useRegister]);
  // A serial or HID scanner's code goes where a keyboard scan with no field of its own would.
  useEffect(
    () =>
      useRegister.subscribe((now, before) => {
        if (now.lastScan && now.lastScan !== before.lastScan) takeScan(useRegister, now.lastScan.code, null);
      }),
    [useRegister],
  );
}

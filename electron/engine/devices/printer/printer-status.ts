// ESC/POS real-time status (DLE EOT n, Epson "ESC/POS Application Programming Guide"): each
// request is answered with one byte whose bits 1 and 4 are always set and bits 0 and 7 clear,
// which is how a status byte is told apart from anything else a printer might send.
import type { PrinterCondition } from '#contract/printer-state.ts';

export const DLE_EOT = { printer: 1, offline: 2, error: 3, paper: 4 } as const;

export type StatusRequest = keyof typeof DLE_EOT;

export const statusRequest = (n: StatusRequest) => Uint8Array.of(0x10, 0x04, DLE_EOT[n]);

export type { PrinterCondition } from '#contract/printer-state.ts';

export const isStatusByte = (b: number) => (b & 0x93) === 0x12;

/**
 * The conditions one status byte reports. Drawer: bit 2 of DLE EOT 1 is the level of the drawer
 * connector's pin 3, and for the common drawers (switch closed when shut) a high level means open.
 */
export function conditionsOf(request: StatusRequest, b: number): PrinterCondition[] {
  const on = (bit: number) => (b & (1 << bit)) !== 0;
  const out: PrinterCondition[] = [];
  switch (request) {
    case 'printer':
      if (on(2)) out.push('DRAWER_OPEN');
      if (on(3)) out.push('OFFLINE');
      break;
    case 'offline':
      if (on(2)) out.push('COVER_OPEN');
      if (on(3)) out.push('FEED_BUTTON');
      if (on(5)) out.push('PAPER_END');
      if (on(6)) out.push('ERROR');
      break;
    case 'error':
      if (on(3)) out.push('CUTTER_ERROR');
      if (on(5)) out.push('UNRECOVERABLE_ERROR');
      if (on(6)) out.push('AUTO_RECOVERABLE_ERROR');
      break;
    case 'paper':
      if ((b & 0x0c) !== 0) out.push('PAPER_NEAR_END');
      if ((b & 0x60) !== 0) out.push('PAPER_END');
      break;
  }
  return out;
}

/** Conditions under which a job must not be sent: it would be lost or half printed. */
export const BLOCKING: ReadonlySet<PrinterCondition> = new Set([
  'OFFLINE',
  'COVER_OPEN',
  'PAPER_END',
  'ERROR',
  'CUTTER_ERROR',
  'UNRECOVERABLE_ERROR',
]);

/** A condition in words for logs and the CLI (English); the screens word them in the cashier's language. */
export const describeCondition: Record<PrinterCondition, string> = {
  OFFLINE: 'printer offline',
  DRAWER_OPEN: 'drawer open',
  COVER_OPEN: 'cover open',
  FEED_BUTTON: 'paper being fed',
  PAPER_END: 'out of paper',
  ERROR: 'printer error',
  CUTTER_ERROR: 'cutter error',
  UNRECOVERABLE_ERROR: 'unrecoverable error',
  AUTO_RECOVERABLE_ERROR: 'recovering from an error',
  PAPER_NEAR_END: 'paper nearly out',
};

// The receipt printer in the cashier's words. The status bar's badge says it in one phrase,
// worst first: it cannot be reached, it does not respond, it stopped (out of paper, cover open),
// receipts are waiting, paper is running low, it is ready; anything not ready can be tried again
// from the badge, and receipts whose printing is unknown are asked about beside it. The devices
// screen says why a test page did not print. Pure: the wording and the choices.
import type { PrinterState } from '#contract/printer-state.ts';
import type { ClientError } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages.ts';

export type PrinterTone = 'ok' | 'neutral' | 'caution' | 'warn';

export type PrinterBadge = {
  /** The printer's state in one phrase. */
  text: string;
  /** Receipts waiting, said beside a problem (alone they are the phrase); null when none wait or they are the phrase. */
  waiting: string | null;
  tone: PrinterTone;
  /** Not ready: the badge tries the printer again when pressed. */
  retry: boolean;
};

const waitingWords = (i18n: I18n, count: number) =>
  count === 1 ? i18n.t('status.printer.pendingOne') : i18n.t('status.printer.pending', { count });

export function printerBadge(i18n: I18n, printer: PrinterState | null): PrinterBadge {
  if (!printer) return { text: i18n.t('status.printer.none'), waiting: null, tone: 'neutral', retry: false };
  const problem = (text: string): PrinterBadge => ({
    text,
    waiting: printer.pending > 0 ? i18n.t('status.printer.waiting', { count: printer.pending }) : null,
    tone: 'warn',
    retry: true,
  });
  if (printer.health === 'offline') return problem(i18n.t('status.printer.offline'));
  if (printer.health === 'hung') return problem(i18n.t('status.printer.hung'));
  if (printer.health === 'stopped') {
    // Paper first: a roll is changed with the cover open, and closing it is the last step.
    const said = (['PAPER_END', 'COVER_OPEN'] as const).find((c) => printer.conditions.includes(c));
    return problem(said ? i18n.t(`status.printer.${said}`) : i18n.t('status.printer.stopped'));
  }
  if (printer.pending > 0)
    // Waiting after a failure is a problem; waiting while it prints is only news.
    return { text: waitingWords(i18n, printer.pending), waiting: null, tone: printer.lastError ? 'warn' : 'neutral', retry: true };
  if (printer.health === 'unknown') return { text: i18n.t('status.printer.checking'), waiting: null, tone: 'neutral', retry: false };
  if (printer.conditions.includes('PAPER_NEAR_END'))
    return { text: i18n.t('status.printer.PAPER_NEAR_END'), waiting: null, tone: 'caution', retry: false };
  return { text: i18n.t('status.printer.ok'), waiting: null, tone: 'ok', retry: false };
}

/** The question for receipts sent whose printing is unknown; null when there are none. */
export function uncertainQuestion(i18n: I18n, count: number): string | null {
  if (count <= 0) return null;
  return count === 1 ? i18n.t('status.printer.uncertain') : i18n.t('status.printer.uncertainMany', { count });
}

const WHY: readonly string[] = [
  'TIMEOUT',
  'NOT_FOUND',
  'IN_USE',
  'PERMISSION',
  'PROTOCOL',
  'BAD_ADDRESS',
  'ILLEGAL_STATE',
  'FAILED',
  'NO_PRINTER',
];

/**
 * Why a test page did not print, or null when the error is not the printer's (a permission, the
 * connection): the caller then says the error as any other. A printer that refused the page says
 * what stopped it (its paper, its cover) in `conditions`, learnt when it refused.
 */
export function testPageFailure(i18n: I18n, error: ClientError, conditions: readonly string[]): string | null {
  const reason = error.params?.reason;
  if ((error.code !== 'DEVICE_ERROR' && error.code !== 'INVALID_INPUT') || typeof reason !== 'string' || !WHY.includes(reason)) return null;
  const stopped = reason === 'FAILED' ? (['PAPER_END', 'COVER_OPEN'] as const).find((c) => conditions.includes(c)) : undefined;
  return i18n.t('devices.testFailed', { why: i18n.t(`printer.why.${stopped ?? reason}` as MessageKey) });
}

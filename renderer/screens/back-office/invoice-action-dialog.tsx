// What the back office's dialogs about one stamped invoice share (asking for its cancellation,
// replacing it by a corrected one): the invoice in the title, what it is now, the engine's
// refusal said in words, the form ending in why (which stays on record), Enter to ask and Esc to
// go back, neither reaching the back office's own Esc nor the tabs' Alt shortcuts behind it.
// A request written closes it (the store drops its part), and the keyboard goes back to the row.
import { type ReactNode, type Ref, useEffect } from 'react';
import type { BackOfficeState, BackOfficeStore } from '../../stores/back-office.ts';

/** Calls `onClose` once the store drops the dialog's part (the request was written). */
export function useClosedWhenDone(useBackOffice: BackOfficeStore, part: (s: BackOfficeState) => unknown, onClose: () => void) {
  useEffect(
    () =>
      useBackOffice.subscribe((now, before) => {
        if (part(before) !== null && part(now) === null) onClose();
      }),
    [useBackOffice, part, onClose],
  );
}

export type InvoiceActionDialogProps = {
  /** Prefix of the dialog's ids: `${id}-title`, `${id}-what`, `${id}-reason`; and its class. */
  id: string;
  title: string;
  /** What the invoice is now. */
  what: ReactNode;
  problem: string | null;
  /** The fields before the reason. */
  children: ReactNode;
  reasonLabel: string;
  reason: string;
  onReason(reason: string): void;
  reasonRef?: Ref<HTMLInputElement>;
  hint: string;
  confirmLabel: string;
  backLabel: string;
  /** Whether Enter (or the button) may ask now. */
  ready: boolean;
  onConfirm(): void;
  onBack(): void;
  /** Keys the dialog's own fields take before Esc is looked at (↑ ↓ through claves, say). */
  onKeyDown?(e: React.KeyboardEvent<HTMLElement>): void;
};

export function InvoiceActionDialog(props: InvoiceActionDialogProps) {
  const { id } = props;
  return (
    <div className="overlay bo-overlay">
      <section
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-what`}
        className={`panel bo-invoice-dialog ${id}`}
        onKeyDown={(e) => {
          // The tabs' Alt shortcuts stay behind the dialog.
          if (e.altKey) e.stopPropagation();
          props.onKeyDown?.(e);
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          props.onBack();
        }}
      >
        <h1 id={`${id}-title`}>{props.title}</h1>
        <div id={`${id}-what`} className="bo-invoice-dialog-what">
          {props.what}
        </div>
        {props.problem ? (
          <p role="alert" className="message">
            {props.problem}
          </p>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (props.ready) props.onConfirm();
          }}
        >
          {props.children}
          <div className="field">
            <label htmlFor={`${id}-reason`}>{props.reasonLabel}</label>
            <input
              id={`${id}-reason`}
              ref={props.reasonRef}
              type="text"
              autoComplete="off"
              required
              maxLength={200}
              value={props.reason}
              onChange={(e) => props.onReason(e.target.value)}
            />
          </div>
          <p className="muted bo-invoice-dialog-hint">{props.hint}</p>
          <div className="actions">
            <button type="submit" className="primary" disabled={!props.ready}>
              {props.confirmLabel} <kbd>Enter</kbd>
            </button>
            <button type="button" aria-keyshortcuts="Escape" onClick={props.onBack}>
              {props.backLabel} <kbd>Esc</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}

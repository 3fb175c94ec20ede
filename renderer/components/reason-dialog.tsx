// A counter action that goes on record with why it was done (cancelling the sale, the drawer
// opened without one): the reason picked or typed, a word when a manager's PIN will be asked,
// the engine's answer where it happened, and confirm or go back. What the action is about goes
// above the reason; what came of it, when the dialog stays to say so, replaces the form. The
// dialog has the keyboard until it closes (Esc closes it), and hides under a manager's approval.
import { type ReactNode, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { useCounter } from '../stores/counter.ts';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { ReasonField } from './reason-field.tsx';

export type ReasonDialogProps = ScreenProps & {
  /** Gives the scan field its focus back once the dialog has closed. */
  onDone(): void;
  /** The reason field's id. */
  id: string;
  title: string;
  presets: string[];
  /** Who holds it acts alone; anyone else is told that a manager's PIN will be asked (managerNote). */
  permission: string;
  managerNote: string;
  backLabel: string;
  confirmLabel: string;
  /** The confirm button warns: the action cannot be undone. */
  danger?: boolean;
  /** Why it cannot be confirmed as things stand (said, and the button disabled); null: it can. */
  blocked?: string | null;
  /** What came of it, shown with a single "done" instead of the form; `failed` shows it as a problem. */
  outcome?: { text: string; failed: boolean } | null;
  /** Runs the action with the reason given; `close` ends the dialog when there is nothing more to say. */
  onConfirm(reason: string, close: () => void): Promise<void>;
  children?: ReactNode;
};

export function ReasonDialog(props: ReasonDialogProps) {
  const { useRegister, i18n, title, blocked = null, outcome = null } = props;
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const permissions = useRegister((s) => s.permissions);
  const close = () => {
    useCounter.getState().close();
    useRegister.getState().dismiss();
    props.onDone();
  };
  useHoldKeyboard(useRegister, close);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(false);
  if (approval) return null;
  const submit = async () => {
    setShown(true);
    if (reason.trim() === '' || busy || blocked) return;
    await props.onConfirm(reason.trim(), close);
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog">
        <h1>{title}</h1>
        {outcome ? (
          <>
            <p role="status" className={outcome.failed ? 'message' : undefined}>
              {outcome.text}
            </p>
            <div className="actions">
              <button type="button" className="primary" autoFocus onClick={close}>
                {i18n.t('counter.done')} <kbd>Enter</kbd>
              </button>
            </div>
          </>
        ) : (
          <>
            {props.children}
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              <ReasonField id={props.id} i18n={i18n} value={reason} onChange={setReason} shown={shown} presets={props.presets} />
              {permissions.includes(props.permission) ? null : <p>{props.managerNote}</p>}
              {blocked ? (
                <p className="message" role="alert">
                  {blocked}
                </p>
              ) : null}
              <Message text={message} />
              <div className="actions">
                <button type="button" onClick={close}>
                  {props.backLabel} <kbd>Esc</kbd>
                </button>
                <button type="submit" className={props.danger ? 'primary danger' : 'primary'} disabled={busy || blocked !== null}>
                  {props.confirmLabel} <kbd>Enter</kbd>
                </button>
              </div>
            </form>
          </>
        )}
      </section>
    </div>
  );
}

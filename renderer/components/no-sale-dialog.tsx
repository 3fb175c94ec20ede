// Opening the drawer without a sale (change for a note, a look inside): the reason goes on record
// and the audit trail with the opening, whether or not a printer is there to spring the drawer;
// the dialog says beforehand when this register has none, and afterwards what happened. A
// cashier without drawer.no_sale gets a manager's PIN asked through the approval dialog.
import { useMemo, useState } from 'react';
import type { CallOutput } from '#contract/calls.ts';
import type { ScreenProps } from '../app.tsx';
import type { I18n } from '../i18n/index.ts';
import { drawerFailureWords } from './drawer-alert.tsx';
import { ReasonDialog } from './reason-dialog.tsx';

type Opened = CallOutput<'drawer.noSale'>;

/** What became of the drawer, in the cashier's words (a shut one as after a sale); failed when it stayed shut. */
function outcomeOf(i18n: I18n, { drawer }: Opened): { text: string; failed: boolean } {
  if (drawer === null) return { text: i18n.t('counter.noSale.repeated'), failed: false };
  if (drawer.opened) return { text: i18n.t('counter.noSale.opened'), failed: false };
  const { what, why, detail } = drawerFailureWords(i18n, drawer.reason ?? 'PRINTER_FAILED', drawer.message);
  return { text: [i18n.t('counter.noSale.recorded'), what, why, detail].filter(Boolean).join(' '), failed: true };
}

export function NoSaleDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const printer = useRegister((s) => s.printer);
  const [opened, setOpened] = useState<Opened | null>(null);
  // One opening on record for this dialog, however many times it is sent.
  const idempotencyKey = useMemo(() => `no-sale:${crypto.randomUUID()}`, []);
  const open = async (reason: string) => {
    const answer = await useRegister.getState().send('drawer.noSale', { reason, idempotencyKey });
    if (answer) setOpened(answer);
  };
  return (
    <ReasonDialog
      useRegister={useRegister}
      i18n={i18n}
      onDone={onDone}
      id="no-sale-reason"
      title={i18n.t('counter.noSale.title')}
      presets={[i18n.t('counter.reason.change'), i18n.t('counter.reason.check')]}
      permission="drawer.no_sale"
      managerNote={i18n.t('counter.noSale.manager')}
      backLabel={i18n.t('approval.cancel')}
      confirmLabel={i18n.t('counter.noSale.confirm')}
      outcome={opened ? outcomeOf(i18n, opened) : null}
      onConfirm={open}
    >
      {printer === null ? (
        <p className="message" role="note">
          {i18n.t('counter.noSale.noPrinter')}
        </p>
      ) : null}
    </ReasonDialog>
  );
}

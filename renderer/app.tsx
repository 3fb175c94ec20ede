// Which screen shows follows from the register's state alone: nobody signed in, no shift, a
// sale (and paying it), or the receipt of the one just paid. The status bar is always there.
import { useEffect } from 'react';
import type { I18n } from './i18n/index.ts';
import type { RegisterStore } from './stores/register.ts';
import { OpenShiftScreen } from './screens/open-shift.tsx';
import { PayScreen } from './screens/pay.tsx';
import { ReceiptScreen } from './screens/receipt.tsx';
import { SellScreen } from './screens/sell.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { StatusBar } from './components/status-bar.tsx';

export type ScreenProps = { useRegister: RegisterStore; i18n: I18n };

export function App({ useRegister, i18n }: ScreenProps) {
  const token = useRegister((s) => s.token);
  const shift = useRegister((s) => s.shift);
  const paying = useRegister((s) => s.paying);
  const receipt = useRegister((s) => s.receipt);
  useEffect(() => {
    void useRegister.getState().loadStaff();
  }, [useRegister]);
  let screen;
  if (!token) screen = <SignInScreen useRegister={useRegister} i18n={i18n} />;
  else if (!shift) screen = <OpenShiftScreen useRegister={useRegister} i18n={i18n} />;
  else if (receipt) screen = <ReceiptScreen useRegister={useRegister} i18n={i18n} />;
  else screen = <SellScreen useRegister={useRegister} i18n={i18n} />;
  return (
    <div className="app">
      <StatusBar useRegister={useRegister} i18n={i18n} />
      <main className="screen">{screen}</main>
      {token && shift && paying && !receipt ? <PayScreen useRegister={useRegister} i18n={i18n} /> : null}
    </div>
  );
}

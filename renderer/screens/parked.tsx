// Sales put on hold (a customer went back for the milk): pick one to carry on with it. A sale in
// progress is put on hold first, so nothing is lost by switching.
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';

export function ParkedScreen({ useRegister, i18n }: ScreenProps) {
  const parked = useRegister((s) => s.parked);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const { recall, show } = useRegister.getState();
  return (
    <section className="panel" aria-labelledby="parked-title">
      <h1 id="parked-title">{i18n.t('parked.title')}</h1>
      {parked.length === 0 ? <p>{i18n.t('parked.none')}</p> : (
        <ul className="hits">
          {parked.map((p) => (
            <li key={p.id}>
              <button type="button" disabled={busy} onClick={() => void recall(p.id)}>
                {i18n.t('parked.recall', { amount: i18n.money(p.total), time: i18n.dateTime(p.openedAt) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>{i18n.t('menu.back')} <kbd>Esc</kbd></button>
    </section>
  );
}

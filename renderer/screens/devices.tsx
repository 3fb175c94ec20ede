// The register's devices for a manager: how each one is (claimed, online, out of paper), the
// receipt printer's address and paper with a test page, the last code a scanner read, and the
// scale's weight. Scanners, display and scale are listed as configured; their addresses are set
// through devices.configure (the README's Devices section) until the back office edits them.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';

export function DevicesScreen({ useRegister, i18n }: ScreenProps) {
  const devices = useRegister((s) => s.devices);
  const lastScan = useRegister((s) => s.lastScan);
  const weighing = useRegister((s) => s.weighing);
  const message = useRegister((s) => s.message);
  const notice = useRegister((s) => s.notice);
  const busy = useRegister((s) => s.busy);
  const { saveDevices, testPrint, weigh, show } = useRegister.getState();
  const [uri, setUri] = useState('');
  const [paper, setPaper] = useState<58 | 80>(80);
  useEffect(() => {
    setUri(devices?.config.printer?.uri ?? '');
    setPaper(devices?.config.printer?.paperWidth ?? 80);
  }, [devices?.config.printer?.uri, devices?.config.printer?.paperWidth]);
  if (!devices) return <section className="panel"><Message text={message} /></section>;
  const printer = devices.printers.find((p) => p.printerUri === devices.printerUri);
  return (
    <section className="panel wide" aria-labelledby="devices-title">
      <h1 id="devices-title">{i18n.t('devices.title', { code: devices.registerCode })}</h1>
      <form onSubmit={(e) => {
        e.preventDefault();
        const { printer: _old, ...rest } = devices.config;
        void saveDevices(uri.trim() ? { ...rest, printer: { ...devices.config.printer, uri: uri.trim(), paperWidth: paper } } : rest);
      }}>
        <h2>{i18n.t('devices.printer')}</h2>
        <div className="field">
          <label htmlFor="printer-uri">{i18n.t('devices.printer.uri')}</label>
          <input id="printer-uri" autoComplete="off" placeholder="tcp://192.168.1.50:9100" value={uri} onChange={(e) => setUri(e.target.value)} />
        </div>
        <fieldset>
          <legend>{i18n.t('devices.printer.paper')}</legend>
          {([80, 58] as const).map((w) => (
            <label key={w} className="choice"><input type="radio" name="paper" checked={paper === w} onChange={() => setPaper(w)} /> {w} mm</label>
          ))}
        </fieldset>
        {printer ? <p role="status">{i18n.t('devices.status')}: {printer.conditions.join(', ') || (printer.lastError ?? 'OK')} · {i18n.t('status.printer.pending', { count: printer.pending })}</p> : null}
        <div className="actions">
          <button type="button" disabled={busy || !uri.trim()} onClick={() => void testPrint(uri.trim())}>{i18n.t('devices.test')}</button>
          <button type="submit" className="primary" disabled={busy}>{i18n.t('devices.save')}</button>
        </div>
      </form>
      {notice ? <p role="status">{notice}</p> : null}
      <Message text={message} />
      <h2>{i18n.t('devices.status')}</h2>
      {devices.devices.length === 0 ? <p>{i18n.t('devices.none')}</p> : (
        <table className="cart">
          <tbody>
            {devices.devices.map((d) => (
              <tr key={d.deviceId}>
                <td>{d.deviceId}</td><td>{d.address}</td><td>{d.state}</td>
                <td className={d.health === 'online' ? '' : 'message'}>{d.health}{d.error ? `: ${d.error.message}` : ''}{d.conditions.length ? ` (${d.conditions.join(', ')})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lastScan ? <p role="status">{i18n.t('devices.lastScan', { code: lastScan.code, symbology: lastScan.symbology })}</p> : null}
      {devices.config.scale ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void weigh()}>{i18n.t('devices.weigh')}</button>{' '}
          {weighing ? (weighing.weightKg ? i18n.t('devices.weight', { weight: weighing.weightKg }) : i18n.t('devices.weight.none', { status: weighing.status })) : null}
        </p>
      ) : null}
      <button type="button" onClick={() => show('sell')}>{i18n.t('menu.back')} <kbd>Esc</kbd></button>
    </section>
  );
}

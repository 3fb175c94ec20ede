// The register's devices for a manager (F11): the receipt printer (typed, or chosen from the USB
// printers this machine has) with its paper and a test page; the scanners, the customer display
// and the scale by their addresses; each device's state; a scanner test that shows the last code
// read, from a serial or HID scanner or typed by a keyboard-wedge one into the test field; and
// the scale's weight. Everything is saved together with devices.configure; an address that
// cannot be used is pointed at beside its field and nothing is saved.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import { LanguageChoice } from '../components/language-choice.tsx';
import { configOf, formOf, type DevicesForm, type FieldId, type Suffix } from './devices-form.ts';

const SUFFIXES: Suffix[] = ['CR', 'LF', 'CRLF', 'TAB'];
const MAX_SCANNERS = 4;

export function DevicesScreen({ useRegister, i18n }: ScreenProps) {
  const devices = useRegister((s) => s.devices);
  const lastScan = useRegister((s) => s.lastScan);
  const weighing = useRegister((s) => s.weighing);
  const message = useRegister((s) => s.message);
  const notice = useRegister((s) => s.notice);
  const busy = useRegister((s) => s.busy);
  const discovered = useRegister((s) => s.discovered);
  const { saveDevices, testPrint, weigh, show, discover } = useRegister.getState();
  const [form, setForm] = useState<DevicesForm | null>(null);
  const [problems, setProblems] = useState<FieldId[]>([]);
  const [wedge, setWedge] = useState('');
  const [wedgeRead, setWedgeRead] = useState<string | null>(null);
  // The form follows the saved configuration, not every status reload (a device going offline
  // while the manager types must not undo the typing).
  const saved = devices ? JSON.stringify(devices.config) : null;
  useEffect(() => {
    if (saved) setForm(formOf(JSON.parse(saved) as Parameters<typeof formOf>[0]));
  }, [saved]);
  if (!devices || !form)
    return (
      <section className="panel">
        <Message text={message} />
      </section>
    );
  const change = (patch: Partial<DevicesForm>) => setForm({ ...form, ...patch });
  const setScanner = (i: number, patch: Partial<DevicesForm['scanners'][number]>) =>
    change({ scanners: form.scanners.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const invalid = (id: FieldId) => problems.includes(id);
  const bad = (id: FieldId) =>
    invalid(id) ? (
      <p id={`${id}-error`} className="message" role="alert">
        {i18n.t('devices.badAddress')}
      </p>
    ) : null;
  const save = () => {
    const { config: next, problems: found } = configOf(form, devices.config);
    setProblems(found);
    if (found.length === 0 && !busy) void saveDevices(next);
  };
  const printer = devices.printers.find((p) => p.printerUri === devices.printerUri);
  const latest = wedgeRead ?? (lastScan ? `${lastScan.code} (${lastScan.symbology})` : null);
  return (
    <section className="panel wide devices" aria-labelledby="devices-title">
      <h1 id="devices-title">{i18n.t('devices.title', { code: devices.registerCode })}</h1>
      <LanguageChoice i18n={i18n} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <h2>{i18n.t('devices.printer')}</h2>
        <div className="field">
          <label htmlFor="printer-uri">{i18n.t('devices.printer.uri')}</label>
          <input
            id="printer-uri"
            autoComplete="off"
            placeholder="tcp://192.168.1.50:9100"
            value={form.printerUri}
            aria-invalid={invalid('printer')}
            aria-describedby={invalid('printer') ? 'printer-error' : undefined}
            onChange={(e) => change({ printerUri: e.target.value })}
          />
          {bad('printer')}
        </div>
        <div className="found">
          <button type="button" disabled={busy} onClick={() => void discover()}>
            {i18n.t('devices.discover')}
          </button>
          {discovered ? (
            <>
              {discovered.usbPrinters.length === 0 ? (
                <span>{i18n.t('devices.found.none')}</span>
              ) : (
                <span role="group" aria-label={i18n.t('devices.found.printers')}>
                  {discovered.usbPrinters.map((uri) => (
                    <button type="button" key={uri} onClick={() => change({ printerUri: uri })}>
                      {i18n.t('devices.found.use', { address: uri })}
                    </button>
                  ))}
                </span>
              )}
              {discovered.serialPorts.length > 0 ? (
                <span>{i18n.t('devices.found.ports', { list: discovered.serialPorts.map((p) => `serial:${p.path}`).join(', ') })}</span>
              ) : null}
              {discovered.hidScanners.length > 0 ? (
                <span>{i18n.t('devices.found.hid', { list: discovered.hidScanners.map((h) => h.address).join(', ') })}</span>
              ) : null}
            </>
          ) : null}
        </div>
        <fieldset>
          <legend>{i18n.t('devices.printer.paper')}</legend>
          {([80, 58] as const).map((w) => (
            <label key={w} className="choice">
              <input type="radio" name="paper" checked={form.paperWidth === w} onChange={() => change({ paperWidth: w })} /> {w} mm
            </label>
          ))}
        </fieldset>
        {printer ? (
          <p role="status">
            {i18n.t('devices.status')}: {printer.conditions.join(', ') || (printer.lastError ?? 'OK')} ·{' '}
            {i18n.t('status.printer.pending', { count: printer.pending })}
          </p>
        ) : null}

        <h2>{i18n.t('devices.scanners')}</h2>
        <p className="hint">{i18n.t('devices.addressHint')}</p>
        {form.scanners.map((s, i) => (
          <div className="device-row" key={i}>
            <div className="field">
              <label htmlFor={`scanner-${i}`}>{i18n.t('devices.scanner.address', { n: i + 1 })}</label>
              <input
                id={`scanner-${i}`}
                autoComplete="off"
                placeholder="serial:/dev/ttyACM0?baud=9600"
                value={s.address}
                aria-invalid={invalid(`scanner.${i}`)}
                aria-describedby={invalid(`scanner.${i}`) ? `scanner.${i}-error` : undefined}
                onChange={(e) => setScanner(i, { address: e.target.value })}
              />
              {bad(`scanner.${i}`)}
            </div>
            <div className="field">
              <label htmlFor={`scanner-${i}-suffix`}>{i18n.t('devices.scanner.suffix', { n: i + 1 })}</label>
              <select id={`scanner-${i}-suffix`} value={s.suffix} onChange={(e) => setScanner(i, { suffix: e.target.value as Suffix })}>
                {SUFFIXES.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              aria-label={i18n.t('devices.scanner.remove', { n: i + 1 })}
              onClick={() => change({ scanners: form.scanners.filter((_, j) => j !== i) })}
            >
              ✕
            </button>
          </div>
        ))}
        {form.scanners.length < MAX_SCANNERS ? (
          <div>
            <button type="button" onClick={() => change({ scanners: [...form.scanners, { address: '', suffix: 'CR' }] })}>
              {i18n.t('devices.scanner.add')}
            </button>
          </div>
        ) : null}

        <div className="pair">
          <div>
            <h2>{i18n.t('devices.display')}</h2>
            <div className="field">
              <label htmlFor="display-address">{i18n.t('devices.display.address')}</label>
              <input
                id="display-address"
                autoComplete="off"
                placeholder="serial:/dev/ttyUSB1?baud=9600"
                value={form.displayAddress}
                aria-invalid={invalid('display')}
                aria-describedby={invalid('display') ? 'display-error' : undefined}
                onChange={(e) => change({ displayAddress: e.target.value })}
              />
              {bad('display')}
            </div>
            <div className="field">
              <label htmlFor="display-commands">{i18n.t('devices.display.commandSet')}</label>
              <select
                id="display-commands"
                value={form.displayCommands}
                onChange={(e) => change({ displayCommands: e.target.value as DevicesForm['displayCommands'] })}
              >
                <option value="cd5220">CD5220</option>
                <option value="epson">Epson</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="display-codepage">{i18n.t('devices.display.codepage')}</label>
              <select
                id="display-codepage"
                value={form.displayCodepage}
                onChange={(e) => change({ displayCodepage: e.target.value as DevicesForm['displayCodepage'] })}
              >
                <option value="">{i18n.t('devices.display.codepage.usual')}</option>
                <option value="cp437">PC437</option>
                <option value="cp850">PC850</option>
                <option value="ascii">{i18n.t('devices.display.codepage.ascii')}</option>
              </select>
            </div>
          </div>
          <div>
            <h2>{i18n.t('devices.scale')}</h2>
            <div className="field">
              <label htmlFor="scale-address">{i18n.t('devices.scale.address')}</label>
              <input
                id="scale-address"
                autoComplete="off"
                placeholder="serial:/dev/ttyUSB2?baud=9600"
                value={form.scaleAddress}
                aria-invalid={invalid('scale')}
                aria-describedby={invalid('scale') ? 'scale-error' : undefined}
                onChange={(e) => change({ scaleAddress: e.target.value })}
              />
              {bad('scale')}
            </div>
            <div className="field">
              <label htmlFor="scale-unit">{i18n.t('devices.scale.unit')}</label>
              <select id="scale-unit" value={form.scaleUnit} onChange={(e) => change({ scaleUnit: e.target.value as 'kg' | 'lb' })}>
                <option value="kg">kg</option>
                <option value="lb">lb</option>
              </select>
            </div>
          </div>
        </div>
        <div className="actions">
          <button type="button" disabled={busy || !form.printerUri.trim()} onClick={() => void testPrint(form.printerUri.trim())}>
            {i18n.t('devices.test')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t('devices.save')} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
      {notice ? <p role="status">{notice}</p> : null}
      <Message text={message} />

      <h2>{i18n.t('devices.scannerTest')}</h2>
      <form
        className="scan"
        onSubmit={(e) => {
          e.preventDefault();
          if (wedge.trim()) setWedgeRead(`${wedge.trim()} (${i18n.t('devices.scannerTest.keyboard')})`);
          setWedge('');
        }}
      >
        <input
          data-scan-target=""
          aria-label={i18n.t('devices.scannerTest.field')}
          placeholder={i18n.t('devices.scannerTest.hint')}
          autoComplete="off"
          value={wedge}
          onChange={(e) => {
            setWedge(e.target.value);
            setWedgeRead(null);
          }}
        />
      </form>
      <p role="status" aria-label={i18n.t('devices.scannerTest')}>
        {latest ? i18n.t('devices.scannerTest.last', { code: latest }) : i18n.t('devices.scannerTest.none')}
      </p>

      <h2>{i18n.t('devices.status')}</h2>
      {devices.devices.length === 0 ? (
        <p>{i18n.t('devices.none')}</p>
      ) : (
        <table className="cart">
          <tbody>
            {devices.devices.map((d) => (
              <tr key={d.deviceId}>
                <td>{d.deviceId}</td>
                <td>{d.address}</td>
                <td>{i18n.t(`device.state.${d.state}`)}</td>
                {/* The engine's own words stay in the tooltip for whoever services the register. */}
                <td className={d.health === 'online' ? '' : 'message'} title={d.error?.message}>
                  {i18n.t(`device.health.${d.health}`)}
                  {d.error ? `: ${i18n.t(`device.error.${d.error.code}`)}` : ''}
                  {d.conditions.length ? ` (${d.conditions.join(', ')})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {devices.config.scale ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void weigh()}>
            {i18n.t('devices.weigh')}
          </button>{' '}
          {/* scale.read answers only a stable weight; why there is none comes as the error message. */}
          {weighing ? i18n.t('devices.weight', { weight: weighing.weightKg }) : null}
        </p>
      ) : null}
      <button type="button" onClick={() => show('sell')}>
        {i18n.t('menu.back')} <kbd>Esc</kbd>
      </button>
    </section>
  );
}

// The register's devices for a manager (F11): the receipt printer (typed, or chosen from the USB
// printers this machine has) with its model, code page and paper, how it is now (live, from its
// events) with a retry, and a test page that says why it did not print; the scanners, the customer display
// and the scale by their addresses; each device's state; a scanner test that shows the last code
// read, from a serial or HID scanner or typed by a keyboard-wedge one into the test field; and
// the scale's weight. Everything is saved together with devices.configure; an address that
// cannot be used is pointed at beside its field and nothing is saved.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import { LanguageChoice } from '../components/language-choice.tsx';
import { DEFAULT_PRINTER_MODEL, PRINTER_MODELS, type Codepage } from '#contract/printer-models.ts';
import { printerBadge } from '../components/printer-words.ts';
import type { I18n } from '../i18n/index.ts';
import type { Printer } from '../stores/register.ts';
import { codepagesOf, configOf, formOf, withModel, type DevicesForm, type FieldId, type Suffix } from './devices-form.ts';

const SUFFIXES: Suffix[] = ['CR', 'LF', 'CRLF', 'TAB'];
const MAX_SCANNERS = 4;
/** Code pages by their usual names; automatic is worded (devices.printer.codepage.auto). */
const CODEPAGE_NAMES: Record<Exclude<Codepage, 'auto'>, string> = {
  cp850: 'PC850',
  cp858: 'PC858 (€)',
  windows1252: 'Windows-1252',
  'iso8859-15': 'ISO 8859-15',
};
const DEFAULT_MODEL_NAME = PRINTER_MODELS.find((m) => m.id === DEFAULT_PRINTER_MODEL)?.name ?? DEFAULT_PRINTER_MODEL;

export function DevicesScreen({ useRegister, i18n }: ScreenProps) {
  const devices = useRegister((s) => s.devices);
  const lastScan = useRegister((s) => s.lastScan);
  const weighing = useRegister((s) => s.weighing);
  const message = useRegister((s) => s.message);
  const notice = useRegister((s) => s.notice);
  const busy = useRegister((s) => s.busy);
  const discovered = useRegister((s) => s.discovered);
  const live = useRegister((s) => s.printer);
  const { saveDevices, testPrint, weigh, show, discover, retryPrinter } = useRegister.getState();
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
  // A device's address, pointed at when it cannot be used (the saved form's problems).
  const address = (props: {
    id: string;
    problem: FieldId;
    label: string;
    placeholder: string;
    value: string;
    onChange: (v: string) => void;
  }) => {
    const invalid = problems.includes(props.problem);
    return (
      <div className="field">
        <label htmlFor={props.id}>{props.label}</label>
        <input
          id={props.id}
          autoComplete="off"
          placeholder={props.placeholder}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${props.problem}-error` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {invalid ? (
          <p id={`${props.problem}-error`} className="message" role="alert">
            {i18n.t('devices.badAddress')}
          </p>
        ) : null}
      </div>
    );
  };
  const save = () => {
    const { config: next, problems: found } = configOf(form);
    setProblems(found);
    if (found.length === 0 && !busy) void saveDevices(next);
  };
  // The register's printer as its events say it now; as last read for any other.
  const printer = live && live.printerUri === devices.printerUri ? live : devices.printers.find((p) => p.printerUri === devices.printerUri);
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
        {address({
          id: 'printer-uri',
          problem: 'printer',
          label: i18n.t('devices.printer.uri'),
          placeholder: 'tcp://192.168.1.50:9100',
          value: form.printerUri,
          onChange: (v) => change({ printerUri: v }),
        })}
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
        <div className="pair">
          <div className="field">
            <label htmlFor="printer-model">{i18n.t('devices.printer.model')}</label>
            <select id="printer-model" value={form.printerModel} onChange={(e) => setForm(withModel(form, e.target.value))}>
              <option value="">{i18n.t('devices.printer.model.default', { name: DEFAULT_MODEL_NAME })}</option>
              {PRINTER_MODELS.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="printer-codepage">{i18n.t('devices.printer.codepage')}</label>
            <select
              id="printer-codepage"
              value={form.printerCodepage}
              onChange={(e) => change({ printerCodepage: e.target.value as Codepage })}
            >
              {codepagesOf(form.printerModel).map((c) => (
                <option key={c} value={c}>
                  {c === 'auto' ? i18n.t('devices.printer.codepage.auto') : CODEPAGE_NAMES[c]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {printer ? <PrinterFacts printer={printer} i18n={i18n} busy={busy} onRetry={() => void retryPrinter()} /> : null}

        <h2>{i18n.t('devices.scanners')}</h2>
        <p className="hint">{i18n.t('devices.addressHint')}</p>
        {form.scanners.map((s, i) => (
          <div className="device-row" key={i}>
            {address({
              id: `scanner-${i}`,
              problem: `scanner.${i}`,
              label: i18n.t('devices.scanner.address', { n: i + 1 }),
              placeholder: 'serial:/dev/ttyACM0?baud=9600',
              value: s.address,
              onChange: (v) => setScanner(i, { address: v }),
            })}
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
            {address({
              id: 'display-address',
              problem: 'display',
              label: i18n.t('devices.display.address'),
              placeholder: 'serial:/dev/ttyUSB1?baud=9600',
              value: form.displayAddress,
              onChange: (v) => change({ displayAddress: v }),
            })}
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
            {address({
              id: 'scale-address',
              problem: 'scale',
              label: i18n.t('devices.scale.address'),
              placeholder: 'serial:/dev/ttyUSB2?baud=9600',
              value: form.scaleAddress,
              onChange: (v) => change({ scaleAddress: v }),
            })}
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

function PrinterFacts({ printer, i18n, busy, onRetry }: { printer: Printer; i18n: I18n; busy: boolean; onRetry(): void }) {
  const badge = printerBadge(i18n, printer);
  // Drawer open says nothing of the printer; the rest of what it says is its state in its own words.
  const says = printer.conditions.filter((c) => c !== 'DRAWER_OPEN').map((c) => i18n.t(`printer.condition.${c}`));
  return (
    <section aria-label={i18n.t('devices.status')} className="printer-now">
      <dl className="printer-facts">
        <dt>{i18n.t('devices.printer.state')}</dt>
        <dd role="status">
          <span className={`badge ${badge.tone}`}>{badge.text}</span>
        </dd>
        {says.length > 0 ? (
          <>
            <dt>{i18n.t('devices.printer.says')}</dt>
            <dd>{says.join(', ')}</dd>
          </>
        ) : null}
        <dt>{i18n.t('devices.printer.support')}</dt>
        <dd>{i18n.t(`devices.printer.support.${printer.statusSupport}`)}</dd>
        <dt>{i18n.t('devices.printer.pending')}</dt>
        <dd>{printer.pending}</dd>
        <dt>{i18n.t('devices.printer.uncertain')}</dt>
        <dd>{printer.uncertain}</dd>
        <dt>{i18n.t('devices.printer.checkedAt')}</dt>
        <dd>{printer.checkedAt ? i18n.dateTime(printer.checkedAt) : i18n.t('devices.printer.never')}</dd>
        {printer.lastError ? (
          <>
            {/* The engine's own words, for whoever services the register. */}
            <dt>{i18n.t('devices.printer.lastError')}</dt>
            <dd>
              <code>{printer.lastError}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <p>
        <button type="button" disabled={busy} onClick={onRetry}>
          {i18n.t('devices.printer.retry')}
        </button>
      </p>
    </section>
  );
}

// Why something is done, for the record: typed, or one of the usual reasons with a touch.
import type { I18n } from '../i18n/index.ts';

export function ReasonField(props: {
  id: string;
  i18n: I18n;
  value: string;
  onChange(value: string): void;
  shown: boolean;
  presets: string[];
}) {
  const { id, i18n, value, shown } = props;
  const missing = shown && value.trim() === '';
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{i18n.t('counter.reason')}</label>
        <input
          id={id}
          autoComplete="off"
          autoFocus
          maxLength={200}
          value={value}
          aria-invalid={missing}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
      <div className="reasons" role="group" aria-label={i18n.t('counter.reasons')}>
        {props.presets.map((p) => (
          <button
            type="button"
            key={p}
            className="quiet"
            onClick={() => {
              props.onChange(p);
              document.getElementById(id)?.focus();
            }}
          >
            {p}
          </button>
        ))}
      </div>
      {missing ? (
        <p className="message" role="alert">
          {i18n.t('counter.reasonNeeded')}
        </p>
      ) : null}
    </>
  );
}

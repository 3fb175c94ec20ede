// The period a factura global covers, from the fiscal profile's Periodicidad and any day in it,
// in the branch's calendar (sales carry their business date). Periods never cross a month: the
// InformacionGlobal names one month, and a customer may ask for an individual CFDI until the
// month ends, so a week that straddles two months is two periods, one in each.
//   c_Periodicidad: 01 diario, 02 semanal, 03 quincenal, 04 mensual (05 bimestral is for the
//   RIF/RESICO regimes, which this product does not issue for).
import { FiscalMxError } from './errors.ts';

export const GLOBAL_PERIODICITIES = ['01', '02', '03', '04'] as const;
export type GlobalPeriodicity = (typeof GLOBAL_PERIODICITIES)[number];

export type GlobalPeriod = {
  periodicidad: GlobalPeriodicity;
  /** First and last business day of the period, both included (YYYY-MM-DD). */
  from: string;
  to: string;
  /** InformacionGlobal's Meses and Año. */
  meses: string;
  año: number;
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const iso = (d: Date) => d.toISOString().slice(0, 10);

export const isGlobalPeriodicity = (value: unknown): value is GlobalPeriodicity =>
  typeof value === 'string' && (GLOBAL_PERIODICITIES as readonly string[]).includes(value);

/** The period of `periodicidad` that holds `day`. */
export function globalPeriod(periodicidad: GlobalPeriodicity, day: string): GlobalPeriod {
  const m = DAY.exec(day);
  const at = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !at || iso(at) !== day) {
    throw new FiscalMxError('CFDI_INPUT', `«${day}» no es una fecha AAAA-MM-DD.`, { path: 'day' });
  }
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const date = at.getUTCDate();
  const monthStart = new Date(Date.UTC(year, month, 1));
  const monthEnd = new Date(Date.UTC(year, month + 1, 0));
  let from: Date;
  let to: Date;
  switch (periodicidad) {
    case '01':
      from = at;
      to = at;
      break;
    case '02': {
      // Monday to Sunday, clipped to the month.
      const sinceMonday = (at.getUTCDay() + 6) % 7;
      from = new Date(Math.max(monthStart.getTime(), Date.UTC(year, month, date - sinceMonday)));
      to = new Date(Math.min(monthEnd.getTime(), Date.UTC(year, month, date - sinceMonday + 6)));
      break;
    }
    case '03':
      from = date <= 15 ? monthStart : new Date(Date.UTC(year, month, 16));
      to = date <= 15 ? new Date(Date.UTC(year, month, 15)) : monthEnd;
      break;
    case '04':
      from = monthStart;
      to = monthEnd;
      break;
  }
  return { periodicidad, from: iso(from), to: iso(to), meses: String(month + 1).padStart(2, '0'), año: year };
}

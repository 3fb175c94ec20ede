// Which monitor shows the customer display: the one the settings name, or else the first one
// that is not the cashier's; none when there is only one monitor (the pole display, if any, is
// the engine's).
import type { Rectangle } from 'electron';

export type DisplayInfo = { id: number; bounds: Rectangle; internal?: boolean };
/** 'auto': any second monitor; 'off': never; a number: that display id only. */
export type CustomerDisplaySetting = 'auto' | 'off' | number;

export function chooseCustomerDisplay(
  displays: readonly DisplayInfo[],
  primaryId: number,
  setting: CustomerDisplaySetting,
): DisplayInfo | null {
  if (setting === 'off') return null;
  const others = displays.filter((d) => d.id !== primaryId);
  if (typeof setting === 'number') return others.find((d) => d.id === setting) ?? null;
  // A laptop's own panel faces the cashier; an external monitor is more likely the customer's.
  return others.find((d) => !d.internal) ?? others[0] ?? null;
}

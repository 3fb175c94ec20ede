// The side tasks beside selling and the function keys that open them, shown on their buttons.
export const MENU = [
  { panel: 'returns', key: 'F8', label: 'menu.returns' },
  { panel: 'cash', key: 'F9', label: 'menu.cash' },
  { panel: 'close', key: 'F10', label: 'menu.close' },
] as const;


// The side tasks beside selling and the function keys that open them, shown on their buttons.
export const MENU = [
  { panel: 'search', key: 'F3', label: 'menu.search' },
  { panel: 'browse', key: 'F4', label: 'menu.browse' },
  { panel: 'parked', key: 'F7', label: 'menu.parked' },
  { panel: 'returns', key: 'F8', label: 'menu.returns' },
  { panel: 'cash', key: 'F9', label: 'menu.cash' },
  { panel: 'close', key: 'F10', label: 'menu.close' },
  // Every F-key is taken: the shift's sales are a Ctrl chord too (H for historial).
  { panel: 'history', key: 'Ctrl+H', label: 'menu.history' },
  { panel: 'devices', key: 'F11', label: 'menu.devices', permission: 'devices.manage' },
  // Every F-key is the register's; the back office is a Ctrl chord the wedge never types.
  { panel: 'backOffice', key: 'Ctrl+B', label: 'menu.backOffice', permission: 'catalog.manage' },
] as const;

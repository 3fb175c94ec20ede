// Starting the POS when the cashier's session starts. Windows and macOS have
// app.setLoginItemSettings; Linux desktops read ~/.config/autostart/*.desktop (XDG autostart).

export const AUTOSTART_FILE = 'countertop-pos.desktop';

/** An XDG autostart entry that runs the app; an AppImage must be started by its own path. */
export function autostartEntry(executable: string): string {
  // Exec quoting per the Desktop Entry spec: a path with spaces in double quotes, \ " ` $ escaped.
  const quoted = /[\s"\\`$]/.test(executable) ? `"${executable.replace(/(["\\`$])/g, '\\$1')}"` : executable;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Countertop POS',
    `Exec=${quoted}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/** The executable to put in the entry: the AppImage file when running from one, else the app's binary. */
export const launcherPath = (execPath: string, env: Record<string, string | undefined>): string => env.APPIMAGE ?? execPath;

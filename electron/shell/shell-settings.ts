// The desktop shell's own settings, in settings.json beside the data directory (the engine's
// business settings are in the database; these are about this machine's windows). A missing
// file is the defaults; a file that does not parse is reported and the defaults are used, so a
// bad edit can never keep the till from opening.
import { z } from 'zod';

const updatesSchema = z
  .object({
    /** Off by default: a till updates when the company decides, from the company's own server. */
    enabled: z.boolean().default(false),
    /** The company's update server (electron-builder "generic" layout: latest.yml, latest-linux.yml, latest-mac.yml). */
    url: z
      .url({ protocol: /^https$/, error: 'updates.url must be an https:// address' })
      .nullable()
      .default(null),
    channel: z.enum(['latest', 'beta']).default('latest'),
  })
  .strict();

export const shellSettingsSchema = z
  .object({
    kiosk: z.boolean().default(false),
    startAtLogin: z.boolean().default(false),
    customerDisplay: z.union([z.enum(['auto', 'off']), z.number().int().nonnegative()]).default('auto'),
    updates: updatesSchema.default({ enabled: false, url: null, channel: 'latest' }),
  })
  .strict();

export type ShellSettings = z.output<typeof shellSettingsSchema>;

export const DEFAULT_SHELL_SETTINGS: ShellSettings = shellSettingsSchema.parse({});

export type SettingsRead = { settings: ShellSettings; problem: string | null };

/** Settings from the file's text (null: no file) and the environment (POS_KIOSK=1 forces kiosk). */
export function readShellSettings(text: string | null, env: Record<string, string | undefined> = {}): SettingsRead {
  let settings = DEFAULT_SHELL_SETTINGS;
  let problem: string | null = null;
  if (text !== null) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
      problem = 'settings.json is not valid JSON; using the defaults';
    }
    if (problem === null) {
      const parsed = shellSettingsSchema.safeParse(raw);
      if (parsed.success) settings = parsed.data;
      else {
        const issue = parsed.error.issues[0]!;
        problem = `settings.json: ${issue.path.join('.') || 'file'}: ${issue.message}; using the defaults`;
      }
    }
  }
  if (env.POS_KIOSK === '1') settings = { ...settings, kiosk: true };
  if (settings.updates.enabled && settings.updates.url === null) {
    problem = "settings.json: updates.enabled needs updates.url (the company's update server); updates stay off";
    settings = { ...settings, updates: { ...settings.updates, enabled: false } };
  }
  return { settings, problem };
}

/** The update feed when updates are on, for electron-updater's generic provider; null when off. */
export function updateFeed(settings: ShellSettings): { provider: 'generic'; url: string; channel: string } | null {
  const u = settings.updates;
  return u.enabled && u.url ? { provider: 'generic', url: u.url, channel: u.channel } : null;
}

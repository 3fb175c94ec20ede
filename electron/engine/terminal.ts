// Which business, branch and register this terminal is: set once when a terminal is installed
// (the demo store sets it on first run) and kept beside the database in terminal.json.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const terminalSchema = z
  .object({
    deviceId: z.string().min(1),
    businessId: z.uuid(),
    branchId: z.uuid(),
    registerId: z.uuid(),
  })
  .strict();

export type Terminal = z.infer<typeof terminalSchema>;

const fileOf = (dataDir: string) => join(dataDir, 'terminal.json');

export function readTerminal(dataDir: string): Terminal | null {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return null;
  const parsed = terminalSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid terminal identity: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function writeTerminal(dataDir: string, terminal: Omit<Terminal, 'deviceId'> & { deviceId?: string }): Terminal {
  const value = terminalSchema.parse({ deviceId: terminal.deviceId ?? `terminal-${randomUUID()}`, ...terminal });
  writeFileSync(fileOf(dataDir), `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  return value;
}

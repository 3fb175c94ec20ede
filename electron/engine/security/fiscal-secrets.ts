// The issuer's CSD (.cer, .key and the key's password) and the PAC account, kept outside the
// database and out of every log: files under DATA_DIR/keys/fiscal/, readable only by their owner
// (as key-file.ts keeps the PII key). Whoever holds them can issue invoices in the owner's name.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Csd, openCsd } from '../fiscal/mx/seal.ts';
import { finkokClient } from '../fiscal/mx/pac/finkok.ts';
import type { PacClient } from '../fiscal/mx/pac/pac-client.ts';
import { KeyFileError } from './key-file.ts';
import { readSecretFile, writeSecretFile } from './secret-files.ts';

export const fiscalKeysDir = (dataDir: string) => join(dataDir, 'keys', 'fiscal');

const FILES = { cer: 'csd.cer', key: 'csd.key', password: 'csd.password', pac: 'pac.json' } as const;

export const pacConfigSchema = z
  .object({
    provider: z.literal('finkok'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    username: z.string().min(1),
    password: z.string().min(1),
  })
  .strict();
export type PacConfig = z.infer<typeof pacConfigSchema>;

export class FiscalSecretsMissing extends Error {
  override name = 'FiscalSecretsMissing';
}

const pathOf = (dataDir: string, file: keyof typeof FILES) => join(fiscalKeysDir(dataDir), FILES[file]);

const readSecret = readSecretFile;

const writeSecret = (dataDir: string, file: keyof typeof FILES, content: Uint8Array | string) =>
  writeSecretFile(fiscalKeysDir(dataDir), FILES[file], content);

/** What is missing for this register to stamp, in words for the operator; empty when both are installed. */
export function missingFiscalSecrets(dataDir: string): string[] {
  const missing: string[] = [];
  if (!(['cer', 'key', 'password'] as const).every((f) => existsSync(pathOf(dataDir, f)))) {
    missing.push('the CSD (pos fiscal set-csd --cer F --key F --password-file F)');
  }
  if (!existsSync(pathOf(dataDir, 'pac'))) missing.push('the PAC account (pos fiscal set-pac --url U --user U --password-file F)');
  return missing;
}

export const fiscalSecretsConfigured = (dataDir: string) => missingFiscalSecrets(dataDir).length === 0;

/** The opened CSD; a wrong password, or a .key of another certificate, is seal.ts's SealError in Spanish. */
export function loadCsd(dataDir: string): Csd {
  const missing = missingFiscalSecrets(dataDir).filter((m) => m.startsWith('the CSD'));
  if (missing.length > 0) throw new FiscalSecretsMissing(`invoices cannot be stamped here: ${missing[0]} is not installed`);
  return openCsd({
    cer: readSecret(pathOf(dataDir, 'cer')),
    key: readSecret(pathOf(dataDir, 'key')),
    password: readSecret(pathOf(dataDir, 'password'))
      .toString('utf8')
      .replace(/\r?\n$/, ''),
  });
}

export function loadPacConfig(dataDir: string): PacConfig {
  const path = pathOf(dataDir, 'pac');
  if (!existsSync(path)) {
    throw new FiscalSecretsMissing('invoices cannot be stamped here: the PAC account (pos fiscal set-pac) is not installed');
  }
  const parsed = pacConfigSchema.safeParse(JSON.parse(readSecret(path).toString('utf8')));
  if (!parsed.success) throw new KeyFileError(`${path} is not a PAC account (provider, baseUrl, username, password)`);
  return parsed.data;
}

export function pacClientFor(config: PacConfig, timeoutMs?: number): PacClient {
  return finkokClient({
    username: config.username,
    password: config.password,
    baseUrl: config.baseUrl,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

/** Installs the CSD after opening it: a wrong password or a mismatched pair is refused, and nothing is written. */
export function installCsd(dataDir: string, files: { cer: Uint8Array; key: Uint8Array; password: string }): Csd {
  const csd = openCsd(files);
  writeSecret(dataDir, 'cer', files.cer);
  writeSecret(dataDir, 'key', files.key);
  writeSecret(dataDir, 'password', files.password);
  return csd;
}

export function installPacConfig(dataDir: string, config: PacConfig): void {
  writeSecret(dataDir, 'pac', `${JSON.stringify(pacConfigSchema.parse(config))}\n`);
}

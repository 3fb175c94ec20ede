// Central keeps one CSD and one PAC account per business, as a register keeps its own: files
// under DATA_DIR/businesses/<business id>/keys/fiscal/, mode 0600, never in the database or a log
// (security/fiscal-secrets.ts reads and writes them; this only says where each business's are).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fiscalSecretsConfigured } from '#engine/security/fiscal-secrets.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The directory fiscal-secrets.ts treats as a data directory, for one business at central. */
export function businessFiscalRoot(dataDir: string, businessId: string): string {
  if (!UUID.test(businessId)) throw new Error(`"${businessId}" is not a business id (a UUID such as those \`pos central report\` shows)`);
  return join(dataDir, 'businesses', businessId);
}

/** The businesses whose CSD and PAC account are both installed here. */
export function businessesWithSecrets(dataDir: string): string[] {
  const root = join(dataDir, 'businesses');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => UUID.test(name) && fiscalSecretsConfigured(join(root, name)))
    .sort();
}

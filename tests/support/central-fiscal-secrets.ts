// A business's CSD (a test one for its RFC) and its account on a loopback PAC, installed into a
// central service's data directory as the README says: `pos central set-csd` and `set-pac`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackPac, type LoopbackPac } from './loopback-pac.ts';
import { runPos } from './run-cli.ts';
import { makeTestCsd } from './test-csd.ts';

/** Starts the PAC, installs both for `businessId` into `dataDir`, and answers the PAC. */
export async function installCentralFiscalSecrets(dataDir: string, businessId: string, rfc = 'ALE150312QX9'): Promise<LoopbackPac> {
  const pac = await startLoopbackPac({ username: 'central', password: 'secreto', dir: dataDir });
  const csd = makeTestCsd(dataDir, { rfc });
  const csdPassword = join(dataDir, 'csd-password.txt');
  const pacPassword = join(dataDir, 'pac-password.txt');
  writeFileSync(csdPassword, `${csd.password}\n`);
  writeFileSync(pacPassword, 'secreto\n');
  for (const args of [
    [
      'central',
      'set-csd',
      '--business',
      businessId,
      '--data-dir',
      dataDir,
      '--cer',
      csd.cerPath,
      '--key',
      csd.keyPath,
      '--password-file',
      csdPassword,
    ],
    [
      'central',
      'set-pac',
      '--business',
      businessId,
      '--data-dir',
      dataDir,
      '--url',
      pac.baseUrl,
      '--user',
      'central',
      '--password-file',
      pacPassword,
    ],
  ]) {
    const done = await runPos(args);
    if (done.code !== 0) throw new Error(`pos ${args.slice(0, 2).join(' ')} failed: ${done.stderr}`);
  }
  return pac;
}

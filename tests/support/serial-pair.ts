// A virtual null-modem cable: socat links two pseudo-terminals, so the engine opens one end as
// its device's port and the test plays the device on the other end.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SerialPair = {
  /** The port the engine opens. */
  engineEnd: string;
  /** The port the test writes to and reads from, standing in for the device. */
  deviceEnd: string;
  close(): Promise<void>;
};

export async function openSerialPair(): Promise<SerialPair> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-serial-'));
  const engineEnd = join(dir, 'engine');
  const deviceEnd = join(dir, 'device');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${engineEnd}`, `pty,raw,echo=0,link=${deviceEnd}`], { stdio: 'ignore' });
  const started = Date.now();
  while (!(existsSync(engineEnd) && existsSync(deviceEnd))) {
    if (socat.exitCode !== null) throw new Error(`socat exited with ${socat.exitCode}; is it installed?`);
    if (Date.now() - started > 5_000) throw new Error('socat did not create the pty pair within 5 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    engineEnd,
    deviceEnd,
    async close() {
      if (socat.exitCode === null) {
        const exited = new Promise((r) => socat.once('exit', r));
        socat.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

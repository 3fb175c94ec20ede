import { describe, expect, it } from 'vitest';
import { openEngine } from '#engine/engine.ts';
import { startFixture } from '../support/fixture-bundle.ts';
import { exited, runPos } from '../support/run-cli.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('owner', freshDataDir);

describe('a data directory', () => {
  it('refuses a second opener in the same process with a clear message', async () => {
    const dir = newDir();
    const engine = await openEngine(dir, { purpose: 'first' });
    try {
      await expect(openEngine(dir, { purpose: 'second' })).rejects.toThrow(/is in use by another POS process \(pid \d+ on .+, first\)/);
    } finally {
      await engine.close();
    }
    const again = await openEngine(dir, { purpose: 'after close' });
    await again.close();
  });

  it('refuses the CLI while another process owns it, and opens intact once that process is killed', async () => {
    const dir = newDir();
    const holder = await startFixture('hold-data-dir', [dir]);
    try {
      const refused = await runPos(['db', 'migrate', '--data-dir', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/^pos: data directory .* is in use by another POS process \(pid \d+/);
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
    // The OS dropped the dead process's lock: no stale lock file to clean up by hand.
    const after = await runPos(['db', 'migrate', '--data-dir', dir]);
    expect(after).toMatchObject({ code: 0, stderr: '' });
    expect(after.stdout).toMatch(/database is up to date \(\d+ migrations applied before\)/);
  });
});

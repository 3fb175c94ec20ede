// The README's one-line command that prints the demo owner's current authenticator code, run as
// written: a new user needs it to open the back office, so it must print a code the engine takes.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run-cli.ts';

describe("the README's authenticator code command", () => {
  it("prints the 6-digit code of the demo owner's secret, as an authenticator app would show it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = /`(node -e "import\('otpauth'\)[^`]+)`/.exec(readme)?.[1];
    expect(command).toBeDefined();
    const secret = /Secret\.fromBase32\('([A-Z2-7]+)'\)/.exec(command!)![1]!;
    const before = TOTP.generate({ secret: Secret.fromBase32(secret) });
    const printed = execSync(command!, { cwd: ROOT, encoding: 'utf8' }).trim();
    const after = TOTP.generate({ secret: Secret.fromBase32(secret) });
    expect(printed).toMatch(/^\d{6}$/);
    // The 30-second step may turn between the two readings.
    expect([before, after]).toContain(printed);
  });
});

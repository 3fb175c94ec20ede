// Once per `vitest run`, before any test file: what every test process copies instead of making,
// and the bundle the test files' child processes run from (fixture-bundle.ts).
import { buildDemoTemplate, DEMO_TEMPLATE_ENV } from './demo-template.ts';
import { buildFixtureBundle } from './fixture-bundle.ts';
import { buildPgliteTemplate, TEMPLATE_ENV } from './pglite-template.ts';

export default async function setup(): Promise<() => void> {
  process.env[TEMPLATE_ENV] = await buildPgliteTemplate();
  const demo = await buildDemoTemplate();
  process.env[DEMO_TEMPLATE_ENV] = demo.dir;
  await buildFixtureBundle();
  return demo.remove;
}

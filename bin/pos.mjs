#!/usr/bin/env node
// `pos` runs the TypeScript engine directly through tsx's loader: no build step between an
// edit and a run, and the same sources the tests import.
import { register } from 'tsx/esm/api';

register();
await import('../electron/engine/cli.ts');

import { defineHandlers } from '#engine/call-context.ts';

export const syncHandlers = defineHandlers({
  async 'sync.status'(_input, ctx) {
    return ctx.services.sync?.status() ?? { configured: false as const };
  },
  async 'sync.now'(_input, ctx) {
    ctx.services.sync?.kick({ pull: true });
    return { started: ctx.services.sync !== null };
  },
});

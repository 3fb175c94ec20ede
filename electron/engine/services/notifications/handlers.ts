import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { markRead, notificationsFor } from './in-app.ts';

export const notificationHandlers = defineHandlers({
  async 'notifications.list'(input, ctx) {
    return notificationsFor(ctx.services.sql, requireSession(ctx).employeeId, input.limit);
  },
  async 'notifications.markRead'(input, ctx) {
    const marked = await markRead(ctx.services.sql, requireSession(ctx).employeeId, input.ids, ctx.services.now());
    return { marked };
  },
});

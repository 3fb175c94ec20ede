import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { markRead, notificationsFor } from './in-app.ts';
import { outgoingNotifications, requestRetry } from './outgoing.ts';
import { requestPhoneLink } from './phone-link.ts';

export const notificationHandlers = defineHandlers({
  async 'notifications.list'(input, ctx) {
    return notificationsFor(ctx.services.sql, requireSession(ctx).employeeId, input.limit);
  },
  async 'notifications.markRead'(input, ctx) {
    const marked = await markRead(ctx.services.sql, requireSession(ctx).employeeId, input.ids, ctx.services.now());
    return { marked };
  },
  async 'notifications.outgoing'(input, ctx) {
    return outgoingNotifications(ctx.services.sql, ctx.services.journal, requireTerminal(ctx.services).businessId, input);
  },
  async 'notifications.retry'(input, ctx) {
    return requestRetry(ctx.services, {
      businessId: requireTerminal(ctx.services).businessId,
      jobId: input.id,
      by: requireSession(ctx).employeeId,
    });
  },
  async 'notifications.phoneLink'(_input, ctx) {
    const session = requireSession(ctx);
    const terminal = requireTerminal(ctx.services);
    return requestPhoneLink(ctx.services, {
      businessId: terminal.businessId,
      branchId: terminal.branchId,
      employeeId: session.employeeId,
      userId: session.userId,
    });
  },
});

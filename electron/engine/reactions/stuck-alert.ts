// A reaction that keeps failing on a fact (a receipt that cannot be laid out, a database that
// refuses the print job) is told to the people who look after this register's devices, under
// the bell: the sales go on, but someone should look. One notification per reaction and fact,
// even across restarts (read back from the notifications themselves).
import type { EngineContainer } from '../container.ts';
import { log } from '../log/logger.ts';
import { notifyEmployeesWith } from '../services/notifications/in-app.ts';
import type { StuckReaction } from './fact-reactions.ts';

export const STUCK_CODE = 'reaction.stuck';

export function reportStuckReactions(services: EngineContainer): (stuck: StuckReaction) => void {
  return (stuck) => {
    const terminal = services.terminal;
    if (!terminal) return;
    void services
      .writes(async () => {
        const [told] = await services.sql.query(
          `SELECT 1 FROM communication.in_app_notifications
        WHERE business_id = $1 AND data->>'code' = $2 AND data->>'reaction' = $3 AND data->>'seq' = $4 LIMIT 1`,
          [terminal.businessId, STUCK_CODE, stuck.reaction, String(stuck.seq)],
        );
        if (told) return 0;
        return notifyEmployeesWith(
          services.sql,
          terminal,
          'devices.manage',
          {
            severity: 'WARNING',
            title: `Esta caja no ha podido ${stuck.purpose}`,
            body:
              `La caja lleva ${stuck.attempts} intentos sin poder ${stuck.purpose} (registro #${stuck.seq}, ${stuck.kind}) y lo sigue intentando; ` +
              `las ventas se siguen guardando. Último error: ${stuck.error}`,
            data: {
              code: STUCK_CODE,
              reaction: stuck.reaction,
              seq: String(stuck.seq),
              kind: stuck.kind,
              error: stuck.error,
              registerId: terminal.registerId,
            },
          },
          services.now(),
        );
      })
      .then(
        (written) => {
          if (written > 0) services.events.emit('notification', { severity: 'WARNING', code: STUCK_CODE });
        },
        (err: unknown) => log.warn({ err, reaction: stuck.reaction }, 'reactions: could not tell anyone a reaction is failing'),
      );
  };
}

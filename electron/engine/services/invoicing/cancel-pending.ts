// One pass over the cancellations waiting for the authority, oldest first: a request never sent
// goes to the PAC signed with the CSD; one the SAT left IN_PROCESS (the receiver has 72 hours to
// refuse it) is asked about again by the CFDI's status. Each answer is written once, with what
// an acceptance does to the invoice, and journaled. A PAC that is down or refuses the account
// stops the pass; what is left waits for the next.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { cancellationAnswers } from '#db/schema/billing.ts';
import type { CancellationState } from '#contract/billing-vocabulary.ts';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { PacError, type CancelResult, type MotivoCancelacion, type PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import type { Csd } from '#engine/fiscal/mx/seal.ts';
import {
  applyCancelAnswerWith,
  type CancelAnsweredFact,
  cancelAnsweredKey,
  INVOICE_CANCEL_ANSWERED,
  LATEST_ANSWER,
} from './cancellation-facts.ts';
import type { FiscalServices } from './fiscal-services.ts';
import { INVOICE_REJECTED, rejectedFactKey } from './stamp-facts.ts';
import type { StampHalt } from './stamp-pending.ts';

type Services = FiscalServices;

export type CancelOutcome = { cancellationId: string; invoiceId: string; state: CancellationState | 'REQUESTED'; code?: string };
export type CancelPass = { outcomes: CancelOutcome[]; halted: StampHalt | null };

type Waiting = {
  id: string;
  invoice_id: string;
  motive: MotivoCancelacion;
  substitute_uuid: string | null;
  fiscal_id: string;
  xml: string;
  last_state: CancellationState | null;
};

/**
 * Requests of ISSUED invoices with no final answer yet, oldest first, but a motive 01 whose
 * substitute is not stamped yet; of one business when named.
 */
async function waiting(services: Services, limit: number, businessId: string | null): Promise<Waiting[]> {
  return services.sql.query<Waiting>(
    `SELECT c.id, c.invoice_id, c.motive, coalesce(sub.fiscal_id, c.substitute_uuid) AS substitute_uuid, i.fiscal_id,
            i.fiscal_data->>'xml' AS xml, a.state AS last_state
     FROM billing.invoice_cancellations c JOIN billing.invoices i ON i.id = c.invoice_id
     LEFT JOIN billing.invoices sub ON sub.id = c.substitute_invoice_id
     ${LATEST_ANSWER}
     WHERE i.status = 'ISSUED' AND c.deleted_at IS NULL AND a.state IS DISTINCT FROM 'REJECTED' AND a.state IS DISTINCT FROM 'ACCEPTED'
       -- Motive 01 with a substitute made here goes once the substitute has its UUID.
       AND (c.substitute_invoice_id IS NULL OR sub.status = 'ISSUED')
       AND ($2::uuid IS NULL OR i.business_id = $2)
     ORDER BY c.created_at, c.id LIMIT $1`,
    [limit, businessId],
  );
}

async function record(services: Services, request: Waiting, state: CancellationState, code: string, message: string, acuse?: string) {
  const now = services.now();
  const fact: CancelAnsweredFact = {
    invoiceId: request.invoice_id,
    answer: toRow(cancellationAnswers, {
      id: uuidv7(),
      cancellationId: request.id,
      state,
      code,
      message,
      acuse: acuse ?? null,
      answeredAt: now,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
  };
  await services.writes(async () => {
    const refused = await applyCancelAnswerWith(services.sql, fact);
    if (refused === null) return;
    services.journal.append(INVOICE_CANCEL_ANSWERED, cancelAnsweredKey(fact.answer.id as string), fact);
    // The credit notes the acceptance refused, each as the fact it is (replaying the answer refuses them too).
    for (const r of refused) services.journal.append(INVOICE_REJECTED, rejectedFactKey(r.invoiceId), r);
  });
}

/** What the SAT says of a CFDI whose cancellation waits for its receiver: final, or still waiting. */
async function askAgain(pac: PacClient, request: Waiting): Promise<CancelResult> {
  const cfdi = readComprobante(request.xml);
  const status = await pac.status({
    uuid: request.fiscal_id,
    rfcEmisor: cfdi.Emisor.Rfc,
    rfcReceptor: cfdi.Receptor.Rfc,
    total: cfdi.Total,
  });
  if (status.estado === 'Cancelado')
    return { state: 'accepted', code: status.codigoEstatus, message: status.estatusCancelacion ?? status.estado };
  if (/rechaz/i.test(status.estatusCancelacion ?? '')) {
    return { state: 'rejected', code: status.codigoEstatus, message: status.estatusCancelacion! };
  }
  return { state: 'in_process', code: status.codigoEstatus, message: status.estatusCancelacion ?? status.estado };
}

const STATE_OF: Record<CancelResult['state'], CancellationState> = { accepted: 'ACCEPTED', in_process: 'IN_PROCESS', rejected: 'REJECTED' };

export async function cancelPending(
  services: Services,
  options: { pac: PacClient; csd: Csd; limit?: number; businessId?: string | null },
): Promise<CancelPass> {
  const outcomes: CancelOutcome[] = [];
  for (const request of await waiting(services, options.limit ?? 20, options.businessId ?? null)) {
    const outcome = { cancellationId: request.id, invoiceId: request.invoice_id };
    try {
      let result: CancelResult;
      if (request.last_state === 'IN_PROCESS') {
        result = await askAgain(options.pac, request);
        // Still waiting: nothing new to write.
        if (result.state === 'in_process') {
          outcomes.push({ ...outcome, state: 'IN_PROCESS', code: result.code });
          continue;
        }
      } else {
        const cfdi = readComprobante(request.xml);
        result = await options.pac.cancel({
          uuid: request.fiscal_id,
          rfcEmisor: cfdi.Emisor.Rfc,
          rfcReceptor: cfdi.Receptor.Rfc,
          total: cfdi.Total,
          motivo: request.motive,
          ...(request.substitute_uuid ? { folioSustitucion: request.substitute_uuid } : {}),
          csd: options.csd,
        });
      }
      const state = STATE_OF[result.state];
      await record(services, request, state, result.code, result.message, 'acuse' in result ? result.acuse : undefined);
      outcomes.push({ ...outcome, state, code: result.code });
    } catch (err) {
      if (!(err instanceof PacError)) throw err;
      if (err.code === 'AUTH' || err.code === 'UNAVAILABLE') {
        outcomes.push({ ...outcome, state: 'REQUESTED', code: err.code });
        return { outcomes, halted: { reason: err.code, code: err.pacCode ?? err.code, message: err.message } };
      }
      if (err.code === 'PROTOCOL') {
        // An answer that cannot be read: asked again at the next pass.
        outcomes.push({ ...outcome, state: 'REQUESTED', code: err.code });
        continue;
      }
      // REJECTED or INVALID_REQUEST: the authority (or the request's own rules) refused it for good.
      await record(services, request, 'REJECTED', err.pacCode ?? err.code, err.pacMessage ?? err.message);
      outcomes.push({ ...outcome, state: 'REJECTED', code: err.pacCode ?? err.code });
    }
  }
  return { outcomes, halted: null };
}

// A manager's phone, subscribed to Web Push alerts. The register never holds a push key nor a
// link: it journals the person's request, sync carries it, and central e-mails them a link made
// when the e-mail is sent (central/phone/link-token.ts), which their phone opens to subscribe.
import { v7 as uuidv7 } from 'uuid';
import type { Journal } from '#db/journal.ts';

export const PUSH_LINK_REQUESTED = 'push.link_requested';

export type PushLinkFact = {
  id: string;
  businessId: string;
  branchId: string;
  employeeId: string;
  userId: string;
  requestedAt: string;
};

/** One request per person and minute: a second click is the same e-mail, not another one. */
export const pushLinkKey = (employeeId: string, at: Date) => `push-link:${employeeId}:${at.toISOString().slice(0, 16)}`;

/**
 * Journals the request; `requested` is false when this person already asked in this minute.
 * Whether they have an e-mail address is central's to know: a register holds none of its staff's.
 */
export function requestPhoneLink(
  services: { journal: Pick<Journal, 'append'>; now(): Date },
  r: { businessId: string; branchId: string; employeeId: string; userId: string },
): { requested: boolean } {
  const at = services.now();
  const fact: PushLinkFact = { id: uuidv7(), ...r, requestedAt: at.toISOString() };
  const { appended } = services.journal.append(PUSH_LINK_REQUESTED, pushLinkKey(r.employeeId, at), fact);
  return { requested: appended };
}

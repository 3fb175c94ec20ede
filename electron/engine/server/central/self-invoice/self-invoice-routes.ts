// Self-invoicing's HTTP side (paths.ts lists the addresses): the page, served from files in
// resources/self-invoice read once when the service starts, and the calls it makes. Every
// answer to the customer is in their words (words.json, Spanish unless the browser asks for
// English); a refusal says why and what to do. The addresses that carry a token are not logged
// by Fastify (http-app.ts): their errors are logged here without it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { APP_ROOT } from '#db/app-root.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { moneyFormat } from '#contract/receipt-document.ts';
import { FIELD_OF_FISCAL_REASON } from '#contract/customer-record.ts';
import { branchFromLink, SELF_INVOICE_BRANCH_PARAM, SELF_INVOICE_RECEIPT_PARAM } from '#contract/self-invoicing.ts';
import { EngineError } from '#engine/errors.ts';
import { KeyFileError } from '#engine/security/key-file.ts';
import { cfdiPdf } from '#engine/fiscal/mx/cfdi-pdf.ts';
import { fiscalOptionsOn } from '#engine/services/customers/fiscal-options.ts';
import { localDay } from '#engine/services/invoicing/credit-note-cfdi.ts';
import { stampedInvoice } from '#engine/services/invoicing/stamped-invoice.ts';
import { customerEmailOf, type HeldEmail } from './customer-email.ts';
import { invoiceFileName } from './invoice-email.ts';
import { SELF_INVOICE_ROUTES } from './paths.ts';
import { findSale, type FoundSale, type NotInvoiceable, whyNotInvoiceable } from './sale-lookup.ts';
import { earlierRequest, type FieldProblem, type FormField, formProblems, writeSelfInvoice } from './self-invoice-request.ts';
import { dayAsRead, readReceiptCode, readTypedTotal } from './self-invoice-rules.ts';
import type { SelfInvoiceThrottle } from './throttle.ts';

export const SELF_INVOICE_PAGES_DIR = join(APP_ROOT, 'resources', 'self-invoice');

/** How long the page's token shows the invoice and downloads it; the e-mail keeps both for good. */
export const SELF_INVOICE_LINK_DAYS = 30;

export type SelfInvoiceRouteDeps = {
  sql: SqlDatabase;
  /** Where each business's CSD and PAC account are: only those businesses offer self-invoicing. */
  dataDir: string;
  daysAfterMonth: number;
  throttle: SelfInvoiceThrottle;
  /** Asks for a fiscal pass of the business now, so the customer does not wait for the schedule. */
  stampSoon(businessId: string): void;
  now(): Date;
};

type Language = 'es' | 'en';
type Words = Record<string, string>;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const languageOf = (accept: string | undefined): Language => (accept?.trim().toLowerCase().startsWith('en') ? 'en' : 'es');
const LOCALE_OF: Record<Language, string> = { es: 'es-MX', en: 'en' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ticketBody = {
  receiptCode: z.string().max(60),
  total: z.string().max(30),
  branch: z.string().regex(UUID).or(z.literal('')).optional(),
};
const lookupBody = z.object(ticketBody).strict();
const requestBody = z
  .object({
    ...ticketBody,
    requestKey: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/),
    taxId: z.string().max(40),
    legalName: z.string().max(400),
    taxRegime: z.string().max(10),
    postalCode: z.string().max(20),
    fiscalUse: z.string().max(10),
    email: z.string().max(300),
  })
  .strict();
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A refusal as the page shows it: its words, and the field it is about. */
type Refusal = { status: number; reason: string; message: string; retryAfter?: number; problems?: FieldProblem[] };

/** The PAC's words as a sentence of the page's: ended with a period. */
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

export function registerSelfInvoiceRoutes(app: FastifyInstance, deps: SelfInvoiceRouteDeps): void {
  const words = JSON.parse(readFileSync(join(SELF_INVOICE_PAGES_DIR, 'words.json'), 'utf8')) as Record<Language, Words>;
  const page = Handlebars.create().compile(readFileSync(join(SELF_INVOICE_PAGES_DIR, 'page.hbs'), 'utf8'), { strict: true });
  const script = readFileSync(join(SELF_INVOICE_PAGES_DIR, 'page.js'), 'utf8');

  const wordsOf = (req: FastifyRequest) => words[languageOf(req.headers['accept-language'])];
  const refuse = (reply: FastifyReply, r: Refusal) => {
    if (r.retryAfter !== undefined) reply.header('retry-after', String(r.retryAfter));
    return reply.code(r.status).send({ ok: false, reason: r.reason, message: r.message, ...(r.problems ? { problems: r.problems } : {}) });
  };
  const tooMany = (w: Words, seconds: number): Refusal => ({
    status: 429,
    reason: 'TOO_MANY',
    message: fill(w.tooMany!, { minutes: Math.max(1, Math.ceil(seconds / 60)) }),
    retryAfter: seconds,
  });
  const notInvoiceable = (w: Words, why: NotInvoiceable): Refusal => {
    switch (why.reason) {
      case 'NOT_OFFERED':
        return { status: 409, reason: why.reason, message: w.notOffered! };
      case 'ALREADY_INVOICED':
        return { status: 409, reason: why.reason, message: fill(w.alreadyInvoiced!, { invoice: `${why.series}-${why.folio}` }) };
      case 'IN_GLOBAL_INVOICE':
        return { status: 409, reason: why.reason, message: w.inGlobal! };
      case 'OUT_OF_WINDOW':
        return { status: 409, reason: why.reason, message: fill(w.outOfWindow!, { day: dayAsRead(why.lastDay) }) };
    }
  };

  /**
   * The sale the ticket's code and total name, counted against the address's and the receipt's
   * limits; or the refusal. A code that does not exist and a wrong total are one answer.
   */
  async function lookUp(req: FastifyRequest, ticket: z.infer<typeof lookupBody>, w: Words): Promise<FoundSale | Refusal> {
    const ref = readReceiptCode(ticket.receiptCode);
    if (!ref) return { status: 400, reason: 'BAD_CODE', message: w.badCode! };
    const total = readTypedTotal(ticket.total);
    if (total === null) return { status: 400, reason: 'BAD_TOTAL', message: w.badTotal! };
    const blocked = await deps.throttle.receiptBlocked(ref.key);
    if (blocked !== null) return tooMany(w, blocked);
    const found = await findSale(deps.sql, ref, total, ticket.branch || null);
    if (found.kind === 'no-match') {
      await deps.throttle.receiptFailed(ref.key);
      req.log.info({ selfInvoice: 'no-match' }, 'self-invoice: no sale with that code and total');
      return { status: 404, reason: 'NO_MATCH', message: w.noMatch! };
    }
    if (found.kind === 'ambiguous') return { status: 409, reason: 'AMBIGUOUS', message: w.ambiguous! };
    return found.sale;
  }

  /** Counts the request against its address; the refusal when over the limit. */
  async function addressAllows(req: FastifyRequest, w: Words): Promise<Refusal | null> {
    const wait = await deps.throttle.address(req.ip);
    if (wait === null) return null;
    req.log.warn({ selfInvoice: 'throttled', address: req.ip }, 'self-invoice: too many requests from one address');
    return tooMany(w, wait);
  }

  const badRequest = (w: Words): Refusal => ({ status: 400, reason: 'BAD_REQUEST', message: w.badRequest! });

  app.get(SELF_INVOICE_ROUTES.page, async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8');
    const language = languageOf(req.headers['accept-language']);
    const query = req.query;
    const code = typeof query[SELF_INVOICE_RECEIPT_PARAM] === 'string' ? (query[SELF_INVOICE_RECEIPT_PARAM] as string).slice(0, 60) : '';
    // Only what the receipt's link writes; anything else is dropped, and the code and the total
    // alone find the sale, as for a receipt printed before links carried the branch.
    const inLink = query[SELF_INVOICE_BRANCH_PARAM];
    const branch = (typeof inLink === 'string' && branchFromLink(inLink)) || '';
    // What the SAT's catalogs allow today in Mexico; the request is checked again on the branch's day.
    const options = fiscalOptionsOn(localDay(deps.now(), 'America/Mexico_City'));
    return page({
      lang: LOCALE_OF[language],
      words: words[language],
      wordsJson: JSON.stringify(words[language]),
      receiptCode: code,
      branch,
      options: JSON.stringify(options),
    });
  });

  app.get(SELF_INVOICE_ROUTES.script, async (_req, reply) => {
    reply.headers(SECURITY_HEADERS).type('text/javascript; charset=utf-8');
    return script;
  });

  app.post(SELF_INVOICE_ROUTES.lookup, { bodyLimit: 4096 }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const w = wordsOf(req);
    const limited = await addressAllows(req, w);
    if (limited) return refuse(reply, limited);
    const body = lookupBody.safeParse(req.body);
    if (!body.success) return refuse(reply, badRequest(w));
    const found = await lookUp(req, body.data, w);
    if ('status' in found) return refuse(reply, found);
    const why = await whyNotInvoiceable(deps.sql, found, { dataDir: deps.dataDir, now: deps.now(), daysAfterMonth: deps.daysAfterMonth });
    if (why) return refuse(reply, notInvoiceable(w, why));
    const language = languageOf(req.headers['accept-language']);
    return {
      ok: true,
      store: found.store,
      day: dayAsRead(localDay(found.completedAt, found.timezone)),
      total: moneyFormat(LOCALE_OF[language], found.currency)(found.total),
    };
  });

  app.post(SELF_INVOICE_ROUTES.request, { bodyLimit: 8192 }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const w = wordsOf(req);
    const limited = await addressAllows(req, w);
    if (limited) return refuse(reply, limited);
    const body = requestBody.safeParse(req.body);
    if (!body.success) return refuse(reply, badRequest(w));
    const { receiptCode, total, branch, requestKey, ...form } = body.data;
    const found = await lookUp(req, { receiptCode, total, branch }, w);
    if ('status' in found) return refuse(reply, found);
    // The same request again (its answer was lost): the invoice it made, whatever has happened since.
    const earlier = await earlierRequest(deps.sql, requestKey);
    if (earlier) {
      if (earlier.sale_id !== found.id) return refuse(reply, badRequest(w));
      return reply.code(200).send({ ok: true, token: earlier.token });
    }
    const now = deps.now();
    const why = await whyNotInvoiceable(deps.sql, found, { dataDir: deps.dataDir, now, daysAfterMonth: deps.daysAfterMonth });
    if (why) return refuse(reply, notInvoiceable(w, why));
    const problems = formProblems(form, localDay(now, found.timezone));
    if (problems.length > 0) return refuse(reply, { status: 422, reason: 'INVALID', message: w.fixFields!, problems });
    let written: Awaited<ReturnType<typeof writeSelfInvoice>>;
    try {
      written = await writeSelfInvoice(deps.sql, {
        sale: found,
        form,
        locale: LOCALE_OF[languageOf(req.headers['accept-language'])],
        requestKey,
        now,
        dataDir: deps.dataDir,
      });
    } catch (err) {
      // The key that seals the customer's e-mail could not be read or made: the operator's to mend.
      if (err instanceof KeyFileError) {
        req.log.error({ err, businessId: found.businessId }, 'self-invoice: the customer e-mail key is unusable; nothing written');
        return refuse(reply, { status: 503, reason: 'UNAVAILABLE', message: w.unavailable! });
      }
      if (!(err instanceof EngineError)) throw err;
      const reason = String(err.params?.reason ?? err.code);
      if (reason === 'ALREADY_INVOICED' || reason === 'IN_GLOBAL_INVOICE') {
        const covered = await whyNotInvoiceable(deps.sql, found, { dataDir: deps.dataDir, now, daysAfterMonth: deps.daysAfterMonth });
        return refuse(reply, notInvoiceable(w, covered ?? { reason: 'ALREADY_INVOICED', series: '', folio: '' }));
      }
      // The fiscal core refused the document itself, in its Spanish words.
      const field = (FIELD_OF_FISCAL_REASON as Record<string, FormField>)[reason];
      return refuse(reply, {
        status: 422,
        reason,
        message: field ? w.fixFields! : err.message,
        ...(field ? { problems: [{ field, message: err.message }] } : {}),
      });
    }
    req.log.info(
      { selfInvoice: 'requested', invoiceId: written.invoice_id, businessId: written.business_id },
      'self-invoice: invoice written',
    );
    deps.stampSoon(written.business_id);
    return reply.code(201).send({ ok: true, token: written.token });
  });

  type Held = HeldEmail & {
    invoice_id: string;
    created_at: Date;
    status: string;
    series: string;
    folio: string;
    fiscal_id: string | null;
    code: string | null;
    message: string | null;
  };
  /** The self-invoice a token is for, while it still shows; null otherwise. */
  async function heldBy(token: string): Promise<Held | null> {
    if (!TOKEN.test(token)) return null;
    const [row] = await deps.sql.query<Held>(
      `SELECT r.id, r.invoice_id, r.business_id, r.email, r.email_sealed, r.created_at, i.status, i.series, i.folio::text AS folio, i.fiscal_id,
              i.fiscal_data->>'code' AS code, i.fiscal_data->>'message' AS message
       FROM billing.self_invoices r JOIN billing.invoices i ON i.id = r.invoice_id
       WHERE r.token = $1 AND r.deleted_at IS NULL`,
      [token],
    );
    if (!row) return null;
    if (new Date(row.created_at).getTime() + SELF_INVOICE_LINK_DAYS * 86_400_000 < deps.now().getTime()) return null;
    return row;
  }
  const tokenOf = (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => (typeof req.query.t === 'string' ? req.query.t : '');

  app.get(SELF_INVOICE_ROUTES.status, async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    reply.header('cache-control', 'no-store');
    const w = wordsOf(req);
    let held: Held | null;
    let email: string;
    try {
      held = await heldBy(tokenOf(req));
      if (!held) return reply.code(404).send({ ok: false, reason: 'NO_SUCH_LINK', message: w.noSuchLink });
      // Opened for the page that wrote it, which says where the invoice goes.
      email = customerEmailOf(deps.dataDir, held);
    } catch (err) {
      req.log.error({ err }, 'self-invoice: the status could not be read');
      return reply.code(503).send({ ok: false, reason: 'UNAVAILABLE', message: w.unavailable });
    }
    return {
      ok: true,
      status: held.status,
      invoice: `${held.series}-${held.folio}`,
      uuid: held.fiscal_id,
      email,
      ...(held.status === 'REJECTED' ? { message: fill(w.rejected!, { reason: sentence(held.message ?? held.code ?? '') }) } : {}),
    };
  });

  const download = (kind: 'pdf' | 'xml') => async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    const w = wordsOf(req);
    try {
      const held = await heldBy(tokenOf(req));
      if (!held) return reply.code(404).type('text/plain; charset=utf-8').send(w.noSuchLink);
      const invoice = await stampedInvoice(deps.sql, { invoiceId: held.invoice_id, businessId: held.business_id, cancelled: 'marked' });
      const filename = invoiceFileName(invoice.series, invoice.folio, kind);
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      if (kind === 'xml') return reply.type('application/xml; charset=utf-8').send(invoice.xml);
      return reply.type('application/pdf').send(await cfdiPdf(invoice.xml, { paper: 'LETTER', cancelled: invoice.status === 'CANCELLED' }));
    } catch (err) {
      if (err instanceof EngineError && err.code === 'CONFLICT')
        return reply.code(409).type('text/plain; charset=utf-8').send(w.notStamped);
      req.log.error({ err }, `self-invoice: the ${kind} could not be made`);
      return reply.code(503).type('text/plain; charset=utf-8').send(w.unavailable);
    }
  };
  app.get(SELF_INVOICE_ROUTES.pdf, download('pdf'));
  app.get(SELF_INVOICE_ROUTES.xml, download('xml'));
}

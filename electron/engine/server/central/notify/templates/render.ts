// Turns a stored template and a job's data into what a channel sends: an e-mail's subject, HTML
// and plain-text part, or an SMS's text, or a push's JSON. The MJML is compiled here, at send
// time, so a row edited in the database needs no build step; anything wrong with the template
// or the data is a TemplateError naming the row.
import { convert, type HtmlToTextOptions } from 'html-to-text';
import mjml2html from 'mjml';
import { compileTemplate } from './compile-handlebars.ts';
import { parsePushBody } from './push-body.ts';
import { TemplateError } from './template-error.ts';
import type { TemplateRow } from './template-row.ts';

export { TemplateError } from './template-error.ts';

export type RenderedEmail = { subject: string; html: string; text: string };

// The plain-text part is what a text-only client or a screen reader's "plain" view shows: MJML
// lays the page out with tables marked role="presentation", which read as blocks; a table of
// our own (mj-table: the lines, the totals) keeps its columns.
const TEXT_OPTIONS: HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 48 } },
    { selector: 'table[role=presentation]', format: 'block' },
    // mj-preview: the inbox's one-line teaser, hidden in the HTML, not part of the message.
    { selector: 'div[style*="display:none"]', format: 'skip' },
    // mj-divider: an empty paragraph with a top border; in text, a short rule like the printed receipt's.
    { selector: 'p[style*="border-top"]', format: 'horizontalLine', options: { length: 40, leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
  ],
};

export async function renderEmail(t: TemplateRow, data: object): Promise<RenderedEmail> {
  if (t.channel !== 'EMAIL' || t.engine !== 'MJML') {
    throw new TemplateError(t, `renderEmail takes an EMAIL template in MJML, not ${t.channel} in ${t.engine}`);
  }
  if (!t.subject?.trim()) throw new TemplateError(t, 'an e-mail template needs a subject');
  // A header is one line: a newline in the data must not start another header.
  const subject = compileTemplate(t, 'subject', t.subject, { escape: false })(data).replace(/\s+/g, ' ').trim();
  if (!subject) throw new TemplateError(t, 'the subject is empty once rendered');
  const source = compileTemplate(t, 'body', t.body, { escape: true })(data);
  let html: string;
  try {
    // ignoreIncludes: a stored template must not read files off the server with mj-include.
    // fonts {}: no web-font <link>, so opening the e-mail fetches nothing but its images.
    const result = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, fonts: {}, keepComments: false });
    if (result.errors.length > 0) throw Object.assign(new Error('MJML validation failed'), { errors: result.errors });
    html = result.html;
  } catch (err) {
    throw new TemplateError(t, `MJML: ${mjmlProblem(err)}`);
  }
  return { subject, html, text: convert(html, TEXT_OPTIONS).trim() };
}

type MjmlIssue = { line?: number; message?: string; tagName?: string };

function mjmlProblem(err: unknown): string {
  const issues = (err as { errors?: MjmlIssue[] }).errors;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((e) => `line ${e.line ?? '?'} (${e.tagName ?? '?'}): ${e.message ?? 'invalid'}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * An SMS or WhatsApp text, or a push's payload. A PUSH template is a JSON object whose string
 * values are Handlebars ({"title": "…", "body": "…"}); each value is rendered on its own and the
 * object written back as JSON, so a quote in a product's name cannot break the payload.
 */
export function renderText(t: TemplateRow, data: object): string {
  if (t.channel === 'EMAIL' || t.engine !== 'HANDLEBARS') {
    throw new TemplateError(
      t,
      `renderText takes a text template in Handlebars, not ${t.channel} in ${t.engine} (e-mails go through renderEmail)`,
    );
  }
  if (t.channel === 'PUSH') return renderPush(t, data);
  const text = compileTemplate(t, 'body', t.body, { escape: false })(data).trim();
  if (!text) throw new TemplateError(t, 'the text is empty once rendered');
  return text;
}

function renderPush(t: TemplateRow, data: object): string {
  const parsed = parsePushBody(t.body);
  if (!parsed.fields) throw new TemplateError(t, parsed.problem);
  const payload: Record<string, string> = {};
  for (const [name, source] of Object.entries(parsed.fields)) {
    payload[name] = compileTemplate(t, `body.${name}`, source, { escape: false })(data).replace(/\s+/g, ' ').trim();
  }
  if (!payload.title || !payload.body) throw new TemplateError(t, 'the push title or body is empty once rendered');
  return JSON.stringify(payload);
}

// The templates as shipped: resources/notification-templates/<code>/<channel>.<locale>.<ext>, read
// and checked before anything reaches the table, so a broken file stops `pos central migrate`
// instead of the first send. resources/notification-templates/README.md describes the layout.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '#db/app-root.ts';
import { handlebarsSyntaxProblem } from './compile-handlebars.ts';
import { parsePushBody } from './push-body.ts';
import type { TemplateChannel, TemplateEngine } from './template-row.ts';

export const DEFAULT_TEMPLATES_DIR = join(APP_ROOT, 'resources', 'notification-templates');

export type TemplateSource = {
  code: string;
  channel: TemplateChannel;
  locale: string;
  engine: TemplateEngine;
  subject: string | null;
  body: string;
  /** Where it came from, for errors. */
  file: string;
};

export class TemplateFileError extends Error {
  override name = 'TemplateFileError';
}

const CODE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const FILE = /^(email|sms|whatsapp|push|in_app)\.([a-z]{2}(?:-[A-Z]{2})?)\.(mjml|hbs)$/;
// The table's CHECK says the same; said here with the file's name.
const BASE64_IMAGE = /data:image\/[a-z+]+.base64/;

export function readTemplateFiles(dir: string = DEFAULT_TEMPLATES_DIR): TemplateSource[] {
  let codes: string[];
  try {
    codes = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  } catch (err) {
    throw new TemplateFileError(`cannot read the notification templates in ${dir}: ${(err as Error).message}`);
  }
  const sources: TemplateSource[] = [];
  for (const code of codes.sort()) {
    if (!CODE.test(code)) throw new TemplateFileError(`${join(dir, code)}: a template code is dotted lowercase words (sale.receipt)`);
    for (const name of readdirSync(join(dir, code)).sort()) {
      sources.push(readTemplateFile(join(dir, code, name), code, name));
    }
  }
  return sources;
}

function readTemplateFile(file: string, code: string, name: string): TemplateSource {
  const m = FILE.exec(name);
  if (!m) throw new TemplateFileError(`${file}: expected <channel>.<locale>.<mjml|hbs>, e.g. email.es-MX.mjml or sms.en.hbs`);
  const [, channelName = '', locale = '', ext] = m;
  const channel = channelName.toUpperCase() as TemplateChannel;
  const engine: TemplateEngine = ext === 'mjml' ? 'MJML' : 'HANDLEBARS';
  if ((channel === 'EMAIL') !== (engine === 'MJML')) {
    throw new TemplateFileError(`${file}: e-mails are .mjml and every other channel .hbs`);
  }
  const { subject, body } = frontMatter(file, readFileSync(file, 'utf8').replace(/\r\n/g, '\n'));
  const fail = (problem: string) => new TemplateFileError(`${file}: ${problem}`);
  if (channel === 'EMAIL' && !subject) throw fail('an e-mail needs "subject:" in its front matter (--- subject: … ---)');
  if (channel !== 'EMAIL' && subject !== null) throw fail('only e-mails have a subject');
  if (!body) throw fail('the template is empty');
  if (BASE64_IMAGE.test(body)) throw fail('images are linked by URL, never embedded as base64');
  if (engine === 'MJML' && !body.startsWith('<mjml')) throw fail('an e-mail template is an MJML document (<mjml>…</mjml>)');
  const texts: [string, string][] = [['body', body]];
  if (subject) texts.push(['subject', subject]);
  if (channel === 'PUSH') {
    const push = parsePushBody(body);
    if (!push.fields) throw fail(push.problem);
    texts.splice(0, 1, ...Object.entries(push.fields).map(([k, v]): [string, string] => [`body.${k}`, v]));
  }
  for (const [part, text] of texts) {
    const problem = handlebarsSyntaxProblem(text);
    if (problem) throw fail(`${part}: ${problem}`);
  }
  return { code, channel, locale, engine, subject, body, file };
}

/** "---\nsubject: …\n---\n" on top of the file; the only key there is. */
function frontMatter(file: string, text: string): { subject: string | null; body: string } {
  if (!text.startsWith('---\n')) return { subject: null, body: text.trim() };
  const end = text.indexOf('\n---\n', 3);
  if (end < 0) throw new TemplateFileError(`${file}: the front matter opened by "---" is never closed`);
  let subject: string | null = null;
  for (const line of text.slice(4, end).split('\n')) {
    if (!line.trim()) continue;
    const kv = /^subject:\s*(.*)$/.exec(line);
    if (!kv) throw new TemplateFileError(`${file}: the front matter has "subject:" only, not "${line}"`);
    subject = (kv[1] ?? '').trim() || null;
  }
  return { subject, body: text.slice(end + 5).trim() };
}

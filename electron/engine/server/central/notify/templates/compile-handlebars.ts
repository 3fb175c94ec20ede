// Handlebars for stored templates: its own environment (nothing registered elsewhere leaks in),
// strict (a variable the data lacks is an error, never a blank in a customer's e-mail), only the
// built-in block helpers, and each text compiled once per template row and version.
import Handlebars from 'handlebars';
import { TemplateError } from './template-error.ts';
import type { TemplateRow } from './template-row.ts';

const hb = Handlebars.create();

// A business's own template is text from the database: `log` would write it to the service's
// console, and any helper we do not define is a typo to refuse at compile time.
const OPTIONS = { strict: true, knownHelpersOnly: true, knownHelpers: { log: false } } as const;

export type Compiled = (data: object) => string;

const cache = new Map<string, Compiled>();

/**
 * `part` names the text inside the row (body, subject, a push field) for the error and the cache.
 * escape: HTML-escape values (MJML); off for subjects, SMS and push text, where "&amp;" would be
 * shown as is.
 */
export function compileTemplate(t: TemplateRow, part: string, source: string, opts: { escape: boolean }): Compiled {
  const key = `${t.id}@${t.version}/${part}/${opts.escape ? 'html' : 'text'}`;
  const known = cache.get(key);
  if (known) return known;
  let template: Handlebars.TemplateDelegate;
  try {
    // parse first: compile() is lazy and would only report a syntax error at the first send.
    hb.parse(source);
    template = hb.compile(source, { ...OPTIONS, noEscape: !opts.escape });
  } catch (err) {
    throw new TemplateError(t, `${part}: ${handlebarsProblem(err)}`);
  }
  const run: Compiled = (data) => {
    try {
      return template(data);
    } catch (err) {
      throw new TemplateError(t, `${part}: ${handlebarsProblem(err)}`);
    }
  };
  cache.set(key, run);
  return run;
}

/** Checks a text's syntax alone, for files about to be stored: "" when it parses. */
export function handlebarsSyntaxProblem(source: string): string {
  try {
    hb.parse(source);
    hb.precompile(source, OPTIONS);
    return '';
  } catch (err) {
    return handlebarsProblem(err);
  }
}

/** Handlebars' messages span lines and name "[object Object]"; this keeps what a person needs. */
export function handlebarsProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (missing) return `missing variable "${missing[1]}" at line ${missing[2]}, column ${Number(missing[3]) + 1}`;
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(?:.*, )?got '([^']*)'$/s.exec(message);
  if (parse) {
    const [, line, excerpt = '', pointer = '', got] = parse;
    const near = excerpt.slice(Math.max(0, pointer.length - 20), pointer.length + 10);
    return `syntax error on line ${line} near "${near}" (unexpected ${got})`;
  }
  return `Handlebars: ${message}`;
}

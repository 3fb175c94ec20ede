// The one error a template problem becomes, whatever found it (Handlebars, MJML, the renderer's
// own checks): the job that was rendering is failed with this line as its reason, so it names
// the row (code/channel/locale/version) and says what is wrong, in one line.
import { templateName, type TemplateRow } from './template-row.ts';

export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly template: string;

  constructor(
    t: Pick<TemplateRow, 'code' | 'channel' | 'locale' | 'version'>,
    readonly problem: string,
  ) {
    const template = templateName(t);
    super(`template ${template}: ${problem.replace(/\s+/g, ' ').trim()}`);
    this.template = template;
  }
}

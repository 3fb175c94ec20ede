// The refusals of Mexico's fiscal core. Each module names its own codes; every error carries one
// stable code for the screens to translate, the values it is about, and a Spanish sentence a
// Mexican cashier or owner can act on as it stands (es-MX is the language of these documents).
export class FiscalMxError<C extends string = string> extends Error {
  override name = 'FiscalMxError';
  constructor(
    readonly code: C,
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

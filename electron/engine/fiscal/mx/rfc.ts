// The RFC (Registro Federal de Contribuyentes): its shape, its date and its check digit, with one
// error code for each way it can be wrong. The shape, date and digit come from @nodecfdi/rfc (the
// SAT's algorithm as the Mexican CFDI community maintains it); this module adds the codes, the
// Spanish messages, the generic RFCs and the person type the SAT's catalogs are keyed on.
import { Rfc } from '@nodecfdi/rfc';
import { InvalidExpressionToParseError } from '@nodecfdi/rfc/errors';
import { FiscalMxError } from './errors.ts';

/** The receiver of a sale to the general public (the factura global, or a ticket with no RFC). */
export const RFC_GENERIC = 'XAXX010101000';
/** The receptor's Nombre beside RFC_GENERIC in a factura global and the egresos related to one. */
export const PUBLICO_EN_GENERAL = 'PUBLICO EN GENERAL';
/** A foreign receiver with no Mexican RFC. */
export const RFC_FOREIGN = 'XEXX010101000';

/** Who the SAT's catalogs say a régimen or a uso applies to: 13 characters, a person; 12, a company. */
export type PersonType = 'FISICA' | 'MORAL';
export type RfcKind = PersonType | 'GENERIC' | 'FOREIGN';

export type RfcErrorCode = 'RFC_EMPTY' | 'RFC_FORMAT' | 'RFC_DATE' | 'RFC_CHECK_DIGIT';

export class RfcError extends FiscalMxError<RfcErrorCode> {
  override name = 'RfcError';
}

export type ValidRfc = {
  /** Upper case, without surrounding spaces. */
  rfc: string;
  kind: RfcKind;
  /** The generic RFCs have a person's 13 characters and the SAT treats them as such. */
  personType: PersonType;
};

export type RfcOptions = {
  /**
   * 'require' (the default) refuses a check digit that does not match. The SAT has issued a few
   * RFCs whose digit does not follow its own algorithm; 'ignore' lets a person's RFC taken from
   * their Constancia de Situación Fiscal through when the screen has asked them to confirm it.
   */
  checkDigit?: 'require' | 'ignore';
};

/** The RFC, normalised, with its kind; throws RfcError naming the first thing wrong with it. */
export function parseRfc(input: string, options: RfcOptions = {}): ValidRfc {
  const rfc = input.trim().toUpperCase();
  if (rfc === '') throw new RfcError('RFC_EMPTY', 'Escribe el RFC.');
  if (rfc === RFC_GENERIC) return { rfc, kind: 'GENERIC', personType: 'FISICA' };
  if (rfc === RFC_FOREIGN) return { rfc, kind: 'FOREIGN', personType: 'FISICA' };

  let parsed: Rfc;
  try {
    parsed = Rfc.parse(rfc);
  } catch (error) {
    if (error instanceof InvalidExpressionToParseError) {
      throw new RfcError('RFC_DATE', `El RFC ${rfc} lleva una fecha que no existe (${rfc.slice(-9, -3)} como AAMMDD).`, {
        rfc,
        date: rfc.slice(-9, -3),
      });
    }
    throw new RfcError(
      'RFC_FORMAT',
      `${rfc} no tiene la forma de un RFC: 12 caracteres para una persona moral (3 letras, la fecha AAMMDD y 3 de homoclave) o 13 para una persona física (4 letras, la fecha y la homoclave).`,
      { rfc },
    );
  }
  // Rfc.parse rebuilds the value from its parts; it is the input itself once the shape matched.
  if ((options.checkDigit ?? 'require') === 'require' && !parsed.doesCheckSumMatch()) {
    const expected = parsed.calculateChecksum();
    throw new RfcError(
      'RFC_CHECK_DIGIT',
      `El dígito verificador del RFC ${rfc} no corresponde (según el SAT sería ${expected}). Revisa el RFC en la Constancia de Situación Fiscal.`,
      { rfc, expected },
    );
  }
  const personType: PersonType = parsed.isMoral() ? 'MORAL' : 'FISICA';
  return { rfc, kind: personType, personType };
}

/** The problem with an RFC, or null when it is valid: for screens that check as the user types. */
export function rfcProblem(input: string, options: RfcOptions = {}): RfcError | null {
  try {
    parseRfc(input, options);
    return null;
  } catch (error) {
    if (error instanceof RfcError) return error;
    throw error;
  }
}

// Who a CFDI 4.0 may be made out to, by the rules Anexo 20 gives the receptor: a valid RFC; the
// name and postal code as on the Constancia de Situación Fiscal; a régimen fiscal that applies
// to the receiver's person type; and a uso CFDI that applies to that person type and is listed
// for that régimen in the SAT's c_UsoCFDI catalog. The generic RFCs (público en general,
// extranjero) take régimen 616 and uso S01.
import { isVigente, type RegimenFiscal, REGIMENES_FISCALES, regimenFiscal, type UsoCfdi, USOS_CFDI, usoCfdi } from './catalogs.ts';
import { FiscalMxError } from './errors.ts';
import { type PersonType, parseRfc, type RfcErrorCode, type RfcOptions, RfcError, type ValidRfc } from './rfc.ts';

export type ReceiverRuleCode =
  | RfcErrorCode
  | 'RECEIVER_NAME'
  | 'RECEIVER_POSTAL_CODE'
  | 'REGIMEN_UNKNOWN'
  | 'REGIMEN_NOT_IN_FORCE'
  | 'REGIMEN_NOT_FOR_PERSON_TYPE'
  | 'USO_UNKNOWN'
  | 'USO_NOT_IN_FORCE'
  | 'USO_NOT_FOR_PERSON_TYPE'
  | 'USO_NOT_FOR_REGIMEN'
  | 'GENERIC_RFC_REGIMEN'
  | 'GENERIC_RFC_USO';

export class ReceiverError extends FiscalMxError<ReceiverRuleCode> {
  override name = 'ReceiverError';
}

/** The receptor's fiscal data as the customer gives it. */
export type ReceiverInput = {
  rfc: string;
  /** Legal name exactly as on the Constancia de Situación Fiscal (without the régimen de capital for companies). */
  nombre: string;
  regimenFiscal: string;
  /** DomicilioFiscalReceptor: the postal code of the fiscal address. */
  codigoPostal: string;
  usoCfdi: string;
};

export type CheckedReceiver = ReceiverInput & { rfc: string; personType: PersonType; kind: ValidRfc['kind'] };

export type ReceiverOptions = RfcOptions & {
  /** The comprobante's date (YYYY-MM-DD): catalog entries must be in force on it. Default: today in UTC. */
  on?: string;
};

const PUBLICO_EN_GENERAL_REGIMEN = '616';
const PUBLICO_EN_GENERAL_USO = 'S01';
const PERSON = { FISICA: 'persona física', MORAL: 'persona moral' } as const;

const today = () => new Date().toISOString().slice(0, 10);
const label = (entry: { clave: string; descripcion: string }) => `${entry.clave} (${entry.descripcion.replace(/\.$/, '')})`;

/** The régimenes a receiver of this person type may have on `on`. */
export function regimenesFor(personType: PersonType, on: string = today()): RegimenFiscal[] {
  return REGIMENES_FISCALES.filter((r) => (personType === 'FISICA' ? r.fisica : r.moral) && isVigente(r, on));
}

/** The usos CFDI the SAT allows for a receiver of this person type and régimen on `on`. */
export function usosFor(personType: PersonType, regimen: string, on: string = today()): UsoCfdi[] {
  return USOS_CFDI.filter(
    (u) => (personType === 'FISICA' ? u.fisica : u.moral) && u.regimenesReceptor.includes(regimen) && isVigente(u, on),
  );
}

/** Every rule the receiver breaks, in the order a form shows its fields; empty when it may be invoiced. */
export function receiverProblems(receiver: ReceiverInput, options: ReceiverOptions = {}): ReceiverError[] {
  const on = options.on ?? today();
  const problems: ReceiverError[] = [];
  let rfc: ValidRfc | null = null;
  try {
    rfc = parseRfc(receiver.rfc, options);
  } catch (error) {
    if (!(error instanceof RfcError)) throw error;
    problems.push(new ReceiverError(error.code, error.message, error.params));
  }

  const nombre = receiver.nombre.trim();
  if (nombre === '' || nombre.length > 300 || nombre.includes('|')) {
    problems.push(
      new ReceiverError(
        'RECEIVER_NAME',
        nombre === ''
          ? 'Escribe el nombre o razón social tal como aparece en la Constancia de Situación Fiscal.'
          : 'El nombre o razón social admite hasta 300 caracteres y ninguna barra vertical (|).',
        { nombre: receiver.nombre },
      ),
    );
  }
  if (!/^[0-9]{5}$/.test(receiver.codigoPostal)) {
    problems.push(
      new ReceiverError(
        'RECEIVER_POSTAL_CODE',
        `El código postal del domicilio fiscal son 5 dígitos; se recibió «${receiver.codigoPostal}».`,
        {
          codigoPostal: receiver.codigoPostal,
        },
      ),
    );
  }

  const regimen = regimenFiscal(receiver.regimenFiscal);
  const uso = usoCfdi(receiver.usoCfdi);
  if (!regimen) {
    problems.push(
      new ReceiverError('REGIMEN_UNKNOWN', `${receiver.regimenFiscal} no es una clave del catálogo de regímenes fiscales del SAT.`, {
        regimen: receiver.regimenFiscal,
      }),
    );
  } else if (!isVigente(regimen, on)) {
    problems.push(
      new ReceiverError('REGIMEN_NOT_IN_FORCE', `El régimen ${label(regimen)} no está vigente el ${on}.`, { regimen: regimen.clave, on }),
    );
  }
  if (!uso) {
    problems.push(
      new ReceiverError('USO_UNKNOWN', `${receiver.usoCfdi} no es una clave del catálogo de usos del CFDI del SAT.`, {
        uso: receiver.usoCfdi,
      }),
    );
  } else if (!isVigente(uso, on)) {
    problems.push(new ReceiverError('USO_NOT_IN_FORCE', `El uso CFDI ${label(uso)} no está vigente el ${on}.`, { uso: uso.clave, on }));
  }
  if (!rfc) return problems;

  if (rfc.kind === 'GENERIC' || rfc.kind === 'FOREIGN') {
    // Anexo 20: with XAXX010101000 or XEXX010101000 the receptor is 616 and S01.
    if (receiver.regimenFiscal !== PUBLICO_EN_GENERAL_REGIMEN) {
      problems.push(
        new ReceiverError(
          'GENERIC_RFC_REGIMEN',
          `Con el RFC genérico ${rfc.rfc} el régimen fiscal del receptor es 616 (Sin obligaciones fiscales), no ${receiver.regimenFiscal}.`,
          { rfc: rfc.rfc, regimen: receiver.regimenFiscal, expected: PUBLICO_EN_GENERAL_REGIMEN },
        ),
      );
    }
    if (receiver.usoCfdi !== PUBLICO_EN_GENERAL_USO) {
      problems.push(
        new ReceiverError(
          'GENERIC_RFC_USO',
          `Con el RFC genérico ${rfc.rfc} el uso CFDI es S01 (Sin efectos fiscales), no ${receiver.usoCfdi}.`,
          { rfc: rfc.rfc, uso: receiver.usoCfdi, expected: PUBLICO_EN_GENERAL_USO },
        ),
      );
    }
    return problems;
  }

  const person = PERSON[rfc.personType];
  if (regimen && !(rfc.personType === 'FISICA' ? regimen.fisica : regimen.moral)) {
    problems.push(
      new ReceiverError('REGIMEN_NOT_FOR_PERSON_TYPE', `El régimen ${label(regimen)} no aplica a una ${person} (RFC ${rfc.rfc}).`, {
        rfc: rfc.rfc,
        personType: rfc.personType,
        regimen: regimen.clave,
        allowed: regimenesFor(rfc.personType, on).map((r) => r.clave),
      }),
    );
  }
  if (uso && !(rfc.personType === 'FISICA' ? uso.fisica : uso.moral)) {
    problems.push(
      new ReceiverError('USO_NOT_FOR_PERSON_TYPE', `El uso CFDI ${label(uso)} no aplica a una ${person} (RFC ${rfc.rfc}).`, {
        rfc: rfc.rfc,
        personType: rfc.personType,
        uso: uso.clave,
      }),
    );
  }
  if (uso && regimen && !uso.regimenesReceptor.includes(regimen.clave)) {
    const allowed = usosFor(rfc.personType, regimen.clave, on).map((u) => u.clave);
    problems.push(
      new ReceiverError(
        'USO_NOT_FOR_REGIMEN',
        `El uso CFDI ${label(uso)} no corresponde al régimen ${label(regimen)}. Con ese régimen se permiten: ${allowed.join(', ')}.`,
        { uso: uso.clave, regimen: regimen.clave, allowed },
      ),
    );
  }
  return problems;
}

/** The receiver, normalised (RFC upper case, name trimmed), or the first rule it breaks as a ReceiverError. */
export function checkReceiver(receiver: ReceiverInput, options: ReceiverOptions = {}): CheckedReceiver {
  const problems = receiverProblems(receiver, options);
  if (problems.length > 0) throw problems[0]!;
  const rfc = parseRfc(receiver.rfc, options);
  return { ...receiver, rfc: rfc.rfc, nombre: receiver.nombre.trim(), personType: rfc.personType, kind: rfc.kind };
}

// Which tax codes a product may carry in each launch country, and the rate each stands for. The
// rate is derived from the code, never typed, so a product can never say IVA16 at 15 %.
export const SOLD_BY = ['UNIT', 'WEIGHT'] as const;
/** IVA16/IVA8/IVA0 are taxed at that rate; EXENTO carries no tax and is reported apart. */
export const TAX_CODES = ['IVA16', 'IVA8', 'IVA0', 'EXENTO', 'IVA19', 'IVA5', 'IVA21', 'IVA10_5'] as const;

export type TaxCode = (typeof TAX_CODES)[number];

const RATES: Record<TaxCode, string> = {
  IVA16: '0.160000',
  IVA8: '0.080000',
  IVA0: '0.000000',
  EXENTO: '0.000000',
  IVA19: '0.190000',
  IVA5: '0.050000',
  IVA21: '0.210000',
  IVA10_5: '0.105000',
};

// IVA8 is Mexico's northern border rate; Colombia's reduced rate is 5 %, Argentina's 10.5 %.
const BY_COUNTRY: Record<string, readonly TaxCode[]> = {
  MX: ['IVA16', 'IVA8', 'IVA0', 'EXENTO'],
  CO: ['IVA19', 'IVA5', 'IVA0', 'EXENTO'],
  AR: ['IVA21', 'IVA10_5', 'IVA0', 'EXENTO'],
};

/** Every code this build knows, in a stable order. */
export const ALL_TAX_CODES = Object.keys(RATES) as TaxCode[];

export const taxRateOf = (code: TaxCode): string => RATES[code];

/** The codes a business in `country` may use; every code where the country is not one we know. */
export const taxCodesFor = (country: string): readonly TaxCode[] => BY_COUNTRY[country] ?? ALL_TAX_CODES;

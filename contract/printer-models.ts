// The receipt printer models and code pages a register can be set to, as plain data: the devices
// screen offers them and the settings accept only them. The models are those ReceiptPrinterEncoder
// knows, with the code pages each has; tests/unit/printer-models.test.ts holds this list to the
// encoder's, so the screen never offers what the encoder cannot encode for. No imports: the
// screens load it without the encoder.

/** The code pages that hold every Spanish letter and the peso sign, as the encoder names them. */
export const CODEPAGES = ['auto', 'cp850', 'cp858', 'windows1252', 'iso8859-15'] as const;
export type Codepage = (typeof CODEPAGES)[number];
type FixedCodepage = Exclude<Codepage, 'auto'>;

/**
 * A printer model: the encoder's id, the name the manager knows it by, and which of CODEPAGES
 * it has besides 'auto' (the encoder refuses to pin a code page the model lacks: every receipt
 * would fail to encode).
 */
export type PrinterModel = { id: string; name: string; codepages: readonly FixedCodepage[] };

const ALL: readonly FixedCodepage[] = ['cp850', 'cp858', 'windows1252', 'iso8859-15'];
const NO_ISO: readonly FixedCodepage[] = ['cp850', 'cp858', 'windows1252'];

export const PRINTER_MODELS: readonly PrinterModel[] = [
  { id: 'bixolon-srp350', name: 'Bixolon SRP-350', codepages: ['cp850', 'cp858'] },
  { id: 'bixolon-srp350iii', name: 'Bixolon SRP-350III', codepages: NO_ISO },
  { id: 'citizen-ct-s310ii', name: 'Citizen CT-S310II', codepages: ['cp858', 'windows1252'] },
  { id: 'epson-tm-m30ii', name: 'Epson TM-m30II', codepages: ALL },
  { id: 'epson-tm-m30iii', name: 'Epson TM-m30III', codepages: ALL },
  { id: 'epson-tm-p20ii', name: 'Epson TM-P20II', codepages: ALL },
  { id: 'epson-tm-t20ii', name: 'Epson TM-T20II', codepages: ALL },
  { id: 'epson-tm-t20iii', name: 'Epson TM-T20III', codepages: ALL },
  { id: 'epson-tm-t20iv', name: 'Epson TM-T20IV', codepages: ALL },
  { id: 'epson-tm-t70', name: 'Epson TM-T70', codepages: NO_ISO },
  { id: 'epson-tm-t70ii', name: 'Epson TM-T70II', codepages: ALL },
  { id: 'epson-tm-t88ii', name: 'Epson TM-T88II', codepages: NO_ISO },
  { id: 'epson-tm-t88iii', name: 'Epson TM-T88III', codepages: NO_ISO },
  { id: 'epson-tm-t88iv', name: 'Epson TM-T88IV', codepages: NO_ISO },
  { id: 'epson-tm-t88v', name: 'Epson TM-T88V', codepages: ALL },
  { id: 'epson-tm-t88vi', name: 'Epson TM-T88VI', codepages: ALL },
  { id: 'epson-tm-t88vii', name: 'Epson TM-T88VII', codepages: ALL },
  { id: 'fujitsu-fp1000', name: 'Fujitsu FP-1000', codepages: NO_ISO },
  { id: 'hp-a779', name: 'HP A779', codepages: NO_ISO },
  { id: 'meow', name: 'Meow Cat printer', codepages: ALL },
  { id: 'metapace-t1', name: 'Metapace T-1', codepages: ['cp850', 'cp858'] },
  { id: 'mpt-ii', name: 'MPT-II', codepages: ['cp850'] },
  { id: 'pos-5890', name: 'POS-5890', codepages: NO_ISO },
  { id: 'pos-8360', name: 'POS-8360', codepages: NO_ISO },
  { id: 'star-mc-print2', name: 'Star mC-Print2', codepages: NO_ISO },
  { id: 'star-mpop', name: 'Star mPOP', codepages: NO_ISO },
  { id: 'star-sm-l200', name: 'Star SM-L200', codepages: NO_ISO },
  { id: 'star-tsp100iii', name: 'Star TSP100III', codepages: NO_ISO },
  { id: 'star-tsp100iv', name: 'Star TSP100IV', codepages: NO_ISO },
  { id: 'star-tsp650', name: 'Star TSP650', codepages: NO_ISO },
  { id: 'star-tsp650ii', name: 'Star TSP650II', codepages: NO_ISO },
  { id: 'sunmi-p2se', name: 'SUNMI P2SE', codepages: NO_ISO },
  { id: 'sunmi-p3h', name: 'SUNMI P3H', codepages: NO_ISO },
  { id: 'sunmi-p3kh', name: 'SUNMI P3KH', codepages: NO_ISO },
  { id: 'sunmi-p3mix', name: 'SUNMI P3 MIX', codepages: NO_ISO },
  { id: 'sunmi', name: 'SUNMI Generic', codepages: NO_ISO },
  { id: 'xprinter-xp-n160ii', name: 'Xprinter XP-N160II', codepages: NO_ISO },
  { id: 'xprinter-xp-t80q', name: 'Xprinter XP-T80Q', codepages: NO_ISO },
  { id: 'youku-58t', name: 'Youku 58T', codepages: ALL },
];

/** The model a printer is encoded for when its settings name none. */
export const DEFAULT_PRINTER_MODEL = 'epson-tm-t20iii';

export const isKnownModel = (id: string) => PRINTER_MODELS.some((m) => m.id === id);

/** Whether a model (the default when unset) can be pinned to a code page; 'auto' always fits. */
export function codepageFits(model: string | undefined, codepage: Codepage | undefined): boolean {
  if (codepage === undefined || codepage === 'auto') return true;
  const known = PRINTER_MODELS.find((m) => m.id === (model ?? DEFAULT_PRINTER_MODEL));
  return known?.codepages.includes(codepage) ?? false;
}

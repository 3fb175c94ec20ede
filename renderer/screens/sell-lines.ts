// The cart's lines as the cashier works on them: which line a scan touched (so the keyboard's
// line actions apply to it), and what a typed quantity, weight or price may look like. Pure.
import { Decimal } from 'decimal.js';

type Line = { id: string; quantity: string; unitPrice: string };

/**
 * The line a change touched: a new line, or the one whose quantity or price moved (the same
 * item scanned again adds one to its line). Null when no line was added or changed.
 */
export function changedLine(before: readonly Line[], after: readonly Line[]): string | null {
  const old = new Map(before.map((l) => [l.id, l]));
  for (let i = after.length - 1; i >= 0; i--) {
    const line = after[i]!;
    const was = old.get(line.id);
    if (!was || !new Decimal(was.quantity).equals(line.quantity) || !new Decimal(was.unitPrice).equals(line.unitPrice)) return line.id;
  }
  return null;
}

/** The line to select after `lineId` left the cart: the one after it, else the one before. */
export function neighbourOf(lines: readonly { id: string }[], lineId: string): string | null {
  const i = lines.findIndex((l) => l.id === lineId);
  if (i < 0) return lines.at(-1)?.id ?? null;
  return lines[i + 1]?.id ?? lines[i - 1]?.id ?? null;
}

/** One line up or down from the selected one, staying on the first and the last. */
export function stepSelection(lines: readonly { id: string }[], selected: string | null, step: 1 | -1): string | null {
  if (lines.length === 0) return null;
  const i = lines.findIndex((l) => l.id === selected);
  if (i < 0) return lines.at(step === 1 ? 0 : -1)!.id;
  return lines[Math.min(lines.length - 1, Math.max(0, i + step))]!.id;
}

export type QuantityProblem = 'FORMAT' | 'ZERO' | 'WHOLE' | 'TOO_LARGE';

/** Pieces are whole, up to 9,999; a weight takes up to three decimals, up to 999 kg (as the engine). */
export function quantityProblem(text: string, weighed: boolean): QuantityProblem | null {
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(text)) return 'FORMAT';
  const q = new Decimal(text);
  if (q.isZero()) return 'ZERO';
  if (!weighed && !q.isInteger()) return 'WHOLE';
  if (q.greaterThan(weighed ? 999 : 9999)) return 'TOO_LARGE';
  return null;
}

/** A quantity as a person reads it: "3", "1.234" (a weight keeps its grams). */
export function quantityText(quantity: string, weighed: boolean): string {
  const q = new Decimal(quantity);
  return weighed ? q.toFixed(3) : q.toFixed(0);
}

/**
 * Tiles on a page of the category grid: as many as fit beside the totals without scrolling, in
 * tiles of about 160×100 px (4×4 at 1024×768, 9×7 held to 60 at 1920×1080), between 8 and the engine's 60.
 */
/** The cart's width while the grid or the search is open beside it (styles.css, .side-open). */
export const CART_BESIDE_PX = 340;

export function gridPageSize(width: number, height: number): number {
  // Beside the totals and the cart (CART_BESIDE_PX), each tile 160 px with its gap.
  const columns = Math.max(2, Math.floor((width - (width >= 1400 ? 380 : 300) - CART_BESIDE_PX - 48) / 160));
  const rows = Math.max(2, Math.floor((height - 250) / 108));
  return Math.min(60, Math.max(8, columns * rows));
}

/** One more or one less piece, never below one. */
export function stepQuantity(quantity: string, step: 1 | -1): string | null {
  const next = new Decimal(quantity).plus(step);
  return next.lessThan(1) ? null : next.toFixed(0);
}

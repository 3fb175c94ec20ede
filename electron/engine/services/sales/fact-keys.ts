// The journal keys of the selling domain's facts: one fact per sale completed, return recorded and
// sale voided. Kept apart, with no imports, so recovery can name a fact without loading the code
// that makes it.
export const saleFactKey = (saleId: string) => `sale:${saleId}`;
export const returnFactKey = (returnId: string) => `return:${returnId}`;
export const voidFactKey = (saleId: string) => `void:${saleId}`;

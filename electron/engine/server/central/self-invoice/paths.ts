// Where a customer invoices a sale themselves, on central's HTTP side. The receipt's QR and its
// printed short address lead to SELF_INVOICE_PATH with the receipt's code (and, to tell two
// branches' registers of the same code apart, the branch); the page's own calls live under it.
// The contract (contract/self-invoicing.ts) writes the QR's link; this side reads it.
//   GET  /factura?r=RCAJA-1-000042&b=BRANCH    the page, the code filled in (b: the branch's id
//                                                in 22 characters; none on older receipts)
//   GET  /factura                                the page, empty
//   GET  /factura.js                             its script
//   POST /factura/consulta                       { receiptCode, total, branch? }: can it be invoiced
//   POST /factura/solicitud                      the same and the fiscal data: writes the invoice
//   GET  /factura/estado?t=TOKEN                 how the invoice went (polled by the page)
//   GET  /factura/pdf?t=TOKEN, /factura/xml?t=TOKEN   the stamped CFDI, to download

import { SELF_INVOICE_PATH } from '#contract/self-invoicing.ts';

/** The page's path: what the receipt's QR and short address point at (the receipt builds them from the contract's). */
export { SELF_INVOICE_PATH };

export const SELF_INVOICE_ROUTES = {
  page: SELF_INVOICE_PATH,
  script: `${SELF_INVOICE_PATH}.js`,
  lookup: `${SELF_INVOICE_PATH}/consulta`,
  request: `${SELF_INVOICE_PATH}/solicitud`,
  status: `${SELF_INVOICE_PATH}/estado`,
  pdf: `${SELF_INVOICE_PATH}/pdf`,
  xml: `${SELF_INVOICE_PATH}/xml`,
} as const;

/** The addresses whose query carries a customer's token: never written to the request log. */
export const carriesSelfInvoiceToken = (url: string) => {
  const path = url.split('?')[0];
  return path === SELF_INVOICE_ROUTES.status || path === SELF_INVOICE_ROUTES.pdf || path === SELF_INVOICE_ROUTES.xml;
};

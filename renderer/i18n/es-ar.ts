// Argentina's words where they are not Mexico's: the change is "vuelto", a receipt a
// "comprobante", the card terminal a "posnet", the shift's report a "cierre de caja", an amount
// a "monto". Usted, as at any counter. Only what differs: everything else is `es`. Each key
// must exist in `es` (tests/unit/locale-overlays.test.ts).
import type { MessageKey } from './messages.ts';

export const esAR: Partial<Record<MessageKey, string>> = {
  'pay.change': 'Vuelto',
  'receipt.change': 'Vuelto: {amount}',
  'pay.problem.TOO_LARGE': 'Solo faltan {amount}: una tarjeta o una transferencia no da vuelto.',
  'receipt.gift': 'Comprobante de regalo',
  'bo.perm.sales.reprint': 'Reimprimir comprobantes',
  'devices.printer': 'Impresora de comprobantes',
  'returns.code': 'Comprobante a devolver (escanee o escriba)',
  'returns.find': 'Buscar comprobante',
  'returns.hint': 'Escanee el código de barras del comprobante o escriba su número (12, o RCAJA-1-000012).',
  'error.NOT_FOUND.receipt': 'No hay ninguna venta con el comprobante {code}.',
  'error.INVALID_INPUT.NOT_A_RECEIPT': 'Escanee el código del comprobante o escriba su número.',
  'pay.card': 'Tarjeta (posnet)',
  'pay.card.amount': 'Monto con tarjeta',
  'pay.transfer.amount': 'Monto de la transferencia',
  'pay.problem.ZERO': 'El monto debe ser mayor que cero.',
  'cash.amount': 'Monto',
  'discount.amount': 'Monto',
  'cash.x': 'Imprimir cierre de caja parcial (X)',
  'close.done': 'Cierre de caja Z {number}',
  'bo.perm.reports.shift': 'Imprimir cierres de caja parciales (X)',
  'history.find': 'Buscar comprobante',
  'history.code': 'Número o código de barras del comprobante',
  'history.notFound': 'No hay ninguna venta de este turno con el comprobante {code}.',
  'history.receipt': 'Comprobante',
  'receipt.noPrinter': 'No hay impresora configurada en esta caja: el comprobante se muestra aquí en pantalla.',
  'receipt.sentGift': 'Comprobante de regalo enviado a la impresora.',
  'status.printer.pending': '{count} comprobantes en espera',
  'status.printer.pendingOne': '1 comprobante en espera',
  'status.printer.uncertain': '¿Salió el comprobante?',
  'status.printer.uncertainMany': '¿Salieron los {count} comprobantes?',
  'printCheck.title': 'Comprobantes sin confirmar',
  'printCheck.sale': 'Comprobante {code}',
  'printCheck.kind.SALE': 'Comprobante de venta',
  'printCheck.kind.GIFT': 'Comprobante de regalo',
  'printCheck.kind.X_REPORT': 'Cierre de caja parcial (X)',
  'printCheck.kind.Z_REPORT': 'Cierre de caja Z',
  'pay.email': 'Correo del cliente (comprobante por correo)',
  'pay.email.problem':
    'Eso no es una dirección de correo completa (como cliente@ejemplo.com). Corríjala, o bórrela para cobrar sin enviar el comprobante.',
  'bo.outgoing.template.sale.receipt': 'Comprobante de venta',
  'bo.outgoing.template.shift.variance': 'Diferencia en cierre de caja',
  'bo.outgoing.phoneLink': 'Avisos en mi celular',
  'bo.outgoing.phoneLinkSent':
    'Le enviamos un enlace a su correo: ábralo en su celular y toque «Activar avisos». Vale 24 horas; si no le llega, pida que registren su correo.',
  'bo.outgoing.phoneLinkAlready': 'El enlace ya va en camino a su correo: revíselo en su celular.',
  'bo.outgoing.template.push.phone_link': 'Enlace para avisos en el celular',
};

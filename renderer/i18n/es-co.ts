// Colombia's words where they are not Mexico's: the change is "vueltas", a receipt a "tiquete",
// the card terminal a "datáfono", the shift's report a "cierre de caja", an amount a "valor".
// Only what differs: everything else is `es`. Each key must exist in `es` (tests/unit/locale-overlays.test.ts).
import type { MessageKey } from './messages.ts';

export const esCO: Partial<Record<MessageKey, string>> = {
  'pay.change': 'Vueltas',
  'receipt.change': 'Vueltas: {amount}',
  'pay.problem.TOO_LARGE': 'Solo faltan {amount}: una tarjeta o una transferencia no da vueltas.',
  'receipt.gift': 'Tiquete de regalo',
  'bo.perm.sales.reprint': 'Reimprimir tiquetes',
  'devices.printer': 'Impresora de tiquetes',
  'returns.code': 'Tiquete a devolver (escanee o escriba)',
  'returns.find': 'Buscar tiquete',
  'returns.hint': 'Escanee el código de barras del tiquete o escriba su número (12, o RCAJA-1-000012).',
  'error.NOT_FOUND.receipt': 'No hay ninguna venta con el tiquete {code}.',
  'error.INVALID_INPUT.NOT_A_RECEIPT': 'Escanee el código del tiquete o escriba su número.',
  'pay.card': 'Tarjeta (datáfono)',
  'pay.card.amount': 'Valor con tarjeta',
  'pay.transfer.amount': 'Valor de la transferencia',
  'pay.problem.ZERO': 'El valor debe ser mayor que cero.',
  'cash.amount': 'Valor',
  'discount.amount': 'Valor',
  'cash.x': 'Imprimir cierre de caja parcial (X)',
  'close.done': 'Cierre de caja Z {number}',
  'bo.perm.reports.shift': 'Imprimir cierres de caja parciales (X)',
  'history.find': 'Buscar tiquete',
  'history.code': 'Número o código de barras del tiquete',
  'history.notFound': 'No hay ninguna venta de este turno con el tiquete {code}.',
  'history.receipt': 'Tiquete',
  'receipt.noPrinter': 'No hay impresora configurada en esta caja: el tiquete se muestra aquí en pantalla.',
  'receipt.sentGift': 'Tiquete de regalo enviado a la impresora.',
};

// The CFDI 4.0 Comprobante as data: one property per node and attribute of the SAT's cfdv40.xsd,
// named exactly as the SAT names them, so Anexo 20 reads straight onto this model. Every value is
// the attribute's text as it goes into the XML (amounts already formatted as decimal strings);
// an absent optional property is an absent attribute. Only what this shop's documents use is
// modelled: no complements other than the TimbreFiscalDigital a PAC adds, no ACuentaTerceros,
// InformacionAduanera, CuentaPredial or Parte.

export const CFDI_NAMESPACE = 'http://www.sat.gob.mx/cfd/4';
export const CFDI_SCHEMA_LOCATION = 'http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd';
export const TFD_NAMESPACE = 'http://www.sat.gob.mx/TimbreFiscalDigital';
export const TFD_SCHEMA_LOCATION =
  'http://www.sat.gob.mx/TimbreFiscalDigital http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** c_Impuesto: 001 ISR, 002 IVA, 003 IEPS. */
export type Impuesto = '001' | '002' | '003';
/** c_TipoFactor. Exento carries neither TasaOCuota nor Importe. */
export type TipoFactor = 'Tasa' | 'Cuota' | 'Exento';
/** c_TipoDeComprobante: Ingreso, Egreso, Traslado, Nómina, Pago. */
export type TipoDeComprobante = 'I' | 'E' | 'T' | 'N' | 'P';

export type Traslado = {
  Base: string;
  Impuesto: Impuesto;
  TipoFactor: TipoFactor;
  TasaOCuota?: string;
  Importe?: string;
};

export type Retencion = { Base: string; Impuesto: Impuesto; TipoFactor: TipoFactor; TasaOCuota: string; Importe: string };

export type Concepto = {
  ClaveProdServ: string;
  NoIdentificacion?: string;
  Cantidad: string;
  ClaveUnidad: string;
  Unidad?: string;
  Descripcion: string;
  ValorUnitario: string;
  Importe: string;
  Descuento?: string;
  /** c_ObjetoImp: 01 not subject to tax (no Impuestos node), 02 subject and itemised. */
  ObjetoImp: string;
  Impuestos?: { Traslados: Traslado[]; Retenciones: Retencion[] };
};

export type Comprobante = {
  Version: '4.0';
  Serie?: string;
  Folio?: string;
  /** Local time of the place of issue, AAAA-MM-DDThh:mm:ss, no offset. */
  Fecha: string;
  /** Empty until sealed. */
  Sello: string;
  FormaPago?: string;
  /** The CSD's serial as the SAT writes it (20 digits); empty until sealed. */
  NoCertificado: string;
  /** The CSD, base64 DER; empty until sealed. */
  Certificado: string;
  CondicionesDePago?: string;
  SubTotal: string;
  Descuento?: string;
  Moneda: string;
  TipoCambio?: string;
  Total: string;
  TipoDeComprobante: TipoDeComprobante;
  Exportacion: string;
  MetodoPago?: string;
  LugarExpedicion: string;
  Confirmacion?: string;
  InformacionGlobal?: { Periodicidad: string; Meses: string; Año: string };
  CfdiRelacionados: { TipoRelacion: string; UUIDs: string[] }[];
  Emisor: { Rfc: string; Nombre: string; RegimenFiscal: string; FacAtrAdquirente?: string };
  Receptor: {
    Rfc: string;
    Nombre: string;
    DomicilioFiscalReceptor: string;
    ResidenciaFiscal?: string;
    NumRegIdTrib?: string;
    RegimenFiscalReceptor: string;
    UsoCFDI: string;
  };
  Conceptos: Concepto[];
  Impuestos?: {
    TotalImpuestosRetenidos?: string;
    TotalImpuestosTrasladados?: string;
    Retenciones: { Impuesto: Impuesto; Importe: string }[];
    Traslados: Traslado[];
  };
  /** The PAC's stamp, once there is one. */
  TimbreFiscalDigital?: TimbreFiscalDigital;
};

export type TimbreFiscalDigital = {
  Version: '1.1';
  UUID: string;
  FechaTimbrado: string;
  RfcProvCertif: string;
  Leyenda?: string;
  SelloCFD: string;
  NoCertificadoSAT: string;
  SelloSAT: string;
};

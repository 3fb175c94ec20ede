// A big catalog for benches: the demo store, set up exactly as `npm start` does, plus generated
// Spanish grocery products until the catalog holds the number asked for. Built once per size
// into a cached TEMPLATE data directory; every bench run works on a copy of it.
//
// The bench products are inserted straight into PGlite in 20,000-row statements (not through
// stock movements: this is bench data, not a store's history). They are deterministic: one
// seeded PRNG stream, so two builds hold the same names, barcodes, PLUs, prices and ids, and
// the first N products of a bigger catalog are those of a smaller one.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_DIR } from '#db/migrator.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { DEMO_DIR, readDemoStore } from '#engine/demo/demo-store.ts';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { openEngine } from '#engine/engine.ts';
import { makeEan13 } from '#contract/gtin.ts';
import { seededRandom } from '../support/seeded-random.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const SEEDED_RANDOM_FILE = fileURLToPath(new URL('../support/seeded-random.ts', import.meta.url));
export const BENCH_DATA_DIR = fileURLToPath(new URL('../../.pos-data/bench/', import.meta.url));
const ROWS_PER_STATEMENT = 20_000;
const SEED = 0x5eed_2026;
/** Bench SKUs are BN-0000001…: the demo's are three letters and six digits, so they never meet. */
export const benchSku = (n: number) => `BN-${String(n).padStart(7, '0')}`;
/** Bench PLUs start here; the demo's weighed goods use 00101–00718. */
const FIRST_PLU = 10_000;
/** GS1 Mexico company prefixes 7500000–7501999, one per bench brand; the demo uses 7502019 and up. */
const FIRST_COMPANY_PREFIX = 7_500_000;
const MAX_BRANDS = 2_000;
/** Share of bench products sold by weight (each gets a PLU for scale barcodes 20–29). */
const WEIGHED_SHARE = 0.03;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness.

/** The shared seeded generator, plus the draws only the bench catalog needs. */
function prng(seed: number) {
  const rng = seededRandom(seed);
  return {
    ...rng,
    /** Skewed towards the front: a few brands and sizes sell most, as on real shelves. */
    skewed: <T>(items: readonly T[]): T => items[Math.floor(items.length * rng.next() ** 2)]!,
    hex: (digits: number) => {
      let s = '';
      while (s.length < digits) {
        const x = Math.floor(rng.next() * 0x1_0000_0000);
        s += HEX4[x >>> 16]! + HEX4[x & 0xffff]!;
      }
      return s.length === digits ? s : s.slice(0, digits);
    },
  };
}
type Rng = ReturnType<typeof prng>;
const HEX4 = Array.from({ length: 0x1_0000 }, (_, i) => i.toString(16).padStart(4, '0'));

/** A UUIDv7 with a fixed timestamp and seeded random bits: ordered like the app's, but repeatable. */
function uuid7(ms: number, rng: Rng): string {
  const time = ms.toString(16).padStart(12, '0');
  const variant = (8 + rng.int(4)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(12)}`;
}
const ID_EPOCH = Date.UTC(2026, 0, 5, 12, 0, 0);

// ---------------------------------------------------------------------------------------------
// The vocabulary: fictional brands, real product types, the sizes they come in.

type Tax = 'IVA16' | 'IVA0' | 'EXENTO';
const TAX_RATE: Record<Tax, string> = { IVA16: '0.160000', IVA0: '0.000000', EXENTO: '0.000000' };

/** [product, sizes, price of the first size in MXN, kinds (flavours, types), tax if not the category's]. */
type Base = readonly [name: string, sizes: readonly string[], price: number, kinds?: readonly string[], tax?: Tax];

type Category = {
  /** As in resources/demo/catalog.csv: the bench products join the demo's categories. */
  name: string;
  /** Share of the bench's unit-sold products. */
  share: number;
  tax: Tax;
  fiscalProductCode: string;
  /** Brand names are head + place: "Molino de Atlixco", "Cremería Los Altos". */
  heads: readonly string[];
  bases: readonly Base[];
};

const PLACES = [
  'de Atlixco',
  'del Bajío',
  'de Jalisco',
  'de Zacatecas',
  'de Tlaxcala',
  'de los Altos',
  'del Valle',
  'de Sonora',
  'de Colima',
  'de Oaxaca',
  'del Sureste',
  'de la Sierra',
  'de Michoacán',
  'de Chiapas',
  'de Veracruz',
  'de Yucatán',
  'San Isidro',
  'Santa Rosa',
  'San Miguel',
  'La Cañada',
  'El Mirador',
  'Los Encinos',
  'del Golfo',
  'de Querétaro',
] as const;

const FLAVOURS = ['fresa', 'vainilla', 'chocolate', 'mango', 'durazno', 'nuez', 'coco', 'guayaba'] as const;
const SODA = ['cola', 'naranja', 'limón', 'toronja', 'manzana', 'uva', 'tamarindo', 'mandarina', 'jamaica'] as const;
const SCENTS = ['lavanda', 'pino', 'mar fresco', 'limón', 'floral', 'manzana', 'canela'] as const;
/** A brand's product line, after its name: "Frijol negro Molino de Colima Selecto 900 g". */
const LINES = [
  '',
  '',
  '',
  '',
  '',
  '',
  'Selecto',
  'Tradicional',
  'Premium',
  'Económico',
  'Clásico',
  'Extra',
  'Original',
  'Plus',
  'Familiar',
] as const;
/** Multipacks, after the size: "Atún en agua Bahía de Sonora 140 g paquete con 4". */
const PACKS = [2, 3, 4, 6] as const;

const CATEGORIES: readonly Category[] = [
  {
    name: 'Abarrotes',
    share: 17,
    tax: 'IVA0',
    fiscalProductCode: '50221000',
    heads: ['Molino', 'Granero', 'Hacienda', 'Despensa', 'Cosecha'],
    bases: [
      ['Arroz', ['500 g', '900 g', '1 kg', '2 kg'], 18, ['súper extra', 'integral', 'pulido', 'jazmín', 'morelos']],
      ['Frijol', ['500 g', '900 g', '1 kg'], 22, ['negro', 'bayo', 'peruano', 'pinto', 'flor de mayo', 'mayocoba']],
      ['Lenteja', ['500 g', '1 kg'], 20],
      ['Garbanzo', ['500 g', '1 kg'], 24],
      ['Azúcar', ['1 kg', '2 kg'], 30, ['estándar', 'refinada', 'mascabado']],
      ['Harina de trigo', ['1 kg'], 22, ['', 'integral', 'para hot cakes']],
      ['Harina de maíz nixtamalizado', ['1 kg'], 20],
      ['Aceite', ['500 ml', '900 ml', '1 L'], 28, ['vegetal comestible', 'de canola', 'de girasol', 'de cártamo', 'de soya']],
      ['Aceite de oliva', ['250 ml', '500 ml'], 105, ['extra virgen', 'puro']],
      ['Pasta para sopa', ['200 g'], 9, ['fideo', 'codito', 'estrella', 'letras', 'spaghetti', 'municiones', 'moño']],
      ['Sal', ['1 kg'], 12, ['de mesa', 'yodada', 'de mar']],
      ['Café soluble', ['50 g', '100 g', '200 g'], 45, ['clásico', 'descafeinado', 'con canela']],
      ['Café molido', ['250 g', '500 g'], 70, ['americano', 'de olla', 'tostado oscuro', 'de Chiapas']],
      ['Avena', ['400 g', '800 g'], 25, ['en hojuelas', 'instantánea']],
      ['Cereal', ['300 g', '500 g'], 45, ['de maíz azucarado', 'de trigo con miel', 'de arroz con chocolate', 'de avena con fresa']],
      ['Mayonesa', ['190 g', '390 g', '800 g'], 30, ['con jugo de limón', 'light', 'con chipotle']],
      ['Mostaza', ['210 g'], 22],
      ['Salsa catsup', ['320 g', '1 kg'], 25],
      ['Consomé de pollo en polvo', ['100 g', '225 g'], 18],
      ['Gelatina en polvo sabor', ['120 g'], 14, ['fresa', 'limón', 'uva', 'piña', 'frambuesa', 'cereza']],
      ['Huevo blanco', ['12 pzas', '18 pzas', '30 pzas'], 45],
      ['Puré de tomate', ['210 g', '1 kg'], 10],
      ['Miel de abeja', ['300 g', '500 g'], 70],
      ['Chocolate de mesa', ['90 g', '540 g'], 22, ['', 'con canela']],
      ['Sopa instantánea sabor', ['64 g'], 12, ['pollo', 'camarón', 'res', 'chile y limón']],
      ['Vinagre', ['500 ml', '1 L'], 14, ['blanco', 'de manzana']],
      ['Piloncillo', ['250 g', '500 g'], 18],
    ],
  },
  {
    name: 'Bebidas',
    share: 10,
    tax: 'IVA16',
    fiscalProductCode: '50202300',
    heads: ['Manantial', 'Cumbre', 'Bebidas', 'Fuente', 'Cascada'],
    bases: [
      ['Refresco sabor', ['355 ml', '600 ml', '2 L', '3 L'], 12, SODA],
      ['Agua natural', ['600 ml', '1 L', '1.5 L', '5 L'], 9],
      ['Agua mineral', ['355 ml', '600 ml', '2 L'], 14, ['', 'sabor limón', 'sabor toronja']],
      ['Jugo de', ['250 ml', '1 L'], 11, ['naranja', 'manzana', 'uva', 'mango', 'durazno', 'guayaba', 'piña'], 'IVA0'],
      ['Néctar de', ['330 ml', '1 L'], 13, ['mango', 'durazno', 'pera', 'guanábana'], 'IVA0'],
      ['Bebida isotónica sabor', ['600 ml', '1 L'], 20, ['lima-limón', 'naranja', 'uva', 'moras']],
      ['Bebida energética', ['473 ml'], 30, ['original', 'sin azúcar']],
      ['Té helado sabor', ['600 ml', '1.5 L'], 18, ['limón', 'durazno', 'frutos rojos']],
      ['Cerveza', ['lata 355 ml', 'botella 355 ml', '6 pzas 355 ml', '1.2 L'], 20, ['clara', 'oscura', 'ámbar', 'light']],
      ['Tequila', ['750 ml', '1 L'], 250, ['blanco', 'reposado', 'añejo']],
      ['Mezcal', ['750 ml'], 400, ['espadín', 'joven']],
      ['Vino tinto', ['750 ml'], 180, ['cabernet sauvignon', 'merlot', 'tempranillo']],
      ['Café frío listo para beber sabor', ['281 ml'], 29, ['vainilla', 'moka', 'capuchino']],
    ],
  },
  {
    name: 'Lácteos',
    share: 7,
    tax: 'IVA0',
    fiscalProductCode: '50131700',
    heads: ['Lechería', 'Cremería', 'Pradera', 'Establo', 'Granja'],
    bases: [
      ['Leche', ['250 ml', '1 L', '1.5 L'], 10, ['entera', 'semidescremada', 'deslactosada', 'light', 'sabor chocolate', 'sabor fresa']],
      ['Yogur', ['125 g', '1 kg'], 10, ['natural', 'griego natural', ...FLAVOURS]],
      ['Yogur bebible sabor', ['250 g', '1 kg'], 12, FLAVOURS],
      ['Queso', ['200 g', '400 g'], 55, ['panela', 'Oaxaca', 'manchego', 'asadero', 'fresco', 'cotija', 'chihuahua']],
      ['Crema', ['200 ml', '450 ml', '900 ml'], 22, ['ácida', 'entera', 'para batir']],
      ['Mantequilla', ['90 g', '225 g'], 35, ['con sal', 'sin sal']],
      ['Margarina', ['225 g', '1 kg'], 20],
      ['Leche condensada', ['387 g'], 28],
      ['Leche evaporada', ['360 g'], 20],
      ['Queso crema', ['190 g'], 34],
    ],
  },
  {
    name: 'Botanas',
    share: 6,
    tax: 'IVA0',
    fiscalProductCode: '50192100',
    heads: ['Botanas', 'Crujiente', 'Tostaditas', 'Cacahuatera', 'Antojitos'],
    bases: [
      ['Papas fritas', ['45 g', '170 g', '240 g'], 18, ['con sal', 'con limón', 'con chile', 'sabor queso', 'adobadas']],
      ['Totopos de maíz', ['62 g', '200 g'], 17, ['sabor nacho', 'con chile', 'naturales']],
      ['Cacahuates', ['100 g', '180 g'], 15, ['japoneses', 'enchilados', 'salados', 'con limón']],
      ['Chicharrón de cerdo', ['100 g'], 30],
      ['Chicharrón de harina', ['80 g'], 12, ['', 'con chile']],
      ['Palomitas para microondas', ['80 g', '3 pzas'], 20, ['con mantequilla', 'naturales', 'con chile']],
      ['Pepitas saladas', ['50 g'], 15],
      ['Mezcla de nueces', ['150 g'], 45],
      ['Plátano frito enchilado', ['100 g'], 25],
    ],
  },
  {
    name: 'Dulcería',
    share: 6,
    tax: 'IVA0',
    fiscalProductCode: '50161800',
    heads: ['Dulces', 'Confites', 'Golosinas', 'Caramelería', 'Mazapanes'],
    bases: [
      ['Chocolate en barra', ['40 g', '100 g'], 22, ['con leche', 'amargo', 'blanco', 'con almendras']],
      ['Caramelos', ['100 g', '500 g'], 18, ['de menta', 'de frutas', 'de leche']],
      ['Paletas de caramelo', ['10 pzas', '40 pzas'], 30, ['sabor fresa', 'sabor sandía', 'enchiladas']],
      ['Chicles', ['10 pzas', '80 pzas'], 12, ['de menta', 'de hierbabuena', 'de frutas'], 'IVA16'],
      ['Gomitas', ['100 g', '1 kg'], 16, ['ositos', 'aros de durazno', 'enchiladas', 'lombrices']],
      ['Mazapán de cacahuate', ['12 pzas', '30 pzas'], 40],
      ['Dulce de tamarindo', ['20 pzas'], 25, ['enchilado', 'natural']],
      ['Malvaviscos', ['200 g'], 22],
      ['Jamoncillo de leche', ['6 pzas'], 44],
    ],
  },
  {
    name: 'Enlatados',
    share: 8,
    tax: 'IVA0',
    fiscalProductCode: '50461500',
    heads: ['Conservas', 'Huerta', 'Bahía', 'Costa', 'Campiña'],
    bases: [
      ['Chiles jalapeños', ['105 g', '220 g', '380 g', '2.8 kg'], 14, ['en escabeche', 'en rajas', 'enteros']],
      ['Chiles chipotles adobados', ['105 g', '215 g'], 16],
      ['Frijoles refritos', ['430 g', '580 g'], 20, ['bayos', 'negros']],
      ['Atún', ['140 g'], 18, ['en agua', 'en aceite']],
      ['Sardinas en tomate', ['155 g', '425 g'], 22],
      ['Elote amarillo en grano', ['220 g', '400 g'], 14],
      ['Duraznos en almíbar', ['820 g'], 40],
      ['Champiñones rebanados', ['186 g'], 20],
      ['Salsa', ['210 g', '453 g'], 18, ['verde', 'roja', 'taquera', 'habanera']],
      ['Mole en pasta', ['125 g', '235 g'], 40, ['poblano', 'rojo', 'verde']],
      ['Chícharos con zanahoria', ['215 g'], 12],
    ],
  },
  {
    name: 'Higiene personal',
    share: 10,
    tax: 'IVA16',
    fiscalProductCode: '53131600',
    heads: ['Cuidado', 'Aroma', 'Frescura', 'Botica', 'Pulcritud'],
    bases: [
      ['Shampoo', ['400 ml', '750 ml', '1 L'], 45, ['para cabello graso', 'anticaspa', 'hidratante', 'con sábila', 'de manzanilla']],
      ['Acondicionador', ['400 ml', '750 ml'], 45, ['hidratante', 'con sábila', 'con keratina']],
      ['Jabón de tocador', ['100 g', '150 g', '3 pzas'], 14, ['de avena', 'con sábila', 'neutro', 'de glicerina']],
      ['Pasta dental', ['75 ml', '100 ml', '150 ml'], 30, ['blanqueadora', 'con flúor', 'para encías sensibles']],
      ['Cepillo dental', ['1 pza', '2 pzas'], 25, ['suave', 'medio', 'duro']],
      [
        'Desodorante',
        ['50 g', '150 ml'],
        50,
        ['en aerosol para caballero', 'en barra para dama', 'roll-on para dama', 'en barra para caballero'],
      ],
      ['Papel higiénico', ['4 rollos', '12 rollos', '20 rollos'], 35, ['hoja doble', 'hoja triple']],
      ['Toallas femeninas', ['10 pzas', '16 pzas', '32 pzas'], 30, ['con alas', 'nocturnas', 'ultradelgadas']],
      ['Rastrillo desechable', ['2 pzas', '5 pzas'], 40],
      ['Crema corporal', ['400 ml'], 60, ['humectante', 'con sábila', 'de almendras']],
      ['Gel para cabello', ['250 g', '500 g'], 30, ['fijación extrema', 'fijación normal']],
    ],
  },
  {
    name: 'Limpieza',
    share: 10,
    tax: 'IVA16',
    fiscalProductCode: '47131800',
    heads: ['Brillo', 'Hogar', 'Casa', 'Limpieza', 'Espuma'],
    bases: [
      ['Detergente en polvo', ['500 g', '1 kg', '2 kg', '5 kg'], 30, ['multiusos', 'para ropa de color', 'con suavizante']],
      ['Detergente líquido', ['1 L', '3 L'], 60, ['para ropa blanca', 'para ropa de color', 'para ropa delicada']],
      ['Cloro', ['1 L', '2 L', '3.75 L'], 18, ['regular', 'en gel']],
      ['Limpiador multiusos aroma', ['1 L', '2 L', '5 L'], 24, SCENTS],
      ['Lavatrastes líquido', ['500 ml', '750 ml', '1.1 L'], 25, ['limón', 'toronja', 'manzana']],
      ['Suavizante de telas aroma', ['850 ml', '2.8 L'], 35, SCENTS],
      ['Jabón de barra para lavar', ['400 g'], 18, ['azul', 'rosa', 'blanco']],
      ['Fibra para trastes', ['1 pza', '3 pzas'], 12, ['verde', 'con esponja']],
      ['Bolsas para basura', ['10 pzas', '30 pzas'], 30, ['chicas', 'medianas', 'jumbo']],
      ['Servilletas de papel', ['100 pzas', '500 pzas'], 20],
      ['Insecticida en aerosol', ['400 ml'], 70],
    ],
  },
  {
    name: 'Farmacia',
    share: 5,
    tax: 'IVA16',
    fiscalProductCode: '51142100',
    heads: ['Laboratorios', 'Farmacéutica', 'Genéricos', 'Medicamentos', 'Salud'],
    bases: [
      ['Paracetamol 500 mg tabletas', ['10 pzas', '20 pzas'], 25, undefined, 'IVA0'],
      ['Ibuprofeno 400 mg tabletas', ['10 pzas', '20 pzas'], 30, undefined, 'IVA0'],
      ['Naproxeno 250 mg tabletas', ['20 pzas'], 35, undefined, 'IVA0'],
      ['Loratadina 10 mg tabletas', ['10 pzas'], 40, undefined, 'IVA0'],
      ['Suero oral sabor', ['625 ml'], 25, ['coco', 'fresa', 'manzana'], 'IVA0'],
      ['Alcohol etílico', ['250 ml', '500 ml', '1 L'], 20],
      ['Agua oxigenada', ['250 ml', '480 ml'], 19],
      ['Curitas', ['20 pzas', '50 pzas'], 25],
      ['Algodón', ['50 g', '100 g'], 18],
      ['Vitamina C tabletas masticables', ['30 pzas', '100 pzas'], 60],
      ['Gasas estériles', ['10 pzas'], 30],
      ['Condones de látex', ['3 pzas', '12 pzas'], 59],
    ],
  },
  {
    name: 'Bebés',
    share: 4,
    tax: 'IVA16',
    fiscalProductCode: '53102305',
    heads: ['Retoñito', 'Osito', 'Nene', 'Arrullo', 'Cunita'],
    bases: [
      ['Pañales etapa', ['14 pzas', '40 pzas', '80 pzas'], 90, ['1', '2', '3', '4', '5', '6']],
      ['Toallitas húmedas', ['80 pzas', '3 paquetes de 80 pzas'], 40, ['sin aroma', 'con manzanilla']],
      ['Fórmula láctea etapa', ['400 g', '800 g', '1.2 kg'], 180, ['1', '2', '3'], 'IVA0'],
      ['Papilla sabor', ['113 g'], 16, ['manzana', 'pera', 'plátano', 'zanahoria', 'ciruela'], 'IVA0'],
      ['Shampoo para bebé', ['200 ml', '400 ml'], 45],
      ['Aceite para bebé', ['100 ml', '200 ml'], 40],
    ],
  },
  {
    name: 'Panadería',
    share: 6,
    tax: 'IVA0',
    fiscalProductCode: '50181900',
    heads: ['Panificadora', 'Hornos', 'Tahona', 'Espiga', 'Trigal'],
    bases: [
      ['Pan de caja', ['680 g'], 45, ['blanco', 'integral', 'multigrano']],
      ['Medias noches', ['8 pzas'], 38],
      ['Tortillas de harina', ['10 pzas', '20 pzas'], 25, ['chicas', 'medianas', 'integrales']],
      ['Tortillas de maíz', ['500 g', '1 kg'], 14],
      [
        'Galletas',
        ['170 g', '250 g', '500 g'],
        18,
        ['de avena', 'marías', 'de animalitos', 'con chispas de chocolate', 'saladas', 'rellenas de vainilla'],
      ],
      ['Pan dulce', ['4 pzas', '6 pzas'], 35, ['conchas', 'donas', 'mantecadas', 'cuernitos']],
      ['Panqué', ['255 g'], 38, ['con nuez', 'marmoleado', 'de naranja']],
      ['Tostadas horneadas', ['30 pzas'], 35],
    ],
  },
  {
    name: 'Salchichonería',
    share: 3,
    tax: 'IVA0',
    fiscalProductCode: '50112000',
    heads: ['Embutidos', 'Salchichonería', 'Carnes Frías', 'Ahumados', 'Rancho'],
    bases: [
      ['Jamón', ['250 g', '500 g'], 40, ['de pavo', 'de cerdo', 'virginia']],
      ['Salchicha', ['500 g', '1 kg'], 35, ['de pavo', 'viena', 'para asar']],
      ['Chorizo', ['250 g'], 30, ['rojo', 'verde', 'argentino']],
      ['Tocino ahumado', ['250 g'], 55],
      ['Queso de puerco', ['250 g'], 35],
      ['Salami', ['200 g'], 45],
    ],
  },
  {
    name: 'Frutas y verduras',
    share: 2,
    tax: 'IVA0',
    fiscalProductCode: '50300000',
    heads: ['Huerta', 'Campo', 'Vergel', 'Cosecha', 'Hortalizas'],
    bases: [
      ['Ensalada lista para servir', ['300 g'], 41, ['de lechuga', 'César', 'primavera']],
      ['Zanahoria baby', ['454 g'], 30],
      ['Papa en bolsa', ['2 kg'], 66],
      ['Champiñón fresco', ['227 g'], 35],
      ['Espinaca baby', ['200 g'], 38],
    ],
  },
  {
    name: 'Mascotas',
    share: 3,
    tax: 'IVA16',
    fiscalProductCode: '10121800',
    heads: ['Can', 'Michi', 'Huellita', 'Campeón', 'Colita'],
    bases: [
      ['Alimento para perro', ['2 kg', '4 kg', '10 kg', '20 kg'], 140, ['adulto', 'cachorro', 'raza pequeña', 'senior']],
      ['Alimento para gato', ['1.5 kg', '3 kg', '7 kg'], 120, ['adulto', 'gatito', 'control de bolas de pelo']],
      ['Alimento húmedo para gato sabor', ['85 g'], 16, ['pollo', 'atún', 'salmón']],
      ['Arena para gato', ['4 kg', '10 kg'], 70],
      ['Premios para perro', ['200 g'], 45],
    ],
  },
  {
    name: 'Revistas y periódicos',
    share: 2,
    tax: 'EXENTO',
    fiscalProductCode: '55101500',
    heads: ['Editorial', 'Ediciones', 'Publicaciones', 'Grupo Editorial', 'Imprenta'],
    bases: [
      ['Periódico', ['edición diaria', 'edición dominical'], 15, ['matutino', 'vespertino', 'deportivo']],
      ['Revista de', ['número del mes', 'edición especial'], 45, ['cocina', 'espectáculos', 'deportes', 'salud', 'historietas']],
      ['Libro de crucigramas', ['número del mes'], 30],
      ['Libro para colorear', ['1 pza'], 35],
    ],
  },
  {
    name: 'Carnes',
    share: 1,
    tax: 'IVA0',
    fiscalProductCode: '50111500',
    heads: ['Carnes', 'Rancho', 'Obrador', 'Frigorífico', 'Ganadera'],
    bases: [
      ['Hamburguesas de res', ['8 pzas', '16 pzas'], 95],
      ['Nuggets de pollo', ['500 g', '1 kg'], 85],
      ['Milanesa de pollo empanizada', ['500 g'], 90],
    ],
  },
];

/** Weighed goods: [name, demo category, price per kg, branded?]. */
const WEIGHED: readonly (readonly [string, string, number, boolean])[] = [
  ...(
    [
      'Limón',
      'Plátano',
      'Manzana roja',
      'Manzana verde',
      'Naranja',
      'Papa blanca',
      'Jitomate saladet',
      'Cebolla blanca',
      'Chile serrano',
      'Chile jalapeño',
      'Aguacate Hass',
      'Zanahoria',
      'Pepino',
      'Calabacita',
      'Mango ataulfo',
      'Papaya maradol',
      'Sandía',
      'Piña',
      'Uva verde',
      'Guayaba',
      'Tomate verde',
      'Chayote',
      'Ejote',
      'Brócoli',
      'Betabel',
      'Nopal',
    ] as const
  ).map((n) => [n, 'Frutas y verduras', 30, false] as const),
  ...(
    [
      'Bistec de res',
      'Carne molida de res',
      'Pechuga de pollo',
      'Pierna y muslo de pollo',
      'Chuleta de cerdo',
      'Costilla de cerdo',
      'Arrachera marinada',
      'Filete de tilapia',
      'Camarón mediano',
    ] as const
  ).map((n) => [n, 'Carnes', 140, false] as const),
  ...(
    [
      'Jamón de pavo',
      'Queso Oaxaca',
      'Queso panela',
      'Queso manchego',
      'Queso amarillo',
      'Salchicha de pavo',
      'Chorizo',
      'Longaniza',
    ] as const
  ).map((n) => [n, 'Salchichonería', 160, true] as const),
  ...(['Frijol negro a granel', 'Arroz a granel', 'Azúcar a granel', 'Avena a granel', 'Cacahuate a granel', 'Alpiste'] as const).map(
    (n) => [n, 'Abarrotes', 35, true] as const,
  ),
  ...(['Gomitas surtidas a granel', 'Chocolate confitado a granel'] as const).map((n) => [n, 'Dulcería', 120, true] as const),
];
const WEIGHED_ORIGINS = ['', '', '', ' de primera', ' orgánico', ' de Michoacán', ' de Sinaloa', ' de Veracruz', ' de temporada'];

type Brand = { name: string; companyPrefix: string; items: number };

/** Every category's brands, in a fixed order: the company prefix is the brand's place in it. */
function brandsByCategory(): Map<string, Brand[]> {
  const out = new Map<string, Brand[]>();
  let n = 0;
  for (const c of CATEGORIES) {
    const brands: Brand[] = [];
    for (const head of c.heads) {
      for (const place of PLACES) brands.push({ name: `${head} ${place}`, companyPrefix: String(FIRST_COMPANY_PREFIX + n++), items: 0 });
    }
    out.set(c.name, brands);
  }
  if (n > MAX_BRANDS) throw new Error(`bench catalog: ${n} brands but only ${MAX_BRANDS} company prefixes`);
  return out;
}

export type BenchProduct = {
  productId: string;
  variantId: string;
  stockId: string;
  category: string;
  name: string;
  brand: string | null;
  soldBy: 'UNIT' | 'WEIGHT';
  unit: string;
  tax: Tax;
  fiscalProductCode: string;
  fiscalUnitCode: string;
  sku: string;
  barcode: string | null;
  plu: string | null;
  price: string;
  cost: string;
  quantity: string;
  reorderPoint: string;
};

const money = (x: number) => x.toFixed(2);
/** Shelf prices end in .00, .50 or .90, as Mexican shops price them. */
function shelfPrice(x: number, rng: Rng): string {
  const whole = Math.max(1, Math.floor(x));
  return `${whole}.${rng.pick(['00', '50', '90', '50', '00'])}`;
}

/** The bench products, one at a time, always the same sequence. */
export function* benchProducts(count: number): Generator<BenchProduct> {
  const rng = prng(SEED);
  const brands = brandsByCategory();
  const totalShare = CATEGORIES.reduce((s, c) => s + c.share, 0);
  const pickCategory = () => {
    let r = rng.next() * totalShare;
    for (const c of CATEGORIES) if ((r -= c.share) < 0) return c;
    return CATEGORIES.at(-1)!;
  };
  let plu = FIRST_PLU;
  for (let i = 0; i < count; i++) {
    const ms = ID_EPOCH + i;
    const productId = uuid7(ms, rng),
      variantId = uuid7(ms, rng),
      stockId = uuid7(ms, rng);
    const sku = benchSku(i + 1);
    if (rng.next() < WEIGHED_SHARE) {
      const [base, categoryName, perKg, branded] = rng.pick(WEIGHED);
      const category = CATEGORIES.find((c) => c.name === categoryName)!;
      const brand = branded ? rng.skewed(brands.get(categoryName)!).name : null;
      const name = `${base}${branded ? ` ${brand}` : rng.pick(WEIGHED_ORIGINS)}`;
      const price = perKg * (0.7 + rng.next() * 0.8);
      if (plu > 99_999) throw new Error('bench catalog: out of 5-digit PLUs');
      // Written out rather than spread: spreading made V8 build each of a million objects 4x slower.
      yield {
        productId,
        variantId,
        stockId,
        category: category.name,
        name,
        brand,
        soldBy: 'WEIGHT',
        unit: 'kg',
        tax: category.tax,
        fiscalProductCode: category.fiscalProductCode,
        fiscalUnitCode: 'KGM',
        sku,
        barcode: null,
        plu: String(plu++).padStart(5, '0'),
        price: shelfPrice(price, rng),
        cost: money(price * (0.62 + rng.next() * 0.14)),
        quantity: `${5 + rng.int(60)}.${String(rng.int(1000)).padStart(3, '0')}`,
        reorderPoint: '5.000',
      };
      continue;
    }
    const category = pickCategory();
    const [base, sizes, firstPrice, kinds, tax] = rng.pick(category.bases);
    const kind = kinds ? rng.pick(kinds) : '';
    const sizeIndex = Math.floor(sizes.length * rng.next() ** 1.5);
    const brand = rng.skewed(brands.get(category.name)!);
    if (brand.items > 99_999) throw new Error(`bench catalog: brand ${brand.name} ran out of item references`);
    const barcode = makeEan13(brand.companyPrefix + String(brand.items++).padStart(5, '0'));
    const pack = rng.next() < 0.08 ? rng.pick(PACKS) : 1;
    const name = [base, kind, brand.name, rng.pick(LINES), sizes[sizeIndex], pack > 1 ? `paquete con ${pack}` : '']
      .filter((s) => s)
      .join(' ');
    const price = firstPrice * 1.7 ** sizeIndex * pack * (pack > 1 ? 0.93 : 1) * (0.8 + rng.next() * 0.5);
    yield {
      productId,
      variantId,
      stockId,
      category: category.name,
      name,
      brand: brand.name,
      soldBy: 'UNIT',
      unit: 'pza',
      tax: tax ?? category.tax,
      fiscalProductCode: category.fiscalProductCode,
      fiscalUnitCode: 'H87',
      sku,
      barcode,
      plu: null,
      price: shelfPrice(price, rng),
      cost: money(price * (0.65 + rng.next() * 0.13)),
      quantity: String(rng.int(121)),
      reorderPoint: '6',
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The template data directory.

const lit = (s: string | null) => (s === null ? 'NULL' : `'${s.replaceAll("'", "''")}'`);
const log = (message: string) => console.log(`[bench-catalog] ${message}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** What the template depends on: the schema, this generator and its random source, and the demo store it starts from. */
export function benchStoreKey(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(MIGRATIONS_DIR, file)))
      .update('\0');
  }
  hash.update(readFileSync(THIS_FILE));
  hash.update(readFileSync(SEEDED_RANDOM_FILE));
  for (const file of ['store.json', 'catalog.csv']) hash.update(readFileSync(join(DEMO_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

export const benchStoreDir = (products: number) => join(BENCH_DATA_DIR, `store-${products}-${benchStoreKey()}`);

/**
 * The path of the template data directory holding the demo store and `products` products in
 * all, building it on first use (1,000,000 products take minutes). Never open the template
 * itself in a bench: take a copy with copyBenchStore.
 */
export async function prepareBenchStore(products: number): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const dir = benchStoreDir(products);
    if (existsSync(join(dir, 'pglite'))) return dir;
    mkdirSync(BENCH_DATA_DIR, { recursive: true });
    removeAbandonedBuilds();
    // Built beside its final place and renamed into it only when complete: a build that was
    // killed leaves a .building-* directory, never a template that looks finished.
    const building = join(BENCH_DATA_DIR, `.building-${products}-${process.pid}`);
    rmSync(building, { recursive: true, force: true });
    try {
      await buildStore(building, products);
      // A migration edited while we built: what we built matches neither key. Build again.
      if (benchStoreDir(products) !== dir) {
        if (attempt === 3) throw new Error('bench catalog: the migrations keep changing while the store is built');
        log('the migrations or the generator changed during the build; building again');
        rmSync(building, { recursive: true, force: true });
        continue;
      }
      removeStaleTemplates(products, basename(dir));
      renameSync(building, dir);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      // Another process may have finished the same template first; it is as good as ours.
      if (existsSync(join(dir, 'pglite'))) return dir;
      throw err;
    }
    log(`template ready: ${dir}`);
    return dir;
  }
}

/** Templates of this size from an older schema or generator, unless one was just made (another process may be copying it). */
function removeStaleTemplates(products: number, current: string) {
  for (const stale of readdirSync(BENCH_DATA_DIR).filter((f) => f.startsWith(`store-${products}-`) && f !== current)) {
    if (Date.now() - statSync(join(BENCH_DATA_DIR, stale)).mtimeMs < 15 * 60_000) continue;
    log(`removing ${stale}: built from another schema or generator`);
    rmSync(join(BENCH_DATA_DIR, stale), { recursive: true, force: true });
  }
}

function removeAbandonedBuilds() {
  for (const entry of readdirSync(BENCH_DATA_DIR).filter((f) => f.startsWith('.building-'))) {
    const pid = Number(entry.split('-').at(-1));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    log(`removing ${entry}: left by a build that did not finish`);
    rmSync(join(BENCH_DATA_DIR, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

async function buildStore(dir: string, products: number) {
  const started = performance.now();
  log(`building a ${products.toLocaleString('en-US')}-product store in ${dir}`);
  const engine = await openEngine(dir, { purpose: 'bench catalog build' });
  try {
    const demo = readDemoStore();
    await setUpDemoStore(engine, demo);
    const sql = engine.services.sql;
    const terminal = engine.services.terminal!;
    const [{ count: demoProducts } = { count: 0 }] = await sql.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM inventory.products WHERE deleted_at IS NULL',
    );
    const extra = products - demoProducts;
    if (extra < 0) throw new Error(`the demo store alone holds ${demoProducts} products; ask for at least that many`);
    log(`demo store set up (${demoProducts} products) in ${seconds(started)}; generating ${extra.toLocaleString('en-US')} more`);
    const categoryIds = new Map(
      (
        await sql.query<{ id: string; name: string }>('SELECT id, name FROM inventory.categories WHERE business_id = $1', [
          terminal.businessId,
        ])
      ).map((c) => [c.name, c.id]),
    );
    const b = lit(terminal.businessId);
    const branch = lit(terminal.branchId);

    let batch: BenchProduct[] = [];
    let done = 0;
    const spent = { products: 0, variants: 0, stock: 0 };
    const timed = async (table: keyof typeof spent, text: string) => {
      const t = performance.now();
      await sql.exec(text);
      spent[table] += performance.now() - t;
    };
    const flush = async () => {
      if (batch.length === 0) return;
      await timed(
        'products',
        `INSERT INTO inventory.products (id, business_id, category_id, name, brand, sold_by, unit, tax_code, tax_rate,
        fiscal_product_code, fiscal_unit_code) VALUES ${batch
          .map(
            (p) =>
              `(${lit(p.productId)}, ${b}, ${lit(categoryIds.get(p.category)!)}, ` +
              `${lit(p.name)}, ${lit(p.brand)}, ${lit(p.soldBy)}, ${lit(p.unit)}, ${lit(p.tax)}, ${TAX_RATE[p.tax]}, ` +
              `${lit(p.fiscalProductCode)}, ${lit(p.fiscalUnitCode)})`,
          )
          .join(',\n')}`,
      );
      await timed(
        'variants',
        `INSERT INTO inventory.product_variants (id, business_id, product_id, sku, barcode, plu, price, cost)
        VALUES ${batch
          .map(
            (p) =>
              `(${lit(p.variantId)}, ${b}, ${lit(p.productId)}, ${lit(p.sku)}, ${lit(p.barcode)}, ` +
              `${lit(p.plu)}, ${p.price}, ${p.cost})`,
          )
          .join(',\n')}`,
      );
      await timed(
        'stock',
        `INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity, reorder_point)
        VALUES ${batch.map((p) => `(${lit(p.stockId)}, ${lit(p.variantId)}, ${branch}, ${p.quantity}, ${p.reorderPoint})`).join(',\n')}`,
      );
      done += batch.length;
      batch = [];
      if (done % 100_000 === 0 || done === extra) {
        log(
          `${done.toLocaleString('en-US')} / ${extra.toLocaleString('en-US')} inserted, ${seconds(started)} ` +
            `(in PGlite: products ${(spent.products / 1000).toFixed(1)} s, variants ${(spent.variants / 1000).toFixed(1)} s, ` +
            `stock levels ${(spent.stock / 1000).toFixed(1)} s)`,
        );
      }
    };
    // Indexes that check nothing (not unique) are built once at the end, from their own
    // definitions, instead of row by row: a GIN index over a million names is much cheaper
    // built than maintained. The template ends up with exactly the indexes the migrations made.
    const deferred = await sql.query<{ name: string; definition: string }>(`
      SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indrelid IN ('inventory.products'::regclass, 'inventory.product_variants'::regclass, 'inventory.stock_levels'::regclass)
        AND NOT i.indisunique AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY 1`);
    for (const index of deferred) await sql.exec(`DROP INDEX ${index.name}`);
    for (const p of benchProducts(extra)) {
      batch.push(p);
      if (batch.length === ROWS_PER_STATEMENT) await flush();
    }
    await flush();
    let t = performance.now();
    await sql.exec(`SET maintenance_work_mem = '256MB'`);
    for (const index of deferred) await sql.exec(index.definition);
    await sql.exec('RESET maintenance_work_mem');
    log(`${deferred.length} indexes built in ${seconds(t)}`);

    // A store that synced its catalog has its planner statistics and visibility map; without
    // VACUUM ANALYZE every copy would first rewrite hint bits and plan blind.
    t = performance.now();
    await sql.exec('VACUUM ANALYZE');
    log(`VACUUM ANALYZE in ${seconds(t)}`);
    t = performance.now();
    await sql.exec('CHECKPOINT');
    const [{ count } = { count: 0 }] = await sql.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM inventory.products WHERE deleted_at IS NULL',
    );
    if (count !== products) throw new Error(`bench catalog: expected ${products} products, found ${count}`);
  } finally {
    await engine.close();
  }
  // Whoever owned the template last is of no interest to the copies.
  for (const f of ['owner.lock', 'owner.pid']) rmSync(join(dir, f), { force: true });
  log(`built ${products.toLocaleString('en-US')} products in ${seconds(started)} (${(dirSize(dir) / 1e6).toFixed(0)} MB)`);
}

export function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * A fresh copy of the template for one bench run, in a temporary directory the caller removes
 * (rmSync(dir, { recursive: true, force: true })). Benches never open the template itself.
 */
export async function copyBenchStore(products: number, label: string): Promise<string> {
  const template = await prepareBenchStore(products);
  const dir = mkdtempSync(join(tmpdir(), `pos-bench-${label}-`));
  cpSync(template, dir, { recursive: true });
  // A lock file copied from a template built before this rule would only say who built it.
  for (const f of ['owner.lock', 'owner.pid']) rmSync(join(dir, f), { force: true });
  return dir;
}

export type CartPicks = {
  /** EAN-13s of existing bench variants, as a scanner reads them. */
  barcodes: string[];
  /** PLUs of existing weighed bench variants. */
  plus: string[];
  /** The same PLUs as the scale prints them: EAN-13 "20 PPPPP WWWWW C", weight in grams. */
  scaleCodes: string[];
};

/**
 * n barcodes and n weighed PLUs that exist in a bench store, for add-to-cart benches: the same
 * picks for the same store, n and seed. Give it the engine's SQL session (engine.services.sql),
 * or a data directory that no process has open (it opens and closes an engine on it).
 */
export async function pickBarcodes(from: string | Pick<SqlSession, 'query'>, n: number, seed = 1): Promise<CartPicks> {
  if (typeof from === 'string') {
    const engine = await openEngine(from, { purpose: 'bench pickBarcodes' });
    try {
      return await pickBarcodes(engine.services.sql, n, seed);
    } finally {
      await engine.close();
    }
  }
  const rng = prng(seed);
  const [{ count: benchVariants } = { count: 0 }] = await from.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM inventory.product_variants WHERE sku LIKE 'BN-%'`,
  );
  if (benchVariants === 0) throw new Error('pickBarcodes: no bench products in this store');
  // Bench SKUs are numbered, so random numbers are random products, found through the SKU index.
  const barcodes: string[] = [];
  while (barcodes.length < n) {
    const skus = Array.from({ length: Math.ceil((n - barcodes.length) * 1.1) + 4 }, () => benchSku(1 + rng.int(benchVariants)));
    const found = new Map(
      (
        await from.query<{ sku: string; barcode: string | null }>(
          'SELECT sku, barcode FROM inventory.product_variants WHERE sku = ANY($1) AND deleted_at IS NULL',
          [skus],
        )
      ).map((r) => [r.sku, r.barcode]),
    );
    for (const sku of skus) {
      const barcode = found.get(sku);
      if (barcode && barcodes.length < n) barcodes.push(barcode);
    }
  }
  const weighed = (
    await from.query<{ plu: string }>(
      `SELECT plu FROM inventory.product_variants WHERE plu IS NOT NULL AND sku LIKE 'BN-%' AND deleted_at IS NULL ORDER BY plu`,
    )
  ).map((r) => r.plu);
  if (weighed.length === 0) throw new Error('pickBarcodes: no weighed bench products in this store');
  const plus = Array.from({ length: n }, () => rng.pick(weighed));
  const scaleCodes = plus.map((plu) => makeEan13(`2${rng.int(10)}${plu}${String(150 + rng.int(2350)).padStart(5, '0')}`));
  return { barcodes, plus, scaleCodes };
}

// Generates resources/demo/catalog.csv, the product catalog of the demo store
// "Abarrotes La Esperanza". Run with: npx tsx scripts/generate-demo-catalog.ts
//
// The file is committed, so the output must be byte-identical on every run:
// all randomness comes from seeded PRNGs, money is integer centavos, and
// nothing depends on locale, clock or object-key order of external data.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { makeEan13 } from '#contract/gtin.ts';

const OUTPUT = fileURLToPath(new URL('../resources/demo/catalog.csv', import.meta.url));

const COLUMNS = [
  'product_key',
  'category',
  'product',
  'brand',
  'variant',
  'sku',
  'barcode',
  'plu',
  'price',
  'cost',
  'sold_by',
  'unit',
  'tax_code',
  'tax_rate',
  'fiscal_product_code',
  'fiscal_unit_code',
] as const;

type Column = (typeof COLUMNS)[number];
type Row = Record<Column, string>;

type TaxCode = 'IVA16' | 'IVA0' | 'EXENTO';

const TAX_RATE: Record<TaxCode, string> = {
  IVA16: '0.160000',
  IVA0: '0.000000',
  EXENTO: '0.000000',
};

// ---------------------------------------------------------------------------
// Deterministic randomness

type Rng = () => number;

// mulberry32: tiny, fast and identical on every JS engine, which is all a
// fixture generator needs. Returns unsigned 32-bit integers, not floats, so
// every draw below stays in integer arithmetic.
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// Multiply-shift instead of modulo: unbiased enough and never touches floats.
function randBelow(rng: Rng, n: number): number {
  return Number((BigInt(rng()) * BigInt(n)) >> 32n);
}

function randBetween(rng: Rng, lo: number, hi: number): number {
  return lo + randBelow(rng, hi - lo + 1);
}

function chance(rng: Rng, percent: number): boolean {
  return randBelow(rng, 100) < percent;
}

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  if (count > items.length) {
    throw new Error(`cannot pick ${count} distinct items from ${items.length}`);
  }
  const copy = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + randBelow(rng, copy.length - i);
    const tmp = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = tmp;
  }
  return copy.slice(0, count);
}

// ---------------------------------------------------------------------------
// Money: integer centavos only

function formatCents(cents: bigint): string {
  if (cents < 0n) throw new Error(`negative amount ${cents}`);
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

// Shelf prices in Mexico cluster on .00, .50 and "just under" (.90).
function pickEnding(rng: Rng): bigint {
  const roll = randBelow(rng, 100);
  if (roll < 45) return 0n;
  if (roll < 72) return 50n;
  if (roll < 90) return 90n;
  const odd = [20n, 30n, 40n, 60n, 80n] as const;
  return odd[randBelow(rng, odd.length)] as bigint;
}

// A brand keeps one price tier (0 economy, 1 regular, 2 premium) across the
// whole store, so its products are consistently cheap or dear rather than
// random within each range.
function pickPriceCents(rng: Rng, loPesos: number, hiPesos: number, tier: number): bigint {
  const lo = BigInt(loPesos);
  const span = BigInt(hiPesos - loPesos);
  const from = lo + (span * BigInt(tier)) / 3n;
  const to = lo + (span * BigInt(tier + 1) + 2n) / 3n;
  const pesos = from + BigInt(randBelow(rng, Number(to - from) + 1));
  const ending = pickEnding(rng);
  return ending === 90n ? pesos * 100n - 10n : pesos * 100n + ending;
}

function costCents(priceCents: bigint, basisPoints: number): bigint {
  return (priceCents * BigInt(basisPoints)) / 10_000n;
}

// ---------------------------------------------------------------------------
// Catalog data

// [label, lowest price, highest price] in whole pesos; per kg for weighed items.
// Sizes are listed smallest first so size variants come out in shelf order.
type Size = readonly [label: string, loPesos: number, hiPesos: number];

interface Template {
  name: string;
  sizes: readonly Size[];
  // "Label" or "Label|name suffix"; the label becomes the variant, the
  // suffix (default: `${join} ${label lower-cased}`) goes into the name.
  flavours?: readonly string[];
  join?: string;
  tax?: TaxCode;
  brands?: number;
  pool?: string;
  // Distinct single-flavour products each brand carries.
  perBrand?: number;
  weighed?: boolean;
}

type TemplateOptions = Omit<Template, 'name' | 'sizes'>;

function t(name: string, sizes: readonly Size[], options: TemplateOptions = {}): Template {
  return { name, sizes, ...options };
}

// Fresh produce and meat counters have no brand; deli cuts carry one.
function kg(name: string, loPesos: number, hiPesos: number, options: TemplateOptions = {}): Template {
  return { name, sizes: [['', loPesos, hiPesos]], weighed: true, brands: 0, ...options };
}

interface Category {
  name: string;
  skuPrefix: string;
  fiscalProductCode: string;
  tax: TaxCode;
  pool: string;
  brandsPerTemplate: number;
  costBasisPoints: readonly [number, number];
  pluStart?: number;
  templates: readonly Template[];
}

// Fictional brands. Names were chosen to sound Mexican while avoiding the
// well-known real trademarks of the Mexican grocery market.
const BRAND_POOLS: Record<string, readonly string[]> = {
  ABR: [
    'El Sembrador',
    'Doña Chonita',
    'La Cañada',
    'Granero del Bajío',
    'Molino San Isidro',
    'Campo Noble',
    'Montaña Azul',
    'Piñón Real',
    'Don Anselmo',
    'La Huerteña',
    'Señorío',
    'Sol de Zacatecas',
    'La Esperanza',
  ],
  ENL: [
    'La Cañada',
    'Doña Chonita',
    'Huerta Xalapeña',
    'Valle de Atlixco',
    'El Tamarindal',
    'Piñón Real',
    'Don Anselmo',
    'La Ribereña',
    'Conservas Tepehuana',
    'Bahía de Guaymas',
    'La Esperanza',
  ],
  SODA: [
    'Montaña Azul',
    'Burbuja Norteña',
    'Refrescos El Cañón',
    'Fresquita',
    'Manantial San Lorenzo',
    'Sabor del Sureste',
    'Piñón Real',
    'Cumbres de Arteaga',
    'La Esperanza',
  ],
  BEER: ['Cervecería del Malpaís', 'Cervecería Puerto Nuevo', 'Cervecería Tres Volcanes', 'Cervecería Peña Blanca', 'Cerveza La Güera'],
  SPIRITS: [
    'Hacienda Los Añiles',
    'Destilería Agave Cenizo',
    'Casa Don Ramiro',
    'Mezcalera Santa Catarina',
    'Viñedos San Vicente',
    'Cañaveral de Papantla',
    'Bodegas Señorío',
  ],
  LAC: [
    'Vaquita Dorada',
    'Lechería Los Altos',
    'Pradera Alteña',
    'Cremería Doña Chonita',
    'Los Volcanes',
    'Rancho El Sauz',
    'Queserías de Chipilo',
    'Montaña Azul',
    'La Esperanza',
  ],
  PAN: [
    'Panificadora El Trigal',
    'Hornos San Judas',
    'La Espiga Norteña',
    'Pan de la Abuela Meche',
    'Tahona Real',
    'Molino San Isidro',
    'Tortillería La Güera',
    'Doña Chonita',
    'La Esperanza',
  ],
  BOT: [
    'Crujiente Tapatío',
    'Botanas El Güero',
    'Doña Chonita',
    'Chicharronera Tlaquepaque',
    'Sabor Jarocho',
    'Tostaditas Mañaneras',
    'El Antojo Norteño',
    'Cacahuatera Don Chuy',
    'Piñón Real',
    'La Esperanza',
  ],
  DUL: [
    'Dulcería La Piñata',
    'Confites San Cristóbal',
    'Dulces El Colibrí',
    'Cacaotal Tabasqueño',
    'Golosinas La Niña',
    'Mazapanes El Cañaveral',
    'Caramelería Don Goyo',
    'Tamarindos de Colima',
  ],
  FYV: ['Huerta Fresca del Bajío', 'Campo Noble', 'El Sembrador', 'Verde Michoacano', 'La Esperanza'],
  // Kept apart from LAC so a deli cheese never shares name and brand with a packaged one.
  SAL: ['Señorío', 'Embutidos Don Fermín', 'Salchichonería Zamorana', 'La Toluqueña', 'Rancho Peñitas', 'Embutidos Santa Rosalía'],
  CAR: ['Rancho Peñitas', 'Granja Los Encinos', 'Bahía Kino', 'Carnes del Yaqui', 'La Esperanza'],
  LIM: [
    'Brillo Casero',
    'Limpiecita',
    'Casa Reluciente',
    'Doña Chonita',
    'Aroma de Campo',
    'Espumín',
    'Hogar Feliz',
    'Pulcritud Tapatía',
    'Montaña Azul',
    'La Esperanza',
  ],
  HIG: [
    'Sábila Real',
    'Frescura Natural',
    'Dulce Aroma',
    'Montaña Azul',
    'Cuidado Diario',
    'Caballero Fino',
    'Rosa de Castilla',
    'Nube de Algodón',
    'Señorío',
    'La Esperanza',
  ],
  BBS: ['Osito Tierno', 'Cuna de Algodón', 'Nene Suave', 'Mi Retoñito', 'Arrullo', 'La Esperanza'],
  MAS: ['Can Contento', 'Michi Feliz', 'Huellita', 'Firulais', 'Campeón Canino', 'Gatito Montés', 'La Esperanza'],
  FAR: [
    'Laboratorios Ocotlán',
    'Salud del Valle',
    'Genéricos La Piedad',
    'Farmacéutica Ixtapa',
    'Laboratorios Xóchitl',
    'Medicamentos Santa Lucía',
    'Laboratorios Peñasco',
  ],
  REV: ['Editorial Tlaquepaque', 'Ediciones El Pregonero', 'Publicaciones Cenzontle', 'Editorial Mañanitas', 'Grupo Editorial Peñuelas'],
};

// Tax follows Mexican IVA (LIVA art. 2-A): basic food and medicines at 0 %,
// drinks other than milk, drink concentrates, snacks, sweets, non-food goods
// and pet food at 16 %, periodicals exempt.
const CATEGORIES: readonly Category[] = [
  {
    name: 'Abarrotes',
    skuPrefix: 'ABR',
    fiscalProductCode: '50221000',
    tax: 'IVA0',
    pool: 'ABR',
    brandsPerTemplate: 5,
    costBasisPoints: [7200, 7900],
    templates: [
      t('Arroz súper extra', [
        ['500 g', 16, 22],
        ['900 g', 27, 36],
      ]),
      t('Arroz integral', [['900 g', 34, 46]]),
      t('Frijol negro', [
        ['500 g', 19, 27],
        ['900 g', 33, 45],
      ]),
      t('Frijol bayo', [
        ['500 g', 21, 29],
        ['900 g', 36, 48],
      ]),
      t('Frijol pinto', [['900 g', 34, 46]]),
      t('Frijol peruano', [['900 g', 40, 54]]),
      t('Lenteja', [['500 g', 18, 27]]),
      t('Garbanzo', [['500 g', 23, 33]]),
      t('Haba seca', [['500 g', 25, 35]]),
      t('Azúcar estándar', [
        ['1 kg', 28, 36],
        ['2 kg', 54, 68],
      ]),
      t('Azúcar refinada', [['1 kg', 32, 41]]),
      t('Azúcar mascabado', [['800 g', 38, 52]]),
      t('Sal de mesa yodada', [['1 kg', 10, 16]]),
      t('Sal de grano', [['1 kg', 12, 18]]),
      t('Harina de trigo', [['1 kg', 22, 30]]),
      t('Harina de maíz nixtamalizado', [['1 kg', 20, 28]]),
      t('Harina para hot cakes', [
        ['500 g', 28, 40],
        ['1 kg', 49, 66],
      ]),
      t('Aceite vegetal comestible', [
        ['500 ml', 22, 30],
        ['1 L', 39, 52],
        ['3 L', 112, 148],
      ]),
      t('Aceite de canola', [['900 ml', 42, 58]]),
      t('Aceite de oliva extra virgen', [
        ['250 ml', 75, 105],
        ['500 ml', 125, 175],
      ]),
      t('Sopa de pasta fideo', [['200 g', 7, 11]]),
      t('Sopa de pasta codito', [['200 g', 7, 11]]),
      t('Sopa de pasta estrellitas', [['200 g', 7, 11]]),
      t('Sopa de pasta letras', [['200 g', 7, 11]]),
      t('Espagueti', [
        ['200 g', 8, 13],
        ['500 g', 20, 28],
      ]),
      t('Sopa instantánea de fideos', [['64 g', 12, 17]], {
        flavours: ['Pollo', 'Camarón', 'Res', 'Camarón con chile'],
        join: 'sabor',
      }),
      t('Café soluble', [
        ['50 g', 38, 55],
        ['100 g', 66, 95],
        ['200 g', 122, 170],
      ]),
      t('Café soluble descafeinado', [['100 g', 72, 105]]),
      t('Café tostado y molido', [['400 g', 85, 130]]),
      t('Café de olla molido', [['400 g', 80, 115]]),
      t('Sustituto de crema para café', [
        ['400 g', 40, 60],
        ['1 kg', 92, 125],
      ]),
      t('Chocolate de mesa', [
        ['180 g', 28, 40],
        ['540 g', 72, 98],
      ]),
      t('Chocolate en polvo para bebida', [
        ['400 g', 45, 65],
        ['1 kg', 95, 130],
      ]),
      t('Avena en hojuelas', [
        ['400 g', 20, 30],
        ['1 kg', 40, 56],
      ]),
      t('Cereal de hojuelas de maíz', [
        ['300 g', 38, 55],
        ['500 g', 56, 76],
      ]),
      t('Cereal de hojuelas azucaradas', [['300 g', 40, 58]]),
      t('Cereal de arroz inflado sabor chocolate', [['330 g', 45, 65]]),
      t('Granola con miel', [['400 g', 55, 85]]),
      t('Atole en polvo', [['45 g', 8, 12]], {
        flavours: ['Fresa', 'Vainilla', 'Chocolate', 'Nuez', 'Cajeta'],
        join: 'sabor',
      }),
      t('Fécula de maíz', [['47 g', 8, 12]], {
        flavours: ['Natural|natural', 'Vainilla', 'Fresa', 'Chocolate'],
        join: 'sabor',
      }),
      t('Gelatina en polvo', [['120 g', 12, 18]], {
        flavours: ['Fresa', 'Limón', 'Uva', 'Piña', 'Frambuesa', 'Mango'],
        join: 'sabor',
        perBrand: 2,
      }),
      // Drink concentrates are excluded from the 0 % rate.
      t('Polvo para preparar agua', [['15 g', 5, 8]], {
        flavours: ['Jamaica', 'Horchata', 'Tamarindo', 'Limón', 'Mango', 'Piña'],
        join: 'sabor',
        perBrand: 2,
        tax: 'IVA16',
      }),
      t('Concentrado líquido para agua', [['700 ml', 38, 55]], {
        flavours: ['Jamaica', 'Horchata', 'Tamarindo', 'Guayaba'],
        join: 'sabor',
        tax: 'IVA16',
      }),
      t('Puré de tomate', [
        ['210 g', 8, 13],
        ['1 kg', 32, 45],
      ]),
      t('Consomé de pollo en polvo', [
        ['100 g', 18, 28],
        ['225 g', 38, 52],
      ]),
      t('Mayonesa con jugo de limón', [
        ['190 g', 22, 32],
        ['390 g', 40, 56],
        ['790 g', 72, 98],
      ]),
      t('Mostaza amarilla', [['200 g', 18, 28]]),
      t('Salsa cátsup', [
        ['370 g', 22, 32],
        ['1 kg', 48, 66],
      ]),
      t('Salsa picante botanera', [
        ['150 ml', 12, 18],
        ['1 L', 36, 52],
      ]),
      t('Salsa picante de chile habanero', [['120 ml', 22, 34]]),
      t('Salsa inglesa', [['145 ml', 30, 45]]),
      t('Salsa de soya', [['145 ml', 25, 38]]),
      t('Vinagre blanco', [['1 L', 14, 22]]),
      t('Vinagre de manzana', [['1 L', 24, 36]]),
      t('Mole en pasta', [['235 g', 45, 65]], { flavours: ['Rojo|rojo', 'Poblano|poblano', 'Verde|verde'] }),
      t('Pipián en pasta', [['235 g', 48, 68]]),
      t('Miel de abeja', [
        ['300 g', 55, 80],
        ['500 g', 88, 125],
      ]),
      t('Mermelada', [['470 g', 35, 52]], {
        flavours: ['Fresa', 'Zarzamora', 'Piña', 'Durazno', 'Chabacano'],
        join: 'de',
      }),
      t('Crema de cacahuate', [['340 g', 45, 65]]),
      t('Miel sabor maple', [['500 ml', 38, 55]]),
      t('Tostadas de maíz horneadas', [['300 g', 25, 36]]),
      t('Huevo blanco', [
        ['12 pzas', 38, 52],
        ['18 pzas', 55, 76],
        ['30 pzas', 88, 118],
      ]),
      t('Huevo rojo', [['12 pzas', 42, 58]]),
      t('Chile guajillo seco', [['100 g', 22, 32]]),
      t('Chile de árbol seco', [['50 g', 14, 22]]),
      t('Chile ancho seco', [['100 g', 28, 42]]),
      t('Chile pasilla seco', [['100 g', 30, 44]]),
      t('Canela en raja', [['40 g', 18, 28]]),
      t('Pimienta negra molida', [['50 g', 22, 32]]),
      t('Orégano seco', [['20 g', 10, 16]]),
      t('Comino molido', [['40 g', 14, 22]]),
      t('Bicarbonato de sodio', [['160 g', 10, 16]]),
      t('Polvo para hornear', [['220 g', 28, 40]]),
      t('Levadura seca', [['100 g', 22, 34]]),
      t('Piloncillo', [['500 g', 22, 34]]),
    ],
  },
  {
    name: 'Enlatados',
    skuPrefix: 'ENL',
    fiscalProductCode: '50461500',
    tax: 'IVA0',
    pool: 'ENL',
    brandsPerTemplate: 6,
    costBasisPoints: [7000, 7800],
    templates: [
      t('Jalapeños en escabeche', [
        ['105 g', 9, 14],
        ['220 g', 14, 22],
        ['380 g', 22, 32],
        ['800 g', 40, 56],
        ['2.8 kg', 115, 155],
      ]),
      t('Rajas de jalapeño en escabeche', [
        ['220 g', 14, 22],
        ['380 g', 23, 33],
      ]),
      t('Chiles serranos en escabeche', [['220 g', 15, 23]]),
      t('Chiles güeros en escabeche', [['210 g', 16, 24]]),
      t('Chiles chipotles adobados', [
        ['105 g', 12, 18],
        ['215 g', 22, 32],
        ['380 g', 38, 52],
      ]),
      t('Chiles en vinagre con verduras', [['380 g', 22, 32]]),
      t('Zanahorias en escabeche', [['220 g', 14, 20]]),
      t('Nopalitos en salmuera', [['440 g', 16, 24]]),
      t(
        'Frijoles refritos',
        [
          ['430 g', 18, 26],
          ['580 g', 24, 34],
        ],
        {
          flavours: ['Bayos|bayos', 'Negros|negros'],
        },
      ),
      t('Frijoles enteros', [['560 g', 20, 30]], { flavours: ['Bayos|bayos', 'Negros|negros', 'Peruanos|peruanos'] }),
      t('Frijoles charros', [['560 g', 24, 34]]),
      t('Atún en agua', [
        ['140 g', 18, 26],
        ['295 g', 38, 52],
      ]),
      t('Atún en aceite', [['140 g', 18, 26]]),
      t('Atún con verduras', [['160 g', 20, 28]]),
      t('Sardinas en salsa de tomate', [
        ['215 g', 18, 26],
        ['425 g', 30, 42],
      ]),
      t('Sardinas en salsa picante', [['425 g', 32, 44]]),
      t('Elote dorado en grano', [
        ['220 g', 12, 18],
        ['400 g', 18, 26],
      ]),
      t('Chícharos con zanahoria', [
        ['215 g', 11, 16],
        ['400 g', 18, 26],
      ]),
      t('Champiñones rebanados', [
        ['186 g', 20, 30],
        ['380 g', 35, 48],
      ]),
      t('Ensalada de legumbres', [['400 g', 20, 28]]),
      t('Garbanzos cocidos', [['400 g', 20, 30]]),
      t('Maíz pozolero', [
        ['820 g', 28, 40],
        ['3 kg', 85, 115],
      ]),
      t('Piña en almíbar', [
        ['425 g', 24, 34],
        ['800 g', 38, 52],
      ]),
      t('Duraznos en almíbar', [['820 g', 38, 55]]),
      t('Coctel de frutas en almíbar', [['820 g', 40, 58]]),
      t('Mango en almíbar', [['800 g', 42, 60]]),
      t('Leche condensada', [['387 g', 26, 36]]),
      t('Leche evaporada', [['360 g', 18, 26]]),
      t('Salsa verde', [
        ['210 g', 12, 18],
        ['453 g', 22, 32],
      ]),
      t('Salsa ranchera', [['210 g', 12, 18]]),
      t('Salsa para pasta', [['350 g', 28, 40]], {
        flavours: ['Tradicional|tradicional', 'Champiñones|con champiñones', 'Cuatro quesos|cuatro quesos'],
      }),
      t('Salchichas tipo Viena en lata', [['140 g', 18, 26]]),
      t('Aceitunas verdes sin hueso', [['200 g', 28, 42]]),
    ],
  },
  {
    name: 'Bebidas',
    skuPrefix: 'BEB',
    fiscalProductCode: '50202300',
    tax: 'IVA16',
    pool: 'SODA',
    brandsPerTemplate: 6,
    costBasisPoints: [7000, 7900],
    templates: [
      t('Refresco de cola', [
        ['355 ml', 14, 18],
        ['600 ml', 17, 22],
        ['2 L', 33, 42],
        ['3 L', 45, 58],
      ]),
      t('Refresco de cola sin azúcar', [
        ['600 ml', 17, 22],
        ['2 L', 33, 42],
      ]),
      t(
        'Refresco',
        [
          ['600 ml', 16, 21],
          ['2 L', 30, 40],
        ],
        {
          flavours: ['Naranja', 'Toronja', 'Manzana', 'Limón', 'Uva', 'Tamarindo', 'Mandarina', 'Piña', 'Fresa'],
          join: 'sabor',
          perBrand: 3,
        },
      ),
      t('Agua mineral', [
        ['355 ml', 14, 19],
        ['600 ml', 16, 21],
        ['1.5 L', 26, 36],
      ]),
      t('Agua mineral preparada', [['600 ml', 16, 22]], {
        flavours: ['Limón', 'Toronja', 'Mandarina'],
        join: 'sabor',
      }),
      t('Agua natural', [
        ['600 ml', 9, 13],
        ['1 L', 12, 17],
        ['1.5 L', 14, 20],
      ]),
      // Plain water in containers of 10 L or more is the one drink at 0 %.
      t('Agua natural en garrafón', [['20 L', 40, 60]], { tax: 'IVA0', brands: 3 }),
      t(
        'Jugo',
        [
          ['250 ml', 10, 14],
          ['1 L', 28, 40],
        ],
        {
          flavours: ['Naranja', 'Manzana', 'Uva', 'Piña', 'Toronja'],
          join: 'de',
          perBrand: 2,
        },
      ),
      t(
        'Néctar',
        [
          ['335 ml', 14, 19],
          ['1 L', 28, 38],
        ],
        {
          flavours: ['Durazno', 'Mango', 'Guayaba', 'Pera', 'Manzana'],
          join: 'de',
          perBrand: 2,
        },
      ),
      t('Bebida de soya', [['946 ml', 32, 45]], {
        flavours: ['Natural|natural', 'Chocolate', 'Vainilla'],
        join: 'sabor',
      }),
      t('Bebida de almendra', [['946 ml', 45, 62]]),
      t('Té helado', [['600 ml', 16, 22]], { flavours: ['Limón', 'Durazno', 'Frutos rojos'], join: 'sabor' }),
      t(
        'Bebida isotónica',
        [
          ['600 ml', 18, 24],
          ['1 L', 26, 34],
        ],
        {
          flavours: ['Lima-limón', 'Naranja', 'Uva', 'Frutas tropicales', 'Mora azul'],
          join: 'sabor',
          perBrand: 2,
        },
      ),
      t('Bebida energética', [
        ['250 ml', 22, 30],
        ['473 ml', 32, 45],
      ]),
      t('Bebida energética sin azúcar', [['473 ml', 34, 46]]),
      t('Café frío listo para beber', [['281 ml', 22, 32]], {
        flavours: ['Capuchino', 'Moka', 'Vainilla'],
        join: 'sabor',
      }),
      t('Agua de coco', [['1 L', 45, 65]]),
      t('Agua fresca embotellada', [['1 L', 22, 32]], {
        flavours: ['Jamaica', 'Horchata', 'Tamarindo', 'Limón con chía'],
        join: 'de',
      }),
      t('Agua tónica', [['355 ml', 16, 22]]),
      t(
        'Cerveza clara',
        [
          ['355 ml', 18, 24],
          ['473 ml', 22, 29],
          ['1.2 L', 45, 58],
          ['12 latas de 355 ml', 195, 245],
        ],
        {
          pool: 'BEER',
          brands: 5,
        },
      ),
      t(
        'Cerveza oscura',
        [
          ['355 ml', 20, 26],
          ['1.2 L', 48, 62],
        ],
        { pool: 'BEER', brands: 4 },
      ),
      t('Cerveza tipo ámbar', [['355 ml', 21, 28]], { pool: 'BEER', brands: 3 }),
      t('Cerveza sin alcohol', [['355 ml', 19, 25]], { pool: 'BEER', brands: 2 }),
      t(
        'Tequila blanco',
        [
          ['750 ml', 180, 320],
          ['1 L', 240, 400],
        ],
        { pool: 'SPIRITS', brands: 4 },
      ),
      t('Tequila reposado', [['750 ml', 220, 380]], { pool: 'SPIRITS', brands: 4 }),
      t('Mezcal joven', [['750 ml', 320, 520]], { pool: 'SPIRITS', brands: 3 }),
      t('Ron blanco', [['980 ml', 150, 240]], { pool: 'SPIRITS', brands: 3 }),
      t('Ron añejo', [['750 ml', 190, 290]], { pool: 'SPIRITS', brands: 3 }),
      t('Brandy', [['1 L', 190, 280]], { pool: 'SPIRITS', brands: 3 }),
      t('Vodka', [['1 L', 150, 230]], { pool: 'SPIRITS', brands: 3 }),
      t('Vino tinto de mesa', [['750 ml', 120, 220]], { pool: 'SPIRITS', brands: 4 }),
      t('Bebida preparada con alcohol', [['355 ml', 25, 35]], {
        flavours: ['Paloma', 'Mojito', 'Piña colada', 'Margarita'],
        join: 'sabor',
        pool: 'SPIRITS',
        brands: 4,
      }),
    ],
  },
  {
    name: 'Lácteos',
    skuPrefix: 'LAC',
    fiscalProductCode: '50131700',
    tax: 'IVA0',
    pool: 'LAC',
    brandsPerTemplate: 6,
    costBasisPoints: [7400, 7900],
    templates: [
      t('Leche entera', [
        ['1 L', 26, 32],
        ['1.5 L', 38, 47],
      ]),
      t('Leche semidescremada', [['1 L', 26, 32]]),
      t('Leche descremada', [['1 L', 26, 33]]),
      t('Leche deslactosada', [
        ['1 L', 28, 34],
        ['1.5 L', 40, 50],
      ]),
      t('Leche deslactosada light', [['1 L', 29, 35]]),
      t('Leche en polvo entera', [
        ['360 g', 85, 115],
        ['800 g', 165, 220],
      ]),
      t(
        'Leche saborizada',
        [
          ['250 ml', 12, 17],
          ['1 L', 30, 40],
        ],
        {
          flavours: ['Chocolate', 'Fresa', 'Vainilla'],
          join: 'sabor',
        },
      ),
      t('Yogur natural', [['1 kg', 38, 55]]),
      t('Yogur griego natural', [['1 kg', 65, 90]]),
      t(
        'Yogur bebible',
        [
          ['250 g', 10, 15],
          ['1 kg', 32, 45],
        ],
        {
          flavours: ['Fresa', 'Durazno', 'Mango', 'Fresa con plátano', 'Natural|natural'],
          join: 'de',
          perBrand: 2,
        },
      ),
      t('Yogur batido', [['140 g', 10, 14]], {
        flavours: ['Fresa', 'Durazno', 'Nuez', 'Coco', 'Manzana'],
        join: 'sabor',
      }),
      t('Leche fermentada', [['5 pzas', 20, 28]]),
      t('Queso fresco', [['400 g', 55, 80]]),
      t('Queso panela', [['400 g', 60, 85]]),
      t('Queso Oaxaca', [
        ['400 g', 75, 110],
        ['1 kg', 170, 230],
      ]),
      t('Queso manchego', [['400 g', 85, 125]]),
      t('Queso amarillo en rebanadas', [
        ['140 g', 28, 38],
        ['500 g', 85, 115],
      ]),
      t('Queso cotija', [['200 g', 50, 75]]),
      t('Queso doble crema', [['400 g', 70, 95]]),
      t('Queso crema', [['190 g', 35, 48]]),
      t('Requesón', [['400 g', 40, 58]]),
      t('Crema ácida', [
        ['200 ml', 18, 25],
        ['450 ml', 35, 48],
        ['900 ml', 62, 82],
      ]),
      t('Media crema', [['225 g', 18, 26]]),
      t('Mantequilla sin sal', [
        ['90 g', 22, 30],
        ['225 g', 52, 72],
      ]),
      t('Mantequilla con sal', [['90 g', 22, 30]]),
      t('Margarina', [['225 g', 22, 32]]),
      t('Jocoque', [['400 g', 30, 45]]),
    ],
  },
  {
    name: 'Panadería',
    skuPrefix: 'PAN',
    fiscalProductCode: '50181900',
    tax: 'IVA0',
    pool: 'PAN',
    brandsPerTemplate: 6,
    costBasisPoints: [7000, 7800],
    templates: [
      t('Pan blanco de caja', [
        ['450 g', 34, 44],
        ['680 g', 45, 58],
      ]),
      t('Pan integral de caja', [['680 g', 50, 65]]),
      t('Pan multigrano de caja', [['600 g', 55, 72]]),
      t('Pan para hot dog', [['8 pzas', 35, 48]]),
      t('Pan para hamburguesa', [['8 pzas', 38, 52]]),
      t('Tortillas de maíz', [
        ['500 g', 13, 18],
        ['1 kg', 22, 30],
      ]),
      t('Tortillas de harina', [
        ['10 pzas', 22, 32],
        ['20 pzas', 38, 52],
      ]),
      t('Tortillas de harina integral', [['10 pzas', 28, 38]]),
      t('Pan tostado', [['210 g', 30, 42]]),
      t('Pan molido', [['210 g', 18, 26]]),
      t('Galletas de avena', [['250 g', 25, 38]]),
      t('Galletas marías', [['170 g', 12, 18]]),
      t('Galletas de animalitos', [['200 g', 15, 22]]),
      t('Galletas saladas', [['170 g', 16, 24]]),
      t('Galletas con chispas de chocolate', [['250 g', 32, 46]]),
      t('Galletas rellenas', [['114 g', 14, 20]], { flavours: ['Vainilla', 'Chocolate', 'Fresa'], join: 'sabor' }),
      t('Conchas', [['4 pzas', 28, 38]], { flavours: ['Vainilla', 'Chocolate'], join: 'de' }),
      t('Donas azucaradas', [['4 pzas', 25, 35]]),
      t('Mantecadas', [['6 pzas', 30, 42]]),
      t('Panqué', [['255 g', 40, 58]], { flavours: ['Nuez', 'Mármol', 'Pasas', 'Naranja'], join: 'de' }),
      t('Pastelitos de chocolate rellenos', [['2 pzas', 18, 26]]),
      t('Roles de canela', [['4 pzas', 35, 48]]),
      t('Bísquets', [['4 pzas', 30, 42]]),
      t('Polvorones', [['180 g', 20, 30]]),
      t('Barras de trigo rellenas', [['6 pzas', 40, 55]], { flavours: ['Fresa', 'Piña', 'Zarzamora'], join: 'de' }),
    ],
  },
  {
    name: 'Botanas',
    skuPrefix: 'BOT',
    fiscalProductCode: '50192100',
    // Food is 0 % IVA in Mexico (LIVA art. 2-A) even when high in calories; those carry IEPS
    // instead, which the catalog does not model yet.
    tax: 'IVA0',
    pool: 'BOT',
    brandsPerTemplate: 7,
    costBasisPoints: [6800, 7600],
    templates: [
      t(
        'Papas fritas',
        [
          ['45 g', 17, 22],
          ['150 g', 42, 56],
        ],
        {
          flavours: ['Sal|con sal', 'Limón', 'Queso', 'Chile y limón', 'Habanero', 'Jalapeño'],
          join: 'sabor',
          perBrand: 2,
        },
      ),
      t(
        'Papas onduladas',
        [
          ['45 g', 17, 22],
          ['170 g', 45, 60],
        ],
        {
          flavours: ['Sal|con sal', 'Crema y especias', 'Queso'],
          join: 'sabor',
        },
      ),
      t(
        'Totopos de maíz',
        [
          ['180 g', 28, 38],
          ['400 g', 48, 65],
        ],
        {
          flavours: ['Naturales|naturales', 'Chile y limón|con chile y limón'],
        },
      ),
      t('Frituras de maíz', [['60 g', 16, 21]], { flavours: ['Chile y limón', 'Queso', 'Chile'], join: 'sabor' }),
      t('Churritos de maíz con chile y limón', [['60 g', 14, 19]]),
      t('Chicharrón de harina', [['120 g', 18, 26]]),
      t('Chicharrón de cerdo', [['60 g', 28, 38]]),
      t('Cacahuates japoneses', [
        ['110 g', 16, 22],
        ['1 kg', 95, 130],
      ]),
      t('Cacahuates salados', [['90 g', 14, 20]]),
      t('Cacahuates enchilados', [['90 g', 14, 20]]),
      t('Pepitas saladas', [['80 g', 22, 32]]),
      t('Semillas de girasol', [['70 g', 14, 20]]),
      t('Mezcla de frutos secos', [['150 g', 55, 80]]),
      t('Palomitas para microondas', [['80 g', 12, 18]], {
        flavours: ['Mantequilla', 'Naturales|naturales', 'Extra mantequilla|extra mantequilla'],
        join: 'sabor',
      }),
      t('Palomitas acarameladas', [['100 g', 18, 26]]),
      t('Cueritos en vinagre', [['250 g', 30, 45]]),
      t('Plátano frito enchilado', [['100 g', 20, 28]]),
      t('Habas enchiladas', [['100 g', 18, 26]]),
      t('Garbanzos enchilados', [['100 g', 18, 26]]),
      t('Ruedas de harina con chile', [['100 g', 14, 20]]),
      t('Galletas pretzel', [['150 g', 25, 35]]),
    ],
  },
  {
    name: 'Dulcería',
    skuPrefix: 'DUL',
    fiscalProductCode: '50161800',
    // 0 % like other food (LIVA art. 2-A); chewing gum is the named exception at 16 %.
    tax: 'IVA0',
    pool: 'DUL',
    brandsPerTemplate: 6,
    costBasisPoints: [6200, 7200],
    templates: [
      t('Chocolate con leche en barra', [
        ['40 g', 16, 22],
        ['100 g', 35, 48],
      ]),
      t('Chocolate amargo 70 % cacao', [['100 g', 45, 65]]),
      t('Chocolate con almendras', [['40 g', 18, 25]]),
      t('Chocolate blanco', [['40 g', 16, 22]]),
      t('Malvaviscos', [['180 g', 22, 32]]),
      t('Paletas de caramelo surtidas', [['40 pzas', 55, 80]]),
      t('Paletas de tamarindo enchiladas', [['10 pzas', 30, 44]]),
      t('Dulce de tamarindo con chile', [['30 pzas', 45, 65]]),
      t('Mazapán de cacahuate', [
        ['28 g', 5, 7],
        ['30 pzas', 95, 125],
      ]),
      t('Obleas con cajeta', [['6 pzas', 18, 26]]),
      t('Cajeta quemada', [['370 g', 45, 60]]),
      t('Chicles', [['12 pzas', 10, 15]], {
        flavours: ['Menta', 'Hierbabuena', 'Canela', 'Sandía'],
        join: 'sabor',
        tax: 'IVA16',
      }),
      t('Chicles de bola', [['50 pzas', 45, 65]], { tax: 'IVA16' }),
      t(
        'Gomitas',
        [
          ['100 g', 14, 20],
          ['1 kg', 95, 130],
        ],
        {
          flavours: ['Frutas|de frutas', 'Enchiladas|enchiladas', 'Ositos|de ositos', 'Gusanitos ácidos|gusanitos ácidos'],
        },
      ),
      t('Caramelos suaves masticables', [['10 pzas', 12, 18]], {
        flavours: ['Fresa', 'Uva', 'Limón', 'Mango'],
        join: 'sabor',
      }),
      t('Pastillas de menta', [['30 g', 14, 22]]),
      t('Cocadas', [['6 pzas', 24, 36]]),
      t('Alegrías de amaranto', [['4 pzas', 20, 30]]),
      t('Palanquetas de cacahuate', [['2 pzas', 14, 22]]),
      t('Jamoncillo de leche', [['6 pzas', 30, 44]]),
      t('Polvo de chile con limón', [['100 g', 14, 22]]),
      t('Chamoy líquido', [
        ['500 ml', 25, 38],
        ['1 L', 42, 60],
      ]),
      t('Barras de cereal', [['6 pzas', 38, 55]], {
        flavours: ['Fresa', 'Manzana', 'Nuez', 'Chocolate'],
        join: 'sabor',
      }),
    ],
  },
  {
    name: 'Frutas y verduras',
    skuPrefix: 'FYV',
    fiscalProductCode: '50300000',
    tax: 'IVA0',
    pool: 'FYV',
    brandsPerTemplate: 3,
    costBasisPoints: [6100, 7200],
    pluStart: 101,
    templates: [
      kg('Limón', 28, 45),
      kg('Plátano', 20, 30),
      kg('Plátano macho', 24, 35),
      kg('Jitomate saladet', 28, 45),
      kg('Jitomate bola', 32, 48),
      kg('Tomate verde', 25, 40),
      kg('Aguacate Hass', 60, 95),
      kg('Cebolla blanca', 25, 38),
      kg('Cebolla morada', 32, 45),
      kg('Papa blanca', 28, 40),
      kg('Zanahoria', 16, 25),
      kg('Chile serrano', 40, 65),
      kg('Chile jalapeño', 35, 55),
      kg('Chile poblano', 45, 70),
      kg('Calabacita', 25, 38),
      kg('Chayote', 20, 32),
      kg('Pepino', 18, 28),
      kg('Nopal', 20, 32),
      kg('Brócoli', 40, 60),
      kg('Ejote', 40, 60),
      kg('Ajo', 90, 140),
      kg('Jícama', 22, 32),
      kg('Betabel', 22, 35),
      kg('Manzana roja', 45, 65),
      kg('Manzana verde', 50, 70),
      kg('Pera', 50, 70),
      kg('Naranja', 18, 28),
      kg('Mandarina', 25, 40),
      kg('Toronja', 22, 35),
      kg('Mango Ataulfo', 35, 55),
      kg('Papaya maradol', 28, 40),
      kg('Sandía', 18, 28),
      kg('Melón chino', 25, 38),
      kg('Guayaba', 35, 50),
      kg('Uva verde sin semilla', 70, 110),
      kg('Piña miel', 25, 38),
      t('Ensalada de lechuga lista para servir', [['300 g', 30, 42]]),
      t('Zanahoria baby', [['454 g', 32, 45]]),
      t('Champiñón blanco entero', [['227 g', 28, 40]]),
      t('Fresa en charola', [['454 g', 45, 65]]),
      t('Arándanos', [['170 g', 45, 65]]),
      t('Frambuesas', [['170 g', 55, 78]]),
      t('Nopales limpios picados', [['500 g', 20, 30]]),
      t('Espinaca baby', [['170 g', 35, 48]]),
      t('Jitomate cherry', [['300 g', 30, 45]]),
      t('Aguacate Hass en malla', [['1 kg', 60, 90]]),
      t('Limón sin semilla en malla', [['1 kg', 30, 45]]),
      t('Papa blanca en bolsa', [['2 kg', 50, 70]]),
      t('Mezcla de verduras congeladas', [['500 g', 30, 45]]),
      t('Elotes tiernos en charola', [['3 pzas', 28, 40]]),
    ],
  },
  {
    name: 'Salchichonería',
    skuPrefix: 'SAL',
    fiscalProductCode: '50112000',
    tax: 'IVA0',
    pool: 'SAL',
    brandsPerTemplate: 4,
    costBasisPoints: [6500, 7500],
    pluStart: 401,
    templates: [
      kg('Jamón de pavo', 130, 190, { brands: 2 }),
      kg('Jamón de pierna', 150, 220, { brands: 1 }),
      kg('Jamón virginia', 170, 240, { brands: 1 }),
      kg('Pechuga de pavo', 220, 300, { brands: 1 }),
      kg('Queso Oaxaca', 150, 220, { brands: 2 }),
      kg('Queso panela', 130, 180, { brands: 1 }),
      kg('Queso manchego', 190, 260, { brands: 1 }),
      kg('Queso fresco', 120, 170, { brands: 1 }),
      kg('Queso amarillo', 160, 220, { brands: 1 }),
      kg('Salchicha de pavo a granel', 90, 130, { brands: 1 }),
      kg('Chorizo a granel', 120, 180, { brands: 1 }),
      kg('Longaniza a granel', 110, 160, { brands: 1 }),
      kg('Salami', 200, 280, { brands: 1 }),
      kg('Mortadela', 110, 160, { brands: 1 }),
      kg('Tocino', 200, 280, { brands: 1 }),
      kg('Queso de puerco a granel', 120, 170, { brands: 1 }),
      t('Jamón de pavo rebanado', [
        ['290 g', 45, 65],
        ['500 g', 72, 98],
      ]),
      t('Jamón de pierna rebanado', [['250 g', 50, 72]]),
      t('Jamón virginia rebanado', [['250 g', 55, 78]]),
      t('Pechuga de pavo natural rebanada', [['250 g', 75, 105]]),
      t('Salchicha de pavo', [
        ['500 g', 38, 55],
        ['1 kg', 70, 95],
      ]),
      t('Salchicha tipo Viena', [['500 g', 35, 50]]),
      t('Salchicha para asar', [['500 g', 60, 85]]),
      t('Chorizo de cerdo', [['250 g', 28, 40]]),
      t('Chorizo de pavo', [['250 g', 32, 44]]),
      t('Longaniza de cerdo', [['500 g', 55, 78]]),
      t('Tocino ahumado rebanado', [['250 g', 55, 78]]),
      t('Salami rebanado', [['100 g', 30, 44]]),
      t('Queso de puerco', [['250 g', 35, 50]]),
      t('Mortadela rebanada', [['250 g', 30, 44]]),
      t('Chistorra', [['250 g', 50, 72]]),
    ],
  },
  {
    name: 'Carnes',
    skuPrefix: 'CAR',
    fiscalProductCode: '50111500',
    tax: 'IVA0',
    pool: 'CAR',
    brandsPerTemplate: 3,
    costBasisPoints: [6800, 7600],
    pluStart: 701,
    templates: [
      kg('Bistec de res', 200, 260),
      kg('Carne molida de res', 160, 210),
      kg('Carne molida de cerdo', 120, 160),
      kg('Milanesa de res', 210, 270),
      kg('Carne para deshebrar', 170, 230),
      kg('Cecina de res', 260, 340),
      kg('Arrachera marinada', 280, 380),
      kg('Retazo de res con hueso', 90, 130),
      kg('Hígado de res', 80, 110),
      kg('Pechuga de pollo', 110, 150),
      kg('Pierna y muslo de pollo', 70, 95),
      kg('Pollo entero', 60, 80),
      kg('Alitas de pollo', 90, 120),
      kg('Milanesa de pollo', 130, 170),
      kg('Costilla de cerdo', 120, 160),
      kg('Chuleta de cerdo', 110, 150),
      kg('Lomo de cerdo', 120, 160),
      kg('Carne al pastor', 130, 170),
      kg('Filete de tilapia', 110, 160),
      t('Hamburguesas de res', [['6 pzas', 65, 90]]),
      t('Nuggets de pollo', [['500 g', 60, 85]]),
      t('Milanesa de pollo empanizada', [['500 g', 70, 95]]),
      t('Alitas de pollo adobadas', [['1 kg', 110, 150]]),
      t('Filete de tilapia congelado', [['1 kg', 110, 160]]),
      t('Camarón cocido congelado', [['400 g', 95, 140]]),
      t('Pechuga de pollo sin hueso congelada', [['1 kg', 120, 160]]),
      t('Albóndigas de res congeladas', [['500 g', 70, 95]]),
    ],
  },
  {
    name: 'Limpieza',
    skuPrefix: 'LIM',
    fiscalProductCode: '47131800',
    tax: 'IVA16',
    pool: 'LIM',
    brandsPerTemplate: 6,
    costBasisPoints: [6800, 7800],
    templates: [
      t('Detergente en polvo', [
        ['500 g', 20, 30],
        ['1 kg', 35, 50],
        ['5 kg', 150, 210],
      ]),
      t('Detergente líquido para ropa', [
        ['1 L', 40, 58],
        ['3 L', 110, 160],
      ]),
      t('Detergente líquido para ropa de color', [['1 L', 42, 60]]),
      t('Jabón de lavandería en barra', [['400 g', 20, 30]]),
      t(
        'Suavizante de telas',
        [
          ['850 ml', 28, 40],
          ['2.8 L', 70, 95],
        ],
        {
          flavours: ['Primavera', 'Lavanda', 'Bebé|para bebé', 'Floral'],
          join: 'aroma',
        },
      ),
      t('Blanqueador con cloro', [
        ['1 L', 14, 20],
        ['3.75 L', 38, 52],
      ]),
      t(
        'Limpiador multiusos',
        [
          ['1 L', 22, 32],
          ['2 L', 38, 52],
        ],
        {
          flavours: ['Lavanda', 'Limón', 'Floral', 'Brisa marina', 'Pino'],
          join: 'aroma',
          perBrand: 2,
        },
      ),
      t('Desinfectante de pino', [['1 L', 24, 34]]),
      t(
        'Lavatrastes líquido',
        [
          ['750 ml', 28, 40],
          ['1.1 L', 40, 55],
        ],
        {
          flavours: ['Limón', 'Manzana', 'Naranja'],
          join: 'aroma',
        },
      ),
      t('Lavatrastes en pasta', [['500 g', 22, 32]]),
      t('Fibra con esponja para trastes', [['3 pzas', 22, 32]]),
      t('Fibra metálica', [['3 pzas', 15, 24]]),
      t('Escoba de plástico', [['', 55, 85]]),
      t('Trapeador de algodón', [['', 55, 85]]),
      t('Recogedor con mango', [['', 40, 65]]),
      t('Cubeta de plástico', [['10 L', 45, 70]]),
      t('Bolsas para basura grandes', [['10 pzas', 25, 38]]),
      t('Bolsas para basura medianas', [['20 pzas', 28, 40]]),
      t('Papel higiénico', [
        ['4 rollos', 28, 42],
        ['12 rollos', 85, 120],
        ['20 rollos', 135, 185],
      ]),
      t('Servilletas de papel', [
        ['100 pzas', 14, 22],
        ['500 pzas', 55, 78],
      ]),
      t('Toallas de papel para cocina', [['2 rollos', 35, 50]]),
      t('Insecticida en aerosol', [['400 ml', 65, 95]]),
      t('Aromatizante en aerosol', [['400 ml', 38, 55]], {
        flavours: ['Lavanda', 'Vainilla', 'Manzana con canela', 'Pino'],
        join: 'aroma',
      }),
      t('Limpiavidrios', [['650 ml', 35, 50]]),
      t('Quitagrasa', [['650 ml', 40, 58]]),
      t('Limpiador de sarro para baño', [['650 ml', 45, 65]]),
      t('Pastilla aromatizante para tanque de baño', [['', 25, 38]]),
      t('Guantes de látex para limpieza', [['1 par', 28, 40]], {
        flavours: ['Talla CH|talla CH', 'Talla M|talla M', 'Talla G|talla G'],
      }),
      t('Cerillos de madera', [['10 cajas', 16, 26]]),
      t('Veladora de vaso', [['', 22, 38]]),
      t('Carbón vegetal', [['3 kg', 55, 80]]),
      t('Vasos desechables', [['50 pzas', 28, 42]]),
      t('Platos desechables', [['20 pzas', 22, 35]]),
      t('Cucharas desechables', [['25 pzas', 14, 22]]),
      t('Papel aluminio', [['7 m', 25, 38]]),
      t('Plástico adherente', [['30 m', 35, 52]]),
    ],
  },
  {
    name: 'Higiene personal',
    skuPrefix: 'HIG',
    fiscalProductCode: '53131600',
    tax: 'IVA16',
    pool: 'HIG',
    brandsPerTemplate: 7,
    costBasisPoints: [6500, 7600],
    templates: [
      t('Jabón de tocador', [['150 g', 16, 24]], {
        flavours: ['Avena|con avena', 'Sábila|con sábila', 'Coco|de coco', 'Neutro|neutro', 'Rosas|de rosas'],
        perBrand: 2,
      }),
      t('Jabón de tocador antibacterial', [['150 g', 18, 26]]),
      t(
        'Shampoo',
        [
          ['400 ml', 40, 60],
          ['750 ml', 65, 95],
        ],
        {
          flavours: [
            'Manzanilla|con manzanilla',
            'Anticaspa|anticaspa',
            'Romero|con romero',
            'Sábila|con sábila',
            'Cabello rizado|para cabello rizado',
          ],
          perBrand: 2,
        },
      ),
      t('Acondicionador', [['400 ml', 42, 62]], {
        flavours: ['Manzanilla|con manzanilla', 'Sábila|con sábila', 'Reparador|reparador'],
      }),
      t('Crema corporal', [['400 ml', 45, 68]], {
        flavours: ['Sábila|con sábila', 'Almendras|de almendras', 'Avena|con avena'],
      }),
      t('Crema para manos', [['100 ml', 25, 38]]),
      t('Desodorante en aerosol para caballero', [['150 ml', 55, 80]]),
      t('Desodorante en barra para dama', [['50 g', 50, 75]]),
      t('Desodorante roll-on', [['50 ml', 40, 60]]),
      t('Pasta dental con flúor', [
        ['100 ml', 22, 35],
        ['150 ml', 32, 46],
      ]),
      t('Pasta dental blanqueadora', [['75 ml', 35, 50]]),
      t('Pasta dental para dientes sensibles', [['100 ml', 55, 80]]),
      t('Cepillo dental', [['', 15, 28]], { flavours: ['Suave|de cerdas suaves', 'Medio|de cerdas medias'] }),
      t('Enjuague bucal', [['500 ml', 55, 85]]),
      t('Hilo dental', [['50 m', 30, 45]]),
      t('Toallas femeninas con alas', [['10 pzas', 28, 40]], {
        flavours: ['Regulares|regulares', 'Nocturnas|nocturnas'],
      }),
      t('Protectores diarios', [['40 pzas', 35, 52]]),
      t('Tampones regulares', [['16 pzas', 55, 78]]),
      t('Rastrillos desechables', [['3 pzas', 30, 45]]),
      t('Espuma para afeitar', [['200 ml', 45, 65]]),
      t('Gel para cabello', [['250 g', 22, 34]], {
        flavours: ['Fijación extra|fijación extra', 'Fijación normal|fijación normal'],
      }),
      t('Crema para peinar', [['300 ml', 35, 52]]),
      t('Talco para pies', [['160 g', 38, 55]]),
      t('Pañuelos desechables', [['90 pzas', 20, 30]]),
      t('Jabón líquido para manos', [['250 ml', 28, 40]], {
        flavours: ['Antibacterial|antibacterial', 'Frutos rojos|aroma frutos rojos', 'Sábila|con sábila'],
      }),
      t('Gel antibacterial para manos', [
        ['250 ml', 30, 45],
        ['1 L', 85, 120],
      ]),
      t('Tinte para cabello', [['', 60, 95]], {
        flavours: ['Negro', 'Castaño oscuro', 'Castaño claro', 'Rubio', 'Caoba'],
        join: 'color',
      }),
      t('Esmalte para uñas', [['15 ml', 25, 40]], {
        flavours: ['Rojo|rojo', 'Rosa|rosa', 'Transparente|transparente', 'Coral|coral'],
      }),
      t('Quitaesmalte', [['120 ml', 22, 34]]),
      t('Bloqueador solar FPS 50', [['120 ml', 110, 170]]),
      t('Hisopos de algodón', [['100 pzas', 18, 28]]),
    ],
  },
  {
    name: 'Bebés',
    skuPrefix: 'BBS',
    fiscalProductCode: '53102305',
    tax: 'IVA16',
    pool: 'BBS',
    brandsPerTemplate: 5,
    costBasisPoints: [7200, 7900],
    templates: [
      t('Pañales etapa 1', [
        ['20 pzas', 130, 180],
        ['40 pzas', 250, 330],
      ]),
      t('Pañales etapa 2', [
        ['20 pzas', 135, 185],
        ['40 pzas', 255, 340],
      ]),
      t('Pañales etapa 3', [
        ['20 pzas', 140, 190],
        ['40 pzas', 260, 350],
      ]),
      t('Pañales etapa 4', [
        ['20 pzas', 145, 195],
        ['40 pzas', 270, 370],
      ]),
      t('Pañales etapa 5', [
        ['20 pzas', 150, 205],
        ['40 pzas', 280, 390],
      ]),
      t('Pañales etapa 6', [
        ['18 pzas', 150, 210],
        ['36 pzas', 285, 399],
      ]),
      t('Toallitas húmedas para bebé', [['80 pzas', 40, 60]]),
      // Formula and baby food are food; the rest of the aisle is not.
      t(
        'Fórmula láctea infantil etapa 1',
        [
          ['400 g', 180, 250],
          ['800 g', 330, 450],
        ],
        { tax: 'IVA0' },
      ),
      t('Fórmula láctea infantil etapa 2', [['800 g', 320, 440]], { tax: 'IVA0' }),
      t('Papilla', [['113 g', 16, 24]], {
        flavours: ['Manzana', 'Pera', 'Durazno', 'Mango', 'Ciruela'],
        join: 'de',
        tax: 'IVA0',
      }),
      t('Cereal infantil de arroz', [['225 g', 55, 80]], { tax: 'IVA0' }),
      t('Aceite para bebé', [['200 ml', 55, 80]]),
      t('Shampoo para bebé', [['400 ml', 55, 85]]),
      t('Crema para rozaduras', [['60 g', 45, 70]]),
      t('Talco para bebé', [['200 g', 40, 60]]),
      t('Biberón de plástico', [['9 oz', 60, 95]]),
      t('Chupón de silicón', [['', 35, 60]]),
    ],
  },
  {
    name: 'Mascotas',
    skuPrefix: 'MAS',
    fiscalProductCode: '10121800',
    tax: 'IVA16',
    pool: 'MAS',
    brandsPerTemplate: 5,
    costBasisPoints: [6800, 7800],
    templates: [
      t(
        'Alimento para perro adulto',
        [
          ['2 kg', 90, 130],
          ['4 kg', 170, 240],
          ['20 kg', 700, 950],
        ],
        {
          flavours: ['Res', 'Pollo', 'Carne y vegetales'],
          join: 'sabor',
        },
      ),
      t('Alimento para perro cachorro', [
        ['2 kg', 100, 145],
        ['4 kg', 185, 260],
      ]),
      t('Alimento para perro raza pequeña', [['2 kg', 105, 150]]),
      t('Alimento húmedo para perro', [['375 g', 28, 40]]),
      t(
        'Alimento para gato adulto',
        [
          ['1.5 kg', 95, 140],
          ['3 kg', 180, 250],
        ],
        {
          flavours: ['Pescado', 'Pollo', 'Salmón'],
          join: 'sabor',
        },
      ),
      t('Alimento para gatito', [['1.5 kg', 110, 155]]),
      t('Alimento húmedo para gato', [['85 g', 12, 18]], { flavours: ['Atún', 'Pollo', 'Salmón'], join: 'sabor' }),
      t('Arena para gato', [['5 kg', 70, 110]]),
      t('Premios para perro', [['100 g', 30, 48]]),
      t('Huesos de carnaza', [['3 pzas', 35, 55]]),
      t('Shampoo para perro', [['500 ml', 60, 90]]),
      t('Alpiste para aves', [['500 g', 22, 34]]),
      t('Alimento para peces', [['30 g', 35, 55]]),
    ],
  },
  {
    name: 'Farmacia',
    skuPrefix: 'FAR',
    fiscalProductCode: '51142100',
    tax: 'IVA0',
    pool: 'FAR',
    brandsPerTemplate: 5,
    costBasisPoints: [6100, 7200],
    templates: [
      t('Paracetamol 500 mg', [
        ['10 tabletas', 15, 28],
        ['20 tabletas', 25, 45],
      ]),
      t('Paracetamol suspensión infantil', [['120 ml', 35, 60]]),
      t('Ibuprofeno 400 mg', [['10 tabletas', 20, 38]]),
      t('Naproxeno 250 mg', [['30 tabletas', 30, 55]]),
      t('Ácido acetilsalicílico 500 mg', [['20 tabletas', 20, 38]]),
      t('Loratadina 10 mg', [['10 tabletas', 25, 45]]),
      t('Omeprazol 20 mg', [['14 cápsulas', 25, 50]]),
      t('Butilhioscina 10 mg', [['20 tabletas', 40, 70]]),
      t('Loperamida 2 mg', [['12 tabletas', 25, 45]]),
      t('Antiácido masticable', [['12 tabletas', 20, 35]]),
      t('Jarabe para la tos', [['120 ml', 55, 90]]),
      t('Suero oral', [['625 ml', 22, 34]], { flavours: ['Coco', 'Fresa', 'Manzana', 'Uva'], join: 'sabor' }),
      t('Diclofenaco gel 1 %', [['50 g', 45, 75]]),
      // Supplements and first-aid supplies are not medicines for IVA purposes.
      t('Vitamina C 500 mg', [['30 tabletas', 45, 80]], { tax: 'IVA16' }),
      t(
        'Alcohol etílico desnaturalizado',
        [
          ['250 ml', 22, 35],
          ['1 L', 60, 90],
        ],
        { tax: 'IVA16' },
      ),
      t('Agua oxigenada', [['250 ml', 14, 22]], { tax: 'IVA16' }),
      t('Algodón absorbente', [['50 g', 18, 28]], { tax: 'IVA16' }),
      t('Vendas adhesivas', [['20 pzas', 25, 40]], { tax: 'IVA16' }),
      t('Gasas estériles', [['10 pzas', 25, 40]], { tax: 'IVA16' }),
      t('Venda elástica 5 cm', [['', 25, 40]], { tax: 'IVA16' }),
      t('Cubrebocas desechables', [['10 pzas', 25, 45]], { tax: 'IVA16' }),
      t('Termómetro digital', [['', 60, 110]], { tax: 'IVA16' }),
      t('Condones de látex', [['3 pzas', 35, 60]], { tax: 'IVA16' }),
      t('Pañales para adulto', [['10 pzas', 120, 180]], {
        flavours: ['Mediano|talla mediana', 'Grande|talla grande'],
        tax: 'IVA16',
      }),
      t('Prueba de embarazo', [['', 45, 80]], { tax: 'IVA16' }),
    ],
  },
  {
    name: 'Revistas y periódicos',
    skuPrefix: 'REV',
    fiscalProductCode: '55101500',
    tax: 'EXENTO',
    pool: 'REV',
    brandsPerTemplate: 4,
    costBasisPoints: [7000, 7900],
    templates: [
      t('Periódico diario', [['', 12, 20]], {
        flavours: ['Edición diaria|edición diaria', 'Edición dominical|edición dominical'],
      }),
      t('Periódico deportivo', [['', 12, 18]]),
      t('Revista de espectáculos', [['', 35, 60]]),
      t('Revista de cocina', [['', 45, 75]]),
      t('Revista de crucigramas', [['', 20, 35]]),
      t('Revista de sopa de letras', [['', 20, 35]]),
      t('Historieta semanal', [['', 20, 35]]),
      t('Revista de manualidades', [['', 40, 65]]),
      t('Revista de salud y bienestar', [['', 40, 70]]),
      t('Revista de jardinería', [['', 45, 75]]),
      t('Revista para colorear infantil', [['', 25, 40]]),
      t('Revista de futbol', [['', 35, 55]]),
      t('Revista de automóviles', [['', 50, 80]]),
    ],
  },
];

// ---------------------------------------------------------------------------
// Generation

// Share of eligible products (more than one size or flavour) that are sold as
// a multi-variant product; tuned so 15-25 % of all products have variants.
const MULTI_VARIANT_PERCENT = 60;

interface Flavour {
  label: string;
  suffix: string;
}

function parseFlavour(spec: string, join: string): Flavour {
  const bar = spec.indexOf('|');
  if (bar >= 0) return { label: spec.slice(0, bar), suffix: spec.slice(bar + 1) };
  // toLowerCase, not toLocaleLowerCase: the output must not depend on the machine's locale.
  const lower = spec.toLowerCase();
  return { label: spec, suffix: join === '' ? lower : `${join} ${lower}` };
}

function joinName(...parts: string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}

interface Variant {
  label: string;
  size: Size;
}

interface Product {
  category: Category;
  name: string;
  brand: string;
  tax: TaxCode;
  weighed: boolean;
  tier: number;
  variants: Variant[];
}

function brandTier(brand: string): number {
  return fnv1a(`${brand}#tier`) % 3;
}

function buildProducts(): Product[] {
  const products: Product[] = [];
  for (const category of CATEGORIES) {
    for (const template of category.templates) {
      // One stream per template, so editing one template leaves the rest of the file unchanged.
      const rng = mulberry32(fnv1a(`${category.name}|${template.name}`));
      const poolName = template.pool ?? category.pool;
      const pool = BRAND_POOLS[poolName];
      if (pool === undefined) throw new Error(`unknown brand pool ${poolName}`);
      const brandCount = template.brands ?? category.brandsPerTemplate;
      const brands = brandCount === 0 ? [''] : pickDistinct(rng, pool, brandCount);
      const flavours = (template.flavours ?? []).map((spec) => parseFlavour(spec, template.join ?? ''));
      const weighed = template.weighed === true;

      for (const brand of brands) {
        const base = {
          category,
          brand,
          tax: template.tax ?? category.tax,
          weighed,
          tier: brand === '' ? 1 : brandTier(brand),
        };
        const variantCount = () => (chance(rng, 70) ? 2 : 3);
        const wantsMulti = () => !weighed && chance(rng, MULTI_VARIANT_PERCENT);

        if (flavours.length === 0) {
          if (template.sizes.length >= 2 && wantsMulti()) {
            const count = Math.min(variantCount(), template.sizes.length);
            const picked = pickSizes(rng, template.sizes, count);
            products.push({ ...base, name: template.name, variants: picked.map((size) => ({ label: size[0], size })) });
          } else {
            const size = pickOne(rng, template.sizes);
            products.push({ ...base, name: joinName(template.name, size[0]), variants: [{ label: '', size }] });
          }
          continue;
        }

        const order = pickDistinct(rng, flavours, flavours.length);
        let next = 0;
        for (let slot = 0; slot < (template.perBrand ?? 1) && next < order.length; slot++) {
          const remaining = order.length - next;
          const bySize = template.sizes.length >= 2;
          if ((bySize || remaining >= 2) && wantsMulti()) {
            // Flavour variants need the same size; size variants need the same flavour.
            const useFlavours = remaining >= 2 && (!bySize || chance(rng, 50));
            if (useFlavours) {
              const taken = order.slice(next, next + Math.min(variantCount(), remaining));
              next += taken.length;
              const size = pickOne(rng, template.sizes);
              products.push({
                ...base,
                name: joinName(template.name, size[0]),
                variants: taken.map((flavour) => ({ label: flavour.label, size })),
              });
            } else {
              const flavour = order[next++] as Flavour;
              const count = Math.min(variantCount(), template.sizes.length);
              const picked = pickSizes(rng, template.sizes, count);
              products.push({
                ...base,
                name: joinName(template.name, flavour.suffix),
                variants: picked.map((size) => ({ label: size[0], size })),
              });
            }
          } else {
            const flavour = order[next++] as Flavour;
            const size = pickOne(rng, template.sizes);
            products.push({
              ...base,
              name: joinName(template.name, flavour.suffix, size[0]),
              variants: [{ label: '', size }],
            });
          }
        }
      }
    }
  }
  return products;
}

function pickOne<T>(rng: Rng, items: readonly T[]): T {
  const item = items[randBelow(rng, items.length)];
  if (item === undefined) throw new Error('pickOne on empty list');
  return item;
}

function pickSizes(rng: Rng, sizes: readonly Size[], count: number): Size[] {
  const indices = pickDistinct(
    rng,
    sizes.map((_, i) => i),
    count,
  ).sort((a, b) => a - b);
  return indices.map((i) => sizes[i] as Size);
}

// GS1 Mexico company prefixes are 750 + company number; each fictional brand
// gets its own 7-digit prefix and numbers its items sequentially, as a real
// manufacturer would, which also makes barcodes unique by construction.
function assignCompanyPrefixes(): Map<string, string> {
  const prefixes = new Map<string, string>();
  const used = new Set<number>();
  for (const pool of Object.values(BRAND_POOLS)) {
    for (const brand of pool) {
      if (prefixes.has(brand)) continue;
      let company = 2000 + (fnv1a(brand) % 8000);
      while (used.has(company)) company = company === 9999 ? 2000 : company + 1;
      used.add(company);
      prefixes.set(brand, `750${company}`);
    }
  }
  return prefixes;
}

function buildRows(products: readonly Product[]): Row[] {
  const prefixes = assignCompanyPrefixes();
  const itemCounters = new Map<string, number>();
  const skuCounters = new Map<string, number>();
  const pluCounters = new Map<string, number>();
  const rows: Row[] = [];

  products.forEach((product, index) => {
    const { category } = product;
    const productKey = `PRD-${String(index + 1).padStart(5, '0')}`;
    const rng = mulberry32(fnv1a(`${productKey}|${product.name}|${product.brand}`));
    const [minBp, maxBp] = category.costBasisPoints;

    // Flavours of one size share price and cost; sizes must get dearer as they grow.
    const moneyBySize = new Map<Size, { price: bigint; cost: bigint }>();
    let previous = 0n;
    for (const variant of product.variants) {
      if (moneyBySize.has(variant.size)) continue;
      let price = pickPriceCents(rng, variant.size[1], variant.size[2], product.tier);
      if (price <= previous) price = (previous / 100n + 5n) * 100n;
      moneyBySize.set(variant.size, { price, cost: costCents(price, randBetween(rng, minBp, maxBp)) });
      previous = price;
    }

    for (const variant of product.variants) {
      const { price, cost } = moneyBySize.get(variant.size) as { price: bigint; cost: bigint };
      const sku = (skuCounters.get(category.skuPrefix) ?? 0) + 1;
      skuCounters.set(category.skuPrefix, sku);

      let barcode = '';
      let plu = '';
      if (product.weighed) {
        if (category.pluStart === undefined) throw new Error(`${category.name} has weighed items but no PLU block`);
        const n = pluCounters.get(category.name) ?? category.pluStart;
        pluCounters.set(category.name, n + 1);
        plu = String(n).padStart(5, '0');
      } else {
        const prefix = prefixes.get(product.brand);
        if (prefix === undefined) throw new Error(`packaged product ${product.name} has no brand prefix`);
        const item = (itemCounters.get(product.brand) ?? 0) + 1;
        if (item > 99_999) throw new Error(`brand ${product.brand} ran out of item numbers`);
        itemCounters.set(product.brand, item);
        barcode = makeEan13(prefix + String(item).padStart(5, '0'));
      }

      rows.push({
        product_key: productKey,
        category: category.name,
        product: product.name,
        brand: product.brand,
        variant: variant.label,
        sku: `${category.skuPrefix}-${String(sku).padStart(6, '0')}`,
        barcode,
        plu,
        price: formatCents(price),
        cost: formatCents(cost),
        sold_by: product.weighed ? 'WEIGHT' : 'UNIT',
        unit: product.weighed ? 'kg' : 'pza',
        tax_code: product.tax,
        tax_rate: TAX_RATE[product.tax],
        fiscal_product_code: category.fiscalProductCode,
        fiscal_unit_code: product.weighed ? 'KGM' : 'H87',
      });
    }
  });
  return rows;
}

// Fail loudly instead of committing a catalog the demo cannot rely on.
function checkInvariants(products: readonly Product[], rows: readonly Row[]): void {
  const multi = products.filter((p) => p.variants.length > 1).length;
  const weighed = products.filter((p) => p.weighed).length;
  const problems: string[] = [];
  if (products.length < 2100) problems.push(`only ${products.length} products`);
  const multiPerMille = Math.floor((multi * 1000) / products.length);
  if (multiPerMille < 150 || multiPerMille > 250) problems.push(`${multi}/${products.length} multi-variant products`);
  if (weighed < 40 || weighed > 80) problems.push(`${weighed} weighed products`);
  for (const column of ['sku', 'barcode', 'plu'] as const) {
    const values = rows.map((row) => row[column]).filter((value) => value !== '');
    if (new Set(values).size !== values.length) problems.push(`duplicate ${column}`);
  }
  const names = rows.map((row) => `${row.product}\u0000${row.brand}\u0000${row.variant}`);
  if (new Set(names).size !== names.length) problems.push('duplicate product/brand/variant');
  if (problems.length > 0) throw new Error(`demo catalog invariants failed: ${problems.join('; ')}`);
}

function main(): void {
  const products = buildProducts();
  const rows = buildRows(products);
  checkInvariants(products, rows);
  const csv = stringify(rows, { header: true, columns: [...COLUMNS] });
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, csv, 'utf8');
  const multi = products.filter((p) => p.variants.length > 1).length;
  const weighed = products.filter((p) => p.weighed).length;
  console.log(`${OUTPUT}: ${products.length} products (${multi} with variants, ${weighed} weighed), ${rows.length} rows`);
}

main();

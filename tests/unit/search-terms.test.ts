import { describe, expect, it } from 'vitest';
import {
  editDistance,
  foldText,
  isSlipOf,
  looksLikeCode,
  MATCH,
  matchKind,
  MAX_TERMS,
  rankCandidates,
  searchTerms,
  searchWords,
  trigrams,
  trigramSimilarity,
  type RankInput,
} from '#engine/services/catalog/search-terms.ts';
import { clampLimit } from '#engine/services/catalog/search.ts';

describe('foldText', () => {
  it('lower-cases and drops the accents a Spanish keyboard types', () => {
    expect(foldText('JALAPEÑOS Piña Ángela Güero crème')).toBe('jalapenos pina angela guero creme');
  });

  it('spells out the letters unaccent rewrites but Unicode does not decompose', () => {
    expect(foldText('Straße Œuf Smørrebrød Łódź Æbleskiver')).toBe('strasse oeuf smorrebrod lodz aebleskiver');
  });

  it('keeps a whole number apart from the fraction that follows it', () => {
    expect(searchWords('Tubo 1½ pulgadas')).toEqual(['tubo', '1', '1', '2', 'pulgadas']);
  });

  it('folds ordinals but not superscripts, as the database does', () => {
    expect(searchWords('1ª calidad, 2º piso, 10 m²')).toEqual(['1', 'a', 'calidad', '2', 'o', 'piso', '10', 'm']);
  });
});

describe('searchWords', () => {
  it('cuts at anything that is not a letter or a digit', () => {
    expect(searchWords('Chiles jalapeños (en escabeche), 220 g.')).toEqual(['chiles', 'jalapenos', 'en', 'escabeche', '220', 'g']);
  });

  it('cuts between digits and letters, so 220g and 220 g are the same words', () => {
    expect(searchWords('Atún 140g')).toEqual(['atun', '140', 'g']);
    expect(searchWords('1.5L')).toEqual(['1', '5', 'l']);
    expect(searchWords('b12x3')).toEqual(['b', '12', 'x', '3']);
  });

  it('keeps repeated words, as the database function does', () => {
    expect(searchWords('Jugo de uva de Jalisco')).toEqual(['jugo', 'de', 'uva', 'de', 'jalisco']);
  });

  it('gives nothing for text without letters or digits', () => {
    expect(searchWords("  '; -- %_ ¡¿? ")).toEqual([]);
  });
});

describe('searchTerms', () => {
  it('takes each typed word once, in the order typed', () => {
    expect(searchTerms('Café  café soluble CAFÉ')).toEqual(['cafe', 'soluble']);
  });

  it(`looks for at most ${MAX_TERMS} words`, () => {
    expect(searchTerms('a b c d e f g h i j k')).toHaveLength(MAX_TERMS);
  });
});

describe('looksLikeCode', () => {
  it('takes a single token holding a digit for a SKU, barcode or PLU', () => {
    expect(looksLikeCode('ABR-000123')).toBe(true);
    expect(looksLikeCode(' 7501055363057 ')).toBe(true);
    expect(looksLikeCode('00101')).toBe(true);
  });

  it('does not take words or several tokens for a code', () => {
    expect(looksLikeCode('jalapenos')).toBe(false);
    expect(looksLikeCode('cafe 200')).toBe(false);
    expect(looksLikeCode('')).toBe(false);
  });
});

describe('trigramSimilarity', () => {
  it('pads each word as pg_trgm does', () => {
    expect([...trigrams(['cat'])]).toEqual(['  c', ' ca', 'cat', 'at ']);
  });

  it('gives the values PostgreSQL similarity() gives', () => {
    // SELECT similarity('jalpeno', 'jalapenos') → 0.3846154; similarity('solubel', 'soluble') → 0.45454547
    expect(trigramSimilarity(['jalpeno'], ['jalapenos'])).toBeCloseTo(0.3846154, 6);
    expect(trigramSimilarity(['solubel'], ['soluble'])).toBeCloseTo(0.4545454, 6);
    expect(trigramSimilarity(['leche'], ['leche'])).toBe(1);
    expect(trigramSimilarity([], ['leche'])).toBe(0);
  });
});

describe('editDistance', () => {
  it('counts inserted, deleted and replaced letters', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('jalapeno', 'jalapenos')).toBe(1);
    expect(editDistance('mantequlla', 'mantequilla')).toBe(1);
    expect(editDistance('leche', 'noche')).toBe(2);
  });

  it('counts two swapped neighbours as one slip', () => {
    expect(editDistance('avnea', 'avena')).toBe(1);
    expect(editDistance('sarbo', 'sabor')).toBe(2);
  });
});

describe('isSlipOf', () => {
  it('allows one slip in a short word and two from seven letters', () => {
    expect(isSlipOf('avnea', 'avena')).toBe(true);
    expect(isSlipOf('sarbo', 'sabor')).toBe(false);
    expect(isSlipOf('chocolte', 'chocolate')).toBe(true);
    expect(isSlipOf('chcolte', 'chocolate')).toBe(true);
    expect(isSlipOf('chclte', 'chocolate')).toBe(false);
  });
});

describe('matchKind', () => {
  const words = searchWords('Chiles jalapeños en escabeche 220 g');

  it('is exact when every typed word is a word of the item', () => {
    expect(
      matchKind(
        [
          { term: 'chiles', corrections: [] },
          { term: 'jalapenos', corrections: [] },
        ],
        words,
      ),
    ).toBe(MATCH.exact);
  });

  it('is prefix when a typed word only begins a word of the item', () => {
    expect(
      matchKind(
        [
          { term: 'chiles', corrections: [] },
          { term: 'jala', corrections: [] },
        ],
        words,
      ),
    ).toBe(MATCH.prefix);
  });

  it('is corrected when a typed word is answered only through a correction', () => {
    expect(
      matchKind(
        [
          { term: 'jalpeno', corrections: ['jalapenos'] },
          { term: 'chiles', corrections: [] },
        ],
        words,
      ),
    ).toBe(MATCH.corrected);
  });

  it('is null when a typed word is not answered at all', () => {
    expect(
      matchKind(
        [
          { term: 'chiles', corrections: [] },
          { term: 'atun', corrections: ['atole'] },
        ],
        words,
      ),
    ).toBeNull();
  });
});

describe('rankCandidates', () => {
  const item = (id: string, name: string, extra: Partial<RankInput> = {}): RankInput => ({
    id,
    name,
    also: null,
    codeMatch: false,
    ...extra,
  });
  const ids = (items: RankInput[]) => items.map((i) => i.id);

  it('puts exact words before prefixes and prefixes before corrections', () => {
    const terms = [{ term: 'sal', corrections: ['sol'] }];
    const ranked = rankCandidates('sal', terms, [
      item('corrected', 'Sol de mar'),
      item('prefix', 'Salsa verde'),
      item('exact', 'Sal de mar 1 kg'),
    ]);
    expect(ids(ranked)).toEqual(['exact', 'prefix', 'corrected']);
  });

  it('puts an exact code first, whatever the words say', () => {
    const terms = [
      { term: 'abr', corrections: [] },
      { term: '000123', corrections: [] },
    ];
    const ranked = rankCandidates('ABR-000123', terms, [item('word', 'Abrelatas 000123'), item('code', 'Arroz', { codeMatch: true })]);
    expect(ids(ranked)).toEqual(['code', 'word']);
  });

  it('prefers names that begin with the first typed word, then the closer name', () => {
    const terms = [{ term: 'leche', corrections: [] }];
    const ranked = rankCandidates('leche', terms, [
      item('inside', 'Dulce de leche'),
      item('long', 'Leche entera ultrapasteurizada 1 L'),
      item('short', 'Leche entera 1 L'),
    ]);
    expect(ids(ranked)).toEqual(['short', 'long', 'inside']);
  });

  it('orders ties by name as Spanish sorts it (accents ignored, ñ after n)', () => {
    const terms = [{ term: 'x', corrections: [] }];
    // Equally similar names (a four-letter word each); by code points "X azul" would come first.
    const ranked = rankCandidates('x', terms, [
      item('ñame', 'X ñame'),
      item('azul', 'X azul'),
      item('nuez', 'X nuez'),
      item('área', 'X área'),
    ]);
    expect(ids(ranked)).toEqual(['área', 'azul', 'nuez', 'ñame']);
  });

  it('drops candidates that do not answer every typed word', () => {
    const terms = [
      { term: 'cafe', corrections: [] },
      { term: 'soluble', corrections: [] },
    ];
    expect(ids(rankCandidates('cafe soluble', terms, [item('a', 'Café molido'), item('b', 'Café soluble')]))).toEqual(['b']);
  });

  it('finds a word in the brand even though the name does not show it', () => {
    const terms = [{ term: 'costena', corrections: [] }];
    expect(
      ids(rankCandidates('costena', terms, [item('a', 'Chiles jalapeños', { also: 'La Costeña' }), item('b', 'Chiles serranos')])),
    ).toEqual(['a']);
  });
});

describe('clampLimit', () => {
  it('defaults to 20 and holds the limit to 1…100', () => {
    expect(clampLimit(undefined)).toBe(20);
    expect(clampLimit(5)).toBe(5);
    expect(clampLimit(1000)).toBe(100);
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(7.9)).toBe(7);
    expect(clampLimit(Number.NaN)).toBe(20);
  });
});

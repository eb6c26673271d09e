import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { negotiate, pickText } from './locale';

/** placeholders lists the arguments a message takes, with plural and select ones. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(e.value);
      for (const o of Object.values(e.options)) placeholders(o.value, out);
    }
    if (e.type === TYPE.tag) placeholders(e.children, out);
  }
  return out;
}

describe('the catalogues', () => {
  const catalogues = { en, fr, es };
  for (const [name, catalogue] of Object.entries(catalogues)) {
    it(`${name}: every message parses as ICU and takes the English one's arguments`, () => {
      for (const [id, english] of Object.entries(en)) {
        const text = (catalogue as Record<string, string>)[id];
        expect(text, id).toBeTypeOf('string');
        expect(text!.trim(), id).not.toBe('');
        const want = [...placeholders(parse(english))].sort();
        const got = [...placeholders(parse(text!))].sort();
        expect(got, `${name} ${id}`).toEqual(want);
      }
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    });
  }
  it('French and Spanish are translations, not copies', () => {
    const same = (c: Record<string, string>) => Object.keys(en).filter((k) => c[k] === (en as Record<string, string>)[k]);
    // Words that read the same in both languages (Passerelle, Description, Association…)
    // are few; a catalogue copied from English would have hundreds.
    expect(same(fr).length).toBeLessThan(25);
    expect(same(es).length).toBeLessThan(25);
  });
});

describe('the reader’s language', () => {
  it('comes from the browser by primary language, else English', () => {
    expect(negotiate(['fr-CA', 'en'])).toBe('fr');
    expect(negotiate(['es-419'])).toBe('es');
    expect(negotiate(['de-DE', 'es'])).toBe('es');
    expect(negotiate(['wo', 'ar'])).toBe('en');
    expect(negotiate([])).toBe('en');
  });
  it('picks a text in the reader’s language, else another, saying which', () => {
    expect(pickText({ en: 'Remittances', fr: 'Transferts' }, 'fr')).toEqual({ text: 'Transferts', lang: 'fr' });
    expect(pickText({ en: null, fr: '', es: 'Remesas' }, 'fr')).toEqual({ text: 'Remesas', lang: 'es' });
    expect(pickText({ en: ' ', fr: null, es: null }, 'en')).toBeNull();
  });
});

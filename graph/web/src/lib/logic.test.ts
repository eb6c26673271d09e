import { describe, expect, it } from 'vitest';
import type { Translate } from '../i18n';
import { formatDecimal, parseDecimal, scaleOf, sumDecimals } from './decimal';
import { formatMoney, formatSessionTime } from './format';
import { Attempts, newKey } from './idempotency';
import { explain, fieldRule } from './problems';
import { changes, checkProfile, clearsContact, emptyProfile, formOf, registration, type ProfileForm } from './profile';
import { checkBudget } from './proposals';
import { merge, occurrences } from './sessions';

/** t writes a message id with its values, so tests see which message was chosen. */
const t: Translate = (id, values) => (values ? `${id} ${JSON.stringify(values)}` : id);

describe('decimal amounts', () => {
  it('read and write at the currency’s scale, never as floats', () => {
    expect(scaleOf('50000.00')).toBe(2);
    expect(scaleOf('1250')).toBe(0);
    expect(parseDecimal('12500.5', 2)).toBe(1250050n);
    expect(parseDecimal('12 500,50', 2)).toBe(1250050n);
    expect(parseDecimal('0.1', 2)).toBe(10n);
    expect(parseDecimal('1.234', 2)).toBeNull();
    expect(parseDecimal('-3', 2)).toBeNull();
    expect(parseDecimal('abc', 2)).toBeNull();
    expect(formatDecimal(1250050n, 2)).toBe('12500.50');
    expect(formatDecimal(5n, 3)).toBe('0.005');
    expect(formatDecimal(7n, 0)).toBe('7');
    // 0.1 + 0.2 is exactly 0.3 here.
    expect(sumDecimals(['0.10', '0.20'], 2)).toBe(30n);
    expect(sumDecimals(['1', 'x'], 2)).toBeNull();
  });
  it('are formatted for the language with the decimals the API gave', () => {
    expect(formatMoney('en', '12500.50', 'EUR')).toBe('€12,500.50');
    expect(formatMoney('fr', '12500.50', 'EUR').replace(/\s/g, ' ')).toBe('12 500,50 €');
    expect(formatMoney('es', '1250000', 'XOF').replace(/\s/g, ' ')).toMatch(/1\.250\.000 (F CFA|XOF)/);
    expect(formatMoney('en', '10', 'NOT')).toMatch(/10/);
  });
});

describe('a session’s times', () => {
  const start = { utc: '2027-03-20T17:00:00Z', local: '2027-03-20T18:00', timeZone: 'Europe/Brussels', utcOffset: '+01:00' };
  it('are the city’s clock with the offset, in the reader’s language', () => {
    // The words between come from the engine's locale data (Node's and Chromium's differ
    // by a comma): the parts that matter are checked.
    expect(formatSessionTime('en', start)).toMatch(/^Saturday,? 20 March 2027.* 18:00 \(UTC\+01:00\)$/);
    expect(formatSessionTime('fr', start)).toMatch(/^samedi 20 mars 2027.* 18:00 \(UTC\+01:00\)$/);
    expect(formatSessionTime('es', start)).toMatch(/^sábado, 20 de marzo de 2027.* 18:00 \(UTC\+01:00\)$/);
    // The same instant in Washington is the city's own clock, not the reader's.
    const dc = { utc: '2027-03-20T17:00:00Z', local: '2027-03-20T13:00', timeZone: 'America/New_York', utcOffset: '-04:00' };
    expect(formatSessionTime('en', dc)).toMatch(/ 13:00 \(UTC-04:00\)$/);
  });
  it('that happen twice are offered first at the summer offset', () => {
    expect(occurrences(['+00:00', '+01:00'])).toEqual(['+01:00', '+00:00']);
    expect(occurrences(['-05:00', '-04:00'])).toEqual(['-04:00', '-05:00']);
  });
  it('keep a live list in start order, adding and dropping what changed', () => {
    const s = (id: string, utc: string) => ({ id, start: { utc } });
    const list = [s('a', '2027-01-01T10:00:00Z'), s('b', '2027-02-01T10:00:00Z')];
    expect(merge(list, s('c', '2027-01-15T10:00:00Z'), () => true).map((x) => x.id)).toEqual(['a', 'c', 'b']);
    expect(merge(list, s('a', '2027-03-01T10:00:00Z'), () => true).map((x) => x.id)).toEqual(['b', 'a']);
    expect(merge(list, s('b', '2027-02-01T10:00:00Z'), () => false).map((x) => x.id)).toEqual(['a']);
  });
});

describe('idempotency keys', () => {
  it('are 128 random bits', () => {
    const k = newKey();
    expect(k).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newKey()).not.toBe(k);
  });
  it('repeat only for the same content after an unanswered attempt', () => {
    const a = new Attempts();
    const first = a.keyFor({ id: 1 });
    expect(a.keyFor({ id: 1 })).toBe(first); // the network failed: same request, same key
    expect(a.keyFor({ id: 2 })).not.toBe(first); // other content: a new request
    const second = a.keyFor({ id: 2 });
    a.answered();
    expect(a.keyFor({ id: 2 })).not.toBe(second); // answered: the next one is new
  });
});

const filled: ProfileForm = {
  ...emptyProfile,
  name: 'Association des Sénégalais de Genève',
  acronym: 'ASG',
  originCountries: ['SN'],
  city: 'geneva',
  sectors: ['HEALTH'],
  languages: ['fr', 'wo'],
  description: { en: '', fr: 'Santé et solidarité', es: '' },
  website: 'https://asg.example.org',
  memberCount: '120',
  yearFounded: '1998',
  contactName: 'Awa Diop',
  contactEmail: 'awa@example.org',
  contactPhone: '+41 22 555 12 34',
};

describe('an association’s profile', () => {
  it('is checked as the directory checks it', () => {
    expect(checkProfile(filled, t)).toEqual([]);
    const fields = (f: ProfileForm) => checkProfile(f, t, new Date('2026-12-03')).map((p) => p.field);
    expect(fields({ ...filled, name: '  ' })).toEqual(['name']);
    expect(fields({ ...filled, originCountries: [] })).toEqual(['originCountries']);
    expect(fields({ ...filled, website: 'asg.example.org' })).toEqual(['website']);
    expect(fields({ ...filled, yearFounded: '2031' })).toEqual(['yearFounded']);
    expect(fields({ ...filled, languages: ['fr', 'not a tag!'] })).toEqual(['languages']);
    expect(fields({ ...filled, contactEmail: 'awa' })).toEqual(['contact.email']);
    expect(fields({ ...filled, contactName: '', contactEmail: '', contactPhone: '' })).toEqual([]);
    expect(fields({ ...filled, contactName: '' })).toEqual(['contact.name']);
  });
  it('registers with what is filled, and no contact when none is given', () => {
    const input = registration({ ...filled, contactName: '', contactEmail: '', contactPhone: '', acronym: '' });
    expect(input.contact).toBeUndefined();
    expect(input.acronym).toBeUndefined();
    expect(input.description).toEqual({ en: null, fr: 'Santé et solidarité', es: null });
    expect(input.memberCount).toBe(120);
  });
  it('updates only what changed', () => {
    expect(changes(filled, { ...filled })).toEqual({});
    expect(changes(filled, { ...filled, name: 'ASG Genève ' })).toEqual({ name: 'ASG Genève' });
    expect(changes(filled, { ...filled, website: '' })).toEqual({ website: null });
    expect(changes(filled, { ...filled, memberCount: '' })).toEqual({ memberCount: null });
    expect(changes(filled, { ...filled, sectors: [] })).toEqual({ sectors: [] });
    expect(changes(filled, { ...filled, languages: ['wo', 'fr'] })).toEqual({}); // the same set
    expect(changes(filled, { ...filled, description: { ...filled.description, es: 'Salud' } })).toEqual({
      description: { en: null, fr: 'Santé et solidarité', es: 'Salud' },
    });
    expect(changes(filled, { ...filled, contactPhone: '+41 22 555 00 00' })).toEqual({
      contact: { name: 'Awa Diop', email: 'awa@example.org', phone: '+41 22 555 00 00' },
    });
    expect(clearsContact(filled, { ...filled, contactName: '', contactEmail: '', contactPhone: '' })).toBe(true);
  });
  it('is read back from the API as the form holds it', () => {
    const f = formOf({
      name: 'X',
      kind: 'NGO',
      originCountries: ['GH'],
      city: { slug: 'london' },
      countryOfResidence: 'GB',
      sectors: [],
      languages: [],
      description: { en: 'E', fr: null, es: null },
      memberCount: null,
      yearFounded: 2001,
      contact: null,
    });
    expect(f).toMatchObject({ city: 'london', yearFounded: '2001', memberCount: '', description: { en: 'E', fr: '', es: '' }, contactName: '' });
  });
});

describe('a budget', () => {
  const ceiling = { amount: '50000.00', currency: 'EUR' };
  const fields = (budget: string, lines: { label: string; amount: string }[], submitting = false) =>
    checkBudget(budget, lines, ceiling, t, submitting).map((p) => p.field);
  it('adds up exactly, in the call’s currency and decimals', () => {
    expect(
      fields('30000', [
        { label: 'Nurses', amount: '20000.10' },
        { label: 'Travel', amount: '9999.90' },
      ]),
    ).toEqual([]);
    expect(fields('30000', [{ label: 'Nurses', amount: '20000' }])).toEqual(['budgetLines']);
    expect(fields('60000', [])).toEqual(['budget']);
    expect(fields('100.001', [])).toEqual(['budget']);
    expect(fields('100', [{ label: '', amount: '100' }])).toEqual(['budgetLines.label']);
    expect(fields('100', [{ label: 'x', amount: '0' }])).toEqual(['budgetLines.amount']);
    expect(fields('', [{ label: '', amount: '' }])).toEqual([]); // a draft may leave it out
  });
});

describe('API errors', () => {
  const gql = (extensions: Record<string, unknown>, message = 'English message') => ({ graphQLErrors: [{ message, extensions }] });
  it('are said from their code, field and reason', () => {
    expect(explain(gql({ code: 'BAD_USER_INPUT', field: 'contact.email' }), t, 'en')).toEqual([
      { field: 'contact.email', message: 'rule.contact.email', details: { code: 'BAD_USER_INPUT', field: 'contact.email' } },
    ]);
    expect(explain(gql({ code: 'BAD_USER_INPUT', field: 'description.fr' }), t, 'en')[0]?.message).toBe('rule.description');
    expect(explain(gql({ code: 'CONFLICT', reason: 'DEADLINE_PASSED' }), t, 'en')[0]?.message).toBe('reason.DEADLINE_PASSED');
    expect(explain(gql({ code: 'BAD_USER_INPUT', field: 'start', reason: 'NONEXISTENT_LOCAL_TIME' }), t, 'en')[0]).toMatchObject({
      field: 'start',
      message: 'reason.NONEXISTENT_LOCAL_TIME',
    });
    expect(
      explain(gql({ code: 'BAD_USER_INPUT', field: 'start', reason: 'AMBIGUOUS_LOCAL_TIME', offsets: ['+01:00', '+00:00'] }), t, 'en')[0]?.message,
    ).toBe('reason.AMBIGUOUS_LOCAL_TIME {"offsets":"UTC+01:00 / UTC+00:00"}');
    expect(explain(gql({ code: 'CONFLICT', existingAssociationId: 'x', existingAssociationName: 'ASG' }), t, 'en')[0]?.message).toBe(
      'reason.DUPLICATE_NAME {"name":"ASG"}',
    );
    expect(explain(gql({ code: 'CONFLICT', status: 'VERIFIED' }), t, 'en')[0]?.message).toBe('reason.WRONG_STATUS {"status":"status.VERIFIED"}');
    expect(explain(gql({ code: 'CONFLICT', confirmedSeats: 12 }), t, 'en')[0]?.message).toBe('reason.CAPACITY_BELOW_CONFIRMED {"count":12}');
    expect(explain(gql({ code: 'FORBIDDEN' }), t, 'en')[0]?.message).toBe('code.FORBIDDEN');
    expect(explain(gql({ code: 'SOMETHING_NEW' }), t, 'en')[0]?.message).toBe('code.INTERNAL');
    expect(explain({ networkError: new Error('offline') }, t, 'en')).toEqual([{ message: 'code.NETWORK' }]);
    expect(explain(null, t, 'en')).toEqual([]);
  });
  it('fall back to the parent field’s rule', () => {
    expect(fieldRule('scores.RELEVANCE')).toBe('rule.scores');
    expect(fieldRule('budgetLines.amount')).toBe('rule.budgetLines.amount');
    expect(fieldRule('nothing.here')).toBeNull();
  });
});

// What went wrong, said in the reader's language. The gateway's errors carry a stable
// code, and often the field at fault and a reason; the English message is only the last
// resort. A problem with a field is shown beside that field, and every problem in the
// summary at the top of the form.
import { has, type MessageId, type Translate } from '../i18n';
import type { Locale } from '../i18n/locale';
import { formatMoney } from './format';

export interface Problem {
  /** field is the API's name of the field at fault ("contact.email"), if one is. */
  field?: string;
  message: string;
  /** details are the error's extensions, for forms that act on them (the offsets of a
   * time that happens twice). */
  details?: Record<string, unknown>;
}

/** GraphQLErrorLike is what urql's CombinedError holds of each error. */
export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface ErrorLike {
  graphQLErrors?: readonly GraphQLErrorLike[];
  networkError?: Error | undefined;
}

/** fieldRule is the message that says what a field takes: "contact.email" → rule.contact.email;
 * "description.fr" and "scores.RELEVANCE" fall back to their parent's rule. */
export function fieldRule(field: string): MessageId | null {
  const exact = `rule.${field}`;
  if (has(exact)) return exact;
  const parent = `rule.${field.split('.')[0]}`;
  if (has(parent)) return parent;
  return null;
}

/** explain turns an API error into problems in the reader's language. */
export function explain(error: ErrorLike | null | undefined, t: Translate, locale: Locale): Problem[] {
  if (!error) return [];
  const errors = error.graphQLErrors ?? [];
  if (errors.length === 0) {
    return error.networkError ? [{ message: t('code.NETWORK') }] : [];
  }
  return errors.map((e) => explainOne(e, t, locale));
}

function explainOne(e: GraphQLErrorLike, t: Translate, locale: Locale): Problem {
  const ext = e.extensions ?? {};
  const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL';
  const field = typeof ext.field === 'string' && ext.field !== '' ? ext.field : undefined;
  const reason = typeof ext.reason === 'string' ? ext.reason : undefined;
  const problem = (message: string): Problem => ({ field, message, details: ext });

  if (typeof ext.existingAssociationName === 'string') {
    return problem(t('reason.DUPLICATE_NAME', { name: ext.existingAssociationName }));
  }
  if (typeof ext.otherSessionId === 'string') return problem(t('reason.VENUE_TAKEN'));
  if (typeof ext.confirmedSeats === 'number') {
    return problem(t('reason.CAPACITY_BELOW_CONFIRMED', { count: ext.confirmedSeats }));
  }
  if (typeof ext.registrationId === 'string' && typeof ext.status === 'string') {
    return problem(t('reason.ALREADY_REGISTERED', { status: statusLabel(t, ext.status) }));
  }
  if (reason === 'ENVELOPE_EXCEEDED' && typeof ext.requested === 'string' && typeof ext.remaining === 'string' && typeof ext.currency === 'string') {
    return problem(
      t('reason.ENVELOPE_EXCEEDED', {
        requested: formatMoney(locale, ext.requested, ext.currency),
        remaining: formatMoney(locale, ext.remaining, ext.currency),
      }),
    );
  }
  if (typeof ext.ceiling === 'string' && typeof ext.currency === 'string') {
    return problem(t('reason.BUDGET_ABOVE_CEILING', { ceiling: formatMoney(locale, ext.ceiling, ext.currency) }));
  }
  if (typeof ext.linesTotal === 'string' && typeof ext.budget === 'string') {
    return problem(t('reason.BUDGET_LINES', { lines: ext.linesTotal, budget: ext.budget }));
  }
  if (reason === 'AMBIGUOUS_LOCAL_TIME' && Array.isArray(ext.offsets)) {
    return problem(t('reason.AMBIGUOUS_LOCAL_TIME', { offsets: ext.offsets.map((o) => `UTC${String(o)}`).join(' / ') }));
  }
  if (reason === 'INCOMPLETE' && field) {
    return problem(t('reason.INCOMPLETE', { field: fieldLabel(t, field) }));
  }
  if (reason) {
    const id = `reason.${reason}`;
    if (has(id)) return problem(t(id));
  }
  if (code === 'CONFLICT' && typeof ext.status === 'string') {
    return problem(t('reason.WRONG_STATUS', { status: statusLabel(t, ext.status) }));
  }
  if (field && code === 'BAD_USER_INPUT') {
    const rule = fieldRule(field);
    return problem(rule ? t(rule) : t('rule.generic', { field: fieldLabel(t, field) }));
  }
  const codeID = `code.${code}`;
  if (code === 'BAD_USER_INPUT') {
    // Refused before it ran (a request the app did not mean to send): say so, with the
    // server's own words.
    return problem(t('code.BAD_USER_INPUT', { detail: e.message }));
  }
  return problem(has(codeID) ? t(codeID) : t('code.INTERNAL'));
}

/** fieldLabel is a field's name for the reader. */
export function fieldLabel(t: Translate, field: string): string {
  const id = `field.${field.split('.')[0]}`;
  return has(id) ? t(id) : field;
}

/** statusLabel names a status of an association, a registration or a proposal. */
export function statusLabel(t: Translate, status: string): string {
  const id = `status.${status}`;
  return has(id) ? t(id) : status;
}

/** forField picks the problem about a field (or one of its parts). */
export function forField(problems: readonly Problem[], field: string): string | undefined {
  return problems.find((p) => p.field === field || (p.field && p.field.startsWith(field + '.')))?.message;
}

// Proposals as pages show them, and the budget arithmetic of their forms: amounts in the
// call's currency, at its number of decimals, added as integers.
import { graphql, type ResultOf } from '../graphql';
import type { Translate } from '../i18n';
import { formatDecimal, parseDecimal, scaleOf, sumDecimals } from './decimal';
import type { Problem } from './problems';

export const CallSummary = graphql(`
  fragment CallSummary on Call {
    id
    status
    opensAt
    closesAt
    closedAt
    themes
    eligibleCountries
    title {
      en
      fr
      es
    }
    description {
      en
      fr
      es
    }
    budgetCeiling {
      amount
      currency
    }
    envelope {
      amount
      currency
    }
    committed {
      amount
      currency
    }
    remaining {
      amount
      currency
    }
  }
`);

/** ProposalItem is a proposal in a list: its title and whose it is. */
export const ProposalItem = graphql(`
  fragment ProposalItem on Proposal {
    id
    status
    title {
      en
      fr
      es
    }
    association {
      id
      name
    }
  }
`);

export const ProposalDetail = graphql(
  `
    fragment ProposalDetail on Proposal {
      id
      status
      sector
      countries
      durationMonths
      partnerKinds
      statusReason
      draftedAt
      submittedAt
      decidedAt
      title {
        en
        fr
        es
      }
      summary {
        en
        fr
        es
      }
      budget {
        amount
        currency
      }
      budgetLines {
        label
        amount {
          amount
          currency
        }
      }
      call {
        ...CallSummary
      }
      association {
        id
        name
      }
      session {
        id
        title {
          en
          fr
          es
        }
      }
      reviewsHidden
      viewerHasConflict
      conflicts {
        reviewerRole
        reason
        declaredAt
      }
      reviews {
        reviewerId
        reviewerRole
        comment
        revisions
        reviewedAt
        scores {
          criterion
          score
        }
      }
      averageScores {
        criterion
        score
      }
      pledges {
        id
        inKind
        pledgedAt
        partner {
          name
          kind
          country
        }
        money {
          amount
          currency
        }
      }
      pledgedTotals {
        amount
        currency
      }
    }
  `,
  [CallSummary],
);

export type CallData = ResultOf<typeof CallSummary>;
export type ProposalData = ResultOf<typeof ProposalDetail>;

export interface BudgetLineRow {
  label: string;
  amount: string;
}

/** budgetTotals reads the budget and the lines at the call's decimals: null where an
 * amount is not one. */
export function budgetTotals(budget: string, lines: readonly BudgetLineRow[], ceiling: { amount: string }) {
  const scale = scaleOf(ceiling.amount);
  const amounts = lines.filter((l) => l.label.trim() !== '' || l.amount.trim() !== '').map((l) => l.amount);
  const total = sumDecimals(amounts, scale);
  const wanted = budget.trim() === '' ? null : parseDecimal(budget, scale);
  return {
    scale,
    lines: total,
    budget: wanted,
    ceiling: parseDecimal(ceiling.amount, scale),
    linesText: total === null ? null : formatDecimal(total, scale),
    budgetText: wanted === null ? null : formatDecimal(wanted, scale),
    addsUp: total !== null && wanted !== null && total === wanted,
  };
}

/** checkBudget says what is wrong with a budget and its lines before anything is sent:
 * a draft may leave them out, never get them wrong. */
export function checkBudget(
  budget: string,
  lines: readonly BudgetLineRow[],
  ceiling: { amount: string; currency: string },
  t: Translate,
  submitting: boolean,
  /** money writes an amount for the reader. */
  money: (amount: string) => string = (a) => a,
): Problem[] {
  const problems: Problem[] = [];
  const totals = budgetTotals(budget, lines, ceiling);
  if (budget.trim() !== '' && (totals.budget === null || totals.budget <= 0n)) {
    problems.push({ field: 'budget', message: t('rule.budget') });
  } else if (totals.budget !== null && totals.ceiling !== null && totals.budget > totals.ceiling) {
    problems.push({ field: 'budget', message: t('proposalForm.aboveCeiling') });
  }
  lines.forEach((l) => {
    if (l.label.trim() === '' && l.amount.trim() === '') return;
    const v = parseDecimal(l.amount, totals.scale);
    if (l.label.trim() === '' || l.label.length > 200) problems.push({ field: 'budgetLines.label', message: t('rule.budgetLines.label') });
    if (v === null || v <= 0n) problems.push({ field: 'budgetLines.amount', message: t('rule.budgetLines.amount') });
  });
  const hasLines = lines.some((l) => l.label.trim() !== '' || l.amount.trim() !== '');
  if (problems.length === 0 && (hasLines || submitting) && totals.budget !== null && !totals.addsUp) {
    problems.push({
      field: 'budgetLines',
      message: t('proposalForm.linesMustAddUp', { lines: money(totals.linesText ?? '0'), budget: money(totals.budgetText ?? budget.trim()) }),
    });
  }
  return problems;
}

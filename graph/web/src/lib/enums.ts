// The schema's enums, in the order forms offer them. The schema is the authority: each
// list must hold exactly its enum's values, or the app does not compile.
import type { introspection_types } from '../graphql-env.d.ts';

/** EnumOf is the values of one of the schema's enums. */
export type EnumOf<N extends keyof introspection_types> = introspection_types[N] extends { enumValues: infer V } ? V : never;

/** all checks at compile time that a list names every value of its enum. */
function all<N extends keyof introspection_types>() {
  return <const L extends readonly EnumOf<N>[]>(list: L & ([EnumOf<N>] extends [L[number]] ? unknown : 'a value is missing')) => list;
}

export type Sector = EnumOf<'Sector'>;
export type AssociationKind = EnumOf<'AssociationKind'>;
export type AssociationStatus = EnumOf<'AssociationStatus'>;
export type StakeholderKind = EnumOf<'StakeholderKind'>;
export type PartnerKind = EnumOf<'PartnerKind'>;
export type Criterion = EnumOf<'Criterion'>;
export type ProposalStatus = EnumOf<'ProposalStatus'>;

export const sectors = all<'Sector'>()([
  'HEALTH',
  'REMITTANCES',
  'INVESTMENT',
  'SKILLS_CIRCULATION',
  'EDUCATION',
  'INTEGRATION',
  'HUMAN_RIGHTS',
  'TRADE',
  'RESEARCH',
  'CULTURE',
]);

export const associationKinds = all<'AssociationKind'>()([
  'DIASPORA_ASSOCIATION',
  'NGO',
  'FAITH_COMMUNITY',
  'PROFESSIONAL_NETWORK',
  'BUSINESS',
  'UNIVERSITY',
  'TRADE_UNION',
  'OTHER',
]);

export const associationStatuses = all<'AssociationStatus'>()(['PENDING', 'VERIFIED', 'REJECTED', 'SUSPENDED', 'DISSOLVED']);

export const stakeholderKinds = all<'StakeholderKind'>()(['GOVERNMENT', 'UNIVERSITY', 'PRIVATE_SECTOR', 'NGO', 'INTERNATIONAL_ORGANISATION']);

export const partnerKinds = all<'PartnerKind'>()(['GOVERNMENT', 'UNIVERSITY', 'PRIVATE_SECTOR', 'NGO', 'INTERNATIONAL_ORGANISATION']);

export const criteria = all<'Criterion'>()(['RELEVANCE', 'FEASIBILITY', 'DEVELOPMENT_IMPACT', 'PARTNERSHIP']);

export const proposalStatuses = all<'ProposalStatus'>()([
  'DRAFT',
  'SUBMITTED',
  'UNDER_REVIEW',
  'CHANGES_REQUESTED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
]);

// The steps of an association's status that coordinators and admins take: the
// verification queue and the association's own page send the same mutations.
import { graphql } from '../graphql';

export const Verify = graphql(`
  mutation Verify($id: ID!, $idempotencyKey: String) {
    verifyAssociation(id: $id, idempotencyKey: $idempotencyKey) {
      association {
        id
        status
      }
    }
  }
`);
export const Reject = graphql(`
  mutation Reject($id: ID!, $reason: String!, $idempotencyKey: String) {
    rejectAssociation(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
      association {
        id
        status
        statusReason
      }
    }
  }
`);
export const Suspend = graphql(`
  mutation Suspend($id: ID!, $reason: String!, $idempotencyKey: String) {
    suspendAssociation(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
      association {
        id
        status
        statusReason
      }
    }
  }
`);
export const Reinstate = graphql(`
  mutation Reinstate($id: ID!, $idempotencyKey: String) {
    reinstateAssociation(id: $id, idempotencyKey: $idempotencyKey) {
      association {
        id
        status
      }
    }
  }
`);

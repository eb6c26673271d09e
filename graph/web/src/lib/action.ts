// useAction runs a mutation the way every form of the app does: with an idempotency key,
// turning errors into problems in the reader's language, and telling the page when it
// is done.
import { useCallback, useRef, useState } from 'react';
import { useMutation, type AnyVariables, type TypedDocumentNode } from 'urql';
import { useLocale, useT } from '../i18n';
import { Attempts } from './idempotency';
import { explain, type Problem } from './problems';

export interface ActionResult<D> {
  data: D | null;
  problems: Problem[];
}

export function useAction<D, V extends AnyVariables & { idempotencyKey?: string | null }>(document: TypedDocumentNode<D, V>) {
  const [state, execute] = useMutation<D, V>(document);
  const attempts = useRef(new Attempts());
  const [problems, setProblems] = useState<Problem[]>([]);
  const t = useT();
  const { locale } = useLocale();
  const run = useCallback(
    async (variables: Omit<V, 'idempotencyKey'>): Promise<ActionResult<D>> => {
      const key = attempts.current.keyFor(variables);
      const result = await execute({ ...variables, idempotencyKey: key } as unknown as V);
      if (!result.error || result.error.graphQLErrors.length > 0) attempts.current.answered();
      const found = explain(result.error, t, locale);
      setProblems(found);
      return { data: found.length === 0 ? (result.data ?? null) : null, problems: found };
    },
    [execute, t, locale],
  );
  const clear = useCallback(() => setProblems([]), []);
  return { run, busy: state.fetching, problems, setProblems, clear };
}

// Files the app hands over: a CSV the gateway wrote (with its byte-order mark and safe
// cells) is saved as it came, under the name the gateway gave it.
import { useCallback, useState } from 'react';
import { useClient, type AnyVariables, type TypedDocumentNode } from 'urql';
import { useLocale, useT } from '../i18n';
import { explain, type Problem } from './problems';

export interface FileValue {
  filename: string;
  contentType: string;
  content: string;
  rowCount: number;
}

/** saveFile hands a file to the browser, which saves it to the downloads. */
export function saveFile(file: FileValue) {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own copy once it started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** useDownload asks the gateway for a file (never from the cache: it is made now) and
 * saves it, telling the page what went wrong in the reader's language. */
export function useDownload<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, pick: (data: D) => FileValue) {
  const client = useClient();
  const t = useT();
  const { locale } = useLocale();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saved, setSaved] = useState<FileValue | null>(null);
  const run = useCallback(
    async (variables: V) => {
      setBusy(true);
      setSaved(null);
      try {
        const result = await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
        const found = explain(result.error, t, locale);
        setProblems(found);
        if (found.length === 0 && result.data) {
          const file = pick(result.data);
          saveFile(file);
          setSaved(file);
        }
      } finally {
        setBusy(false);
      }
    },
    [client, document, pick, t, locale],
  );
  return { run, busy, problems, setProblems, saved };
}

// Actions that change something for good ask first: a reason where the platform keeps
// one (a rejection, a suspension, a cancellation), a confirmation where there is none.
import { useId, useState, type ReactNode } from 'react';
import { useT } from '../i18n';
import type { Problem } from '../lib/problems';
import { Form, TextArea } from './form';

/** ReasonAction is a button that opens a short form asking why, then acts. */
export function ReasonAction(props: {
  label: string;
  confirmLabel: string;
  reasonLabel: string;
  hint?: string;
  optional?: boolean;
  danger?: boolean;
  busy?: boolean;
  problems: readonly Problem[];
  onConfirm: (reason: string) => Promise<boolean>;
  name: string;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Problem[]>([]);
  if (!open) {
    return (
      <button type="button" className={props.danger ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {props.label}
      </button>
    );
  }
  const submit = async () => {
    const r = reason.trim();
    if (!props.optional && (r.length < 3 || r.length > 1000)) {
      setLocal([{ field: props.name, message: t('rule.reason') }]);
      return;
    }
    setLocal([]);
    if (await props.onConfirm(r)) {
      setOpen(false);
      setReason('');
    }
  };
  const problems = local.length ? local : props.problems;
  return (
    <Form
      className="inline-form"
      label={props.label}
      onSubmit={submit}
      problems={problems}
      submitLabel={props.confirmLabel}
      busy={props.busy}
      secondary={
        <button type="button" onClick={() => setOpen(false)}>
          {t('form.cancel')}
        </button>
      }
    >
      <TextArea
        name={props.name}
        label={props.reasonLabel}
        hint={props.hint}
        value={reason}
        onChange={setReason}
        rows={3}
        maxLength={1000}
        required={!props.optional}
        error={problems[0]?.message}
      />
    </Form>
  );
}

/** ConfirmAction is a button that asks once more before acting. */
export function ConfirmAction(props: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => Promise<boolean> | Promise<void>;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!open) {
    return (
      <button type="button" className={props.danger ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-labelledby={id}>
      <p id={id}>{props.question}</p>
      <button
        type="button"
        className={props.danger ? 'danger' : 'primary'}
        disabled={props.busy}
        onClick={async () => {
          const ok = await props.onConfirm();
          if (ok !== false) setOpen(false);
        }}
      >
        {props.confirmLabel}
      </button>{' '}
      <button type="button" onClick={() => setOpen(false)}>
        {t('form.cancel')}
      </button>
    </div>
  );
}

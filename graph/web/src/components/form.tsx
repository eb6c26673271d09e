// Form parts that every page uses the same way: a visible label for each control, a
// hint and an error tied to it (aria-describedby), errors summed up at the top of the
// form and focused, so that keyboard and screen-reader users find them.
import { createContext, useCallback, useContext, useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import type { Problem } from '../lib/problems';

/** FieldScope keeps the ids of one form's controls apart from another's on the same
 * page (two forms with a "name" field). */
const FieldScope = createContext('');

/** fieldID is the id of the control for an API field name ("contact.email"), in a scope. */
export function fieldID(name: string, scope = ''): string {
  return 'f-' + (scope ? scope + '-' : '') + name.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** useFieldID names controls in the enclosing form's scope. */
export function useFieldID(): (name: string) => string {
  const scope = useContext(FieldScope);
  return useCallback((name: string) => fieldID(name, scope), [scope]);
}

interface FieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  /** quiet leaves out the "(optional)" mark of an optional field whose group says what
   * it needs (one of three languages). */
  quiet?: boolean;
}

/** Described shows a field's hint and error, under the ids its control names in aria-describedby. */
export function Described({ name, hint, error }: { name: string; hint?: ReactNode; error?: string | undefined }) {
  const id = useFieldID()(name);
  return (
    <>
      {hint ? (
        <p className="hint" id={id + '-hint'}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={id + '-error'}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** describedBy is a control's aria-describedby: its hint and error, where there are. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? id + '-hint' : '', error ? id + '-error' : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Label labels a field's control, marking the optional ones. */
export function Label({
  name,
  label,
  required,
  quiet,
}: {
  name: string;
  label: ReactNode;
  required?: boolean | undefined;
  quiet?: boolean | undefined;
}) {
  const t = useT();
  return (
    <label htmlFor={useFieldID()(name)}>
      {label}
      {required || quiet ? null : <span className="optional"> {t('form.optional')}</span>}
    </label>
  );
}

export function TextField(
  props: FieldProps & {
    value: string;
    onChange: (v: string) => void;
    type?: 'text' | 'email' | 'tel' | 'url' | 'number' | 'datetime-local' | 'time' | 'date' | 'password';
    autoComplete?: string;
    inputMode?: 'numeric' | 'decimal' | 'text' | 'email' | 'tel' | 'url';
    maxLength?: number;
    min?: number | string;
    max?: number | string;
    lang?: string;
    width?: 'short' | 'medium';
  },
) {
  const fid = useFieldID();
  const { name, label, hint, error, required, quiet, value, onChange, width, ...rest } = props;
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <Label name={name} label={label} required={required} quiet={quiet} />
      <Described name={name} hint={hint} error={error} />
      <input
        id={fid(name)}
        name={name}
        className={width ? 'w-' + width : undefined}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid(name), hint, error)}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
        type={rest.type ?? 'text'}
      />
    </div>
  );
}

export function TextArea(props: FieldProps & { value: string; onChange: (v: string) => void; rows?: number; maxLength?: number; lang?: string }) {
  const fid = useFieldID();
  const { name, label, hint, error, required, quiet, value, onChange, rows, maxLength, lang } = props;
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <Label name={name} label={label} required={required} quiet={quiet} />
      <Described name={name} hint={hint} error={error} />
      <textarea
        id={fid(name)}
        name={name}
        value={value}
        rows={rows ?? 4}
        maxLength={maxLength}
        lang={lang}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid(name), hint, error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: FieldProps & { value: string; onChange: (v: string) => void; options: readonly Option[]; placeholder?: string }) {
  const fid = useFieldID();
  const { name, label, hint, error, required, quiet, value, onChange, options, placeholder } = props;
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <Label name={name} label={label} required={required} quiet={quiet} />
      <Described name={name} hint={hint} error={error} />
      <select
        id={fid(name)}
        name={name}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid(name), hint, error)}
        onChange={(e) => onChange(e.target.value)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes is a group of choices under one legend. */
export function Checkboxes(
  props: FieldProps & { values: readonly string[]; onChange: (v: string[]) => void; options: readonly Option[]; columns?: boolean },
) {
  const fid = useFieldID();
  const { name, label, hint, error, required, values, onChange, options, columns } = props;
  const t = useT();
  return (
    <fieldset className={'field' + (error ? ' invalid' : '')} id={fid(name)} aria-describedby={describedBy(fid(name), hint, error)}>
      <legend>
        {label}
        {required ? null : <span className="optional"> {t('form.optional')}</span>}
      </legend>
      <Described name={name} hint={hint} error={error} />
      <div className={columns ? 'choices columns' : 'choices'}>
        {options.map((o) => {
          const id = `${fid(name)}-${o.value}`;
          const checked = values.includes(o.value);
          return (
            <div className="choice" key={o.value}>
              <input
                type="checkbox"
                id={id}
                checked={checked}
                onChange={() => onChange(checked ? values.filter((v) => v !== o.value) : [...values, o.value])}
              />
              <label htmlFor={id}>{o.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** Radios is one choice among a few, under one legend. */
export function Radios(props: FieldProps & { value: string; onChange: (v: string) => void; options: readonly Option[]; inline?: boolean }) {
  const fid = useFieldID();
  const { name, label, hint, error, value, onChange, options, inline } = props;
  return (
    <fieldset className={'field' + (error ? ' invalid' : '')} id={fid(name)} aria-describedby={describedBy(fid(name), hint, error)}>
      <legend>{label}</legend>
      <Described name={name} hint={hint} error={error} />
      <div className={inline ? 'choices inline' : 'choices'}>
        {options.map((o) => {
          const id = `${fid(name)}-${o.value}`;
          return (
            <div className="choice" key={o.value}>
              <input type="radio" id={id} name={name} checked={value === o.value} onChange={() => onChange(o.value)} />
              <label htmlFor={id}>{o.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** ProblemSummary lists a form's problems, each linked to its field, and takes the
 * focus when they appear. */
export function ProblemSummary({ problems }: { problems: readonly Problem[] }) {
  const t = useT();
  const fid = useFieldID();
  const ref = useRef<HTMLDivElement>(null);
  const headingID = useId();
  useEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div className="problems" role="alert" aria-labelledby={headingID} tabIndex={-1} ref={ref}>
      <h2 id={headingID}>{t('form.problems')}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.field ? (
              <a
                href={'#' + fid(p.field)}
                onClick={(e) => {
                  const target = document.getElementById(fid(p.field ?? '')) ?? document.getElementById(fid((p.field ?? '').split('.')[0] ?? ''));
                  if (target) {
                    e.preventDefault();
                    target.focus();
                    target.scrollIntoView({ block: 'center' });
                  }
                }}
              >
                {p.message}
              </a>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Form is a form with its problems on top and its submit button below. */
export function Form(props: {
  onSubmit: () => void;
  problems: readonly Problem[];
  submitLabel: string;
  busy?: boolean;
  children: ReactNode;
  secondary?: ReactNode;
  className?: string;
  label?: string;
  /** scope keeps this form's control ids apart from another form's on the page. */
  scope?: string;
}) {
  const t = useT();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!props.busy) props.onSubmit();
  };
  return (
    <FieldScope.Provider value={props.scope ?? ''}>
      <form className={props.className ?? 'form'} onSubmit={submit} noValidate aria-label={props.label}>
        <ProblemSummary problems={props.problems} />
        {props.children}
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy} aria-busy={props.busy || undefined}>
            {props.busy ? t('form.sending') : props.submitLabel}
          </button>
          {props.secondary}
        </div>
      </form>
    </FieldScope.Provider>
  );
}

/** Notice confirms what was done; screen readers announce it. */
export function Notice({ children, kind = 'success' }: { children: ReactNode; kind?: 'success' | 'info' | 'warning' }) {
  return (
    <div className={'notice ' + kind} role="status">
      {children}
    </div>
  );
}

import { useState } from 'react';
import { firstInvalidField, visibleErrors } from './field-rules';

/**
 * A screen's fields (keyed by their element ids, in form order), their errors as `validate` finds them (shown from the
 * first submit on, field-rules.ts `visibleErrors`), and `check()` for the submit: false, with focus on the first
 * invalid field, while anything is wrong.
 */
export function useAuthForm<K extends string>(initial: Record<K, string>, validate: (values: Record<K, string>) => Record<K, string[]>) {
  const [values, setValues] = useState(initial);
  const [submitted, setSubmitted] = useState(false);
  const all = validate(values);
  const errors = visibleErrors(all, submitted);
  const bind = (id: K) => ({
    id,
    value: values[id],
    onValueChange: (value: string) => setValues((current) => ({ ...current, [id]: value })),
    errors: errors[id] ?? [],
  });
  const check = (): boolean => {
    setSubmitted(true);
    const first = firstInvalidField(all);
    if (first === undefined) return true;
    document.getElementById(first)?.focus();
    return false;
  };
  return { values, bind, check };
}

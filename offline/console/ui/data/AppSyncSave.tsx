/**
 * "Save through AppSync (as IAM)": the model's create/update mutation, found in the schema by introspection; where the
 * model has none (its mutations are disabled), it says so and the page offers DynamoDB only.
 */
import { useEffect, useState } from 'react';
import { describeError } from '../api';
import { introspectedSchema, asIam } from './appsync-client';
import { mutationFor, mutationPlan, type MutationPlan } from './appsync-mutation';
import type { Item } from './types';

interface Props {
  model: string | undefined;
  kind: 'create' | 'update';
  /** For an update: the item as stored and the table's key attributes (only what changed is sent). */
  stored: { item: Item; keyNames: string[] } | undefined;
  busy: boolean;
  /** The editor's item, or undefined (and the reason is shown) when its text is not a valid item. */
  item: () => Item | undefined;
  onResult: (result: { ok: true; message: string } | { ok: false; message: string }) => void;
  onSaving: (saving: boolean) => void;
}

type PlanState = { state: 'loading' } | { state: 'none'; reason: string } | { state: 'ready'; plan: MutationPlan };

function usePlan(model: string | undefined, kind: 'create' | 'update'): PlanState {
  const [plan, setPlan] = useState<PlanState>({ state: 'loading' });
  useEffect(() => {
    if (model === undefined) {
      setPlan({ state: 'none', reason: 'This table stores no model of the API, so there is no mutation to run.' });
      return;
    }
    let live = true;
    setPlan({ state: 'loading' });
    introspectedSchema().then(
      (schema) => {
        if (!live) return;
        const found = mutationPlan(schema, model, kind);
        setPlan(found ? { state: 'ready', plan: found } : { state: 'none', reason: `The API has no ${kind}${model} mutation (the model's mutations are disabled): only "Save to DynamoDB" is possible.` });
      },
      (error: unknown) => live && setPlan({ state: 'none', reason: `Could not read the API's schema: ${describeError(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [model, kind]);
  return plan;
}

export function AppSyncSave({ model, kind, stored, busy, item, onResult, onSaving }: Props) {
  const plan = usePlan(model, kind);
  const save = async () => {
    if (plan.state !== 'ready') return;
    const value = item();
    if (!value) return;
    const { query, variables, dropped } = mutationFor(plan.plan, value, kind === 'update' ? stored : undefined);
    onSaving(true);
    try {
      await asIam(query, variables);
      const skipped = dropped.length > 0 ? ` Not sent (not in its input): ${dropped.join(', ')}.` : '';
      onResult({ ok: true, message: `Saved through AppSync (${plan.plan.field}, as IAM): resolvers ran and subscriptions fired.${skipped}` });
    } catch (error) {
      onResult({ ok: false, message: `AppSync: ${describeError(error)}` });
    } finally {
      onSaving(false);
    }
  };
  return (
    <div className="save-path">
      <button type="button" onClick={() => void save()} disabled={busy || plan.state !== 'ready'}>
        Save through AppSync (as IAM)
      </button>
      <p className="muted small">
        {plan.state === 'loading' && 'Reading the API schema…'}
        {plan.state === 'none' && plan.reason}
        {plan.state === 'ready' && (
          <>
            Runs <code>{plan.plan.field}</code> as an IAM caller: resolvers run, subscriptions fire, open apps see it live.
          </>
        )}
      </p>
    </div>
  );
}

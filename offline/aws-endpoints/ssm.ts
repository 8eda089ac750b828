/**
 * SSM `GetParameters` (JSON 1.1, `X-Amz-Target: AmazonSSM.GetParameters`) over a fixed set of String parameters.
 */
import { NOT_A_STRUCTURE, SSM_NAMES_MISSING, ssmTooManyNames, ssmUnknownOperation } from '../errors';

export interface SsmParameterStore {
  /** Current value of a parameter, or undefined when it does not exist. */
  get(name: string): string | undefined;
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

const MAX_NAMES = 10;

export function ssmError(status: number, type: string, message: string): JsonResponse {
  return { status, body: { __type: type, message } };
}

/** Handles one SSM JSON request; `target` is the `X-Amz-Target` header. */
export function handleSsm(
  target: string,
  rawBody: string,
  store: SsmParameterStore,
  context: { region: string; accountId: string; lastModified: Date },
): JsonResponse {
  const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : undefined;
  if (operation !== 'GetParameters') {
    const { errorType, message } = ssmUnknownOperation(operation ?? target);
    return ssmError(400, errorType, message);
  }
  let input: unknown;
  try {
    input = JSON.parse(rawBody || '{}');
  } catch {
    return ssmError(400, NOT_A_STRUCTURE.errorType, NOT_A_STRUCTURE.message);
  }
  const names = (input as { Names?: unknown }).Names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n): n is string => typeof n === 'string')) {
    return ssmError(400, SSM_NAMES_MISSING.errorType, SSM_NAMES_MISSING.message);
  }
  if (names.length > MAX_NAMES) {
    const { errorType, message } = ssmTooManyNames(names, MAX_NAMES);
    return ssmError(400, errorType, message);
  }
  const parameters: Record<string, unknown>[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    const value = store.get(name);
    if (value === undefined) {
      invalid.push(name);
      continue;
    }
    parameters.push({
      Name: name,
      Type: 'String',
      Value: value,
      Version: 1,
      LastModifiedDate: context.lastModified.getTime() / 1000,
      ARN: `arn:aws:ssm:${context.region}:${context.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    });
  }
  return { status: 200, body: { Parameters: parameters, InvalidParameters: invalid } };
}

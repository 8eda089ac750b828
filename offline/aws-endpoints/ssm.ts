/**
 * SSM `GetParameters` (JSON 1.1, `X-Amz-Target: AmazonSSM.GetParameters`) over a fixed set of String parameters.
 */
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
    return ssmError(400, 'UnknownOperationException', `The operation ${operation ?? target} is not available in the offline sandbox (only GetParameters)`);
  }
  let input: unknown;
  try {
    input = JSON.parse(rawBody || '{}');
  } catch {
    return ssmError(400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
  const names = (input as { Names?: unknown }).Names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n): n is string => typeof n === 'string')) {
    return ssmError(400, 'ValidationException', "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
  }
  if (names.length > MAX_NAMES) {
    return ssmError(
      400,
      'ValidationException',
      `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NAMES}`,
    );
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

/** Whole-request error bodies of the AppSync HTTP endpoint (400 for an empty or unparseable request, 401 for
 * missing or invalid auth), with AppSync's messages and error types. */
export interface RequestError {
  status: number;
  errorType: string;
  message: string;
}

export const EMPTY_BODY: RequestError = { status: 400, errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' };
export const UNPARSABLE: RequestError = { status: 400, errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' };
export const TOO_LARGE = (limit: number): RequestError => ({
  status: 413,
  errorType: 'PayloadTooLargeException',
  message: `Request body exceeds the ${limit} byte limit of the offline sandbox.`,
});
export const METHOD_NOT_ALLOWED: RequestError = { status: 405, errorType: 'MethodNotAllowedException', message: 'Only POST is supported on /graphql (GraphQL over GET is not emulated).' };
export const NOT_FOUND: RequestError = { status: 404, errorType: 'NotFoundException', message: 'Not found. The GraphQL endpoint is POST /graphql.' };
export const INTERNAL: RequestError = { status: 500, errorType: 'InternalFailure', message: 'An internal failure occurred in the offline AppSync emulator; see its log.' };

export function errorBody(error: Pick<RequestError, 'errorType' | 'message'>): string {
  return JSON.stringify({ errors: [{ errorType: error.errorType, message: error.message }] });
}

/**
 * The sandbox's Cognito service: the user pool (state on disk, keys, triggers run by the Lambda service) and its
 * Identity Provider endpoint. A reload that changes the pool's configuration is reported: it applies at the next start.
 */
import type { LambdaRunner } from '../lambda/index.js';
import { LambdaInvocationError } from '../lambda/index.js';
import type { BackendDescription } from '../loader/index.js';
import { DEFAULT_PORTS } from '../sandbox/ports.js';
import { listenWithFallback } from '../sandbox/listen-fallback.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { TriggerInvocationError, triggerWithoutFunction } from '../errors.js';
import { UserPool, createUserPool } from './pool.js';
import { startCognitoServer, type TargetHandler } from './server.js';

export interface CognitoApi {
  pool: UserPool;
  /** The client's `Auth.Cognito.userPoolEndpoint`. */
  url: string;
  /**
   * Answers another AWS JSON 1.1 service on this endpoint, by `X-Amz-Target` prefix (the identity pool: offline/
   * cognito-identity), until the returned function is called.
   */
  serveTarget(prefix: string, handler: TargetHandler): () => void;
}

export interface CognitoServiceOptions {
  /** The preferred port (a taken one falls back to a free port, with a warning); 0 picks a free one. */
  port?: number;
}

/** How Cognito reports a trigger whose function failed outside its handler (see README.md). */
const LAMBDA_FAILURES_THAT_ARE_NOT_THE_HANDLER = new Set(['Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.ImportModuleError']);

export function cognitoService(options: CognitoServiceOptions = {}): ServiceDefinition<'cognito', CognitoApi, { lambda: LambdaRunner }, { needsRestart: boolean }> {
  return {
    name: 'cognito',
    label: 'Cognito',
    dependsOn: ['lambda'],
    async start({ lambda }, context) {
      let description = context.description;
      const pool = await createUserPool({
        description: description.userPool,
        dataDir: context.data.cognito,
        logger: {
          info: (m) => context.log(`[cognito] ${m}`),
          warn: (m) => context.log(`[cognito] warning: ${m}`, 'warn'),
          code: (m) => context.log(`[cognito] ${m}`, 'code'),
        },
        invokeTrigger: (triggerName, event) => invokeTrigger(lambda, description, triggerName, event),
      });
      const otherTargets = new Map<string, TargetHandler>();
      try {
        const server = await listenWithFallback(
          'Cognito',
          options.port ?? DEFAULT_PORTS.cognito,
          (port) => startCognitoServer({ pool, host: context.host, port, otherTargets }),
          context.log,
          'Tokens issued before this start will not verify (their issuer names the old port).',
        );
        return {
          api: {
            pool,
            url: server.url,
            serveTarget: (prefix, handler) => {
              otherTargets.set(prefix, handler);
              return () => otherTargets.delete(prefix);
            },
          },
          urls: { cognito: server.url },
          summary: `user pool ${pool.id} at ${server.url}`,
          prepareReload: async (next) => {
            const needsRestart = JSON.stringify(next.userPool) !== JSON.stringify(description.userPool);
            return () => {
              description = next;
              return { needsRestart };
            };
          },
          close: async () => {
            try {
              await server.close();
            } finally {
              pool.close();
            }
          },
        };
      } catch (error) {
        pool.close();
        throw error;
      }
    },
  };
}

/** Runs a Cognito trigger's function; maps runner failures to what Cognito reports (see README.md). */
async function invokeTrigger(lambdas: LambdaRunner, description: BackendDescription, triggerName: string, event: unknown): Promise<unknown> {
  const functionName = description.userPool.triggers[triggerName];
  if (!functionName) throw triggerWithoutFunction(triggerName);
  try {
    return await lambdas.invoke(functionName, event);
  } catch (error) {
    if (error instanceof LambdaInvocationError && LAMBDA_FAILURES_THAT_ARE_NOT_THE_HANDLER.has(error.lambdaError.errorType)) {
      throw new TriggerInvocationError('unexpected', error.message);
    }
    throw error;
  }
}

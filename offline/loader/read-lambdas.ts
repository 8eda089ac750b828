/**
 * Lambda functions (`AWS::Lambda::Function`) and what invokes them on a schedule (`AWS::Scheduler::Schedule`, the
 * Gen 2 `defineFunction({ schedule })` output since backend-function 1.x; `AWS::Events::Rule` before that).
 *
 * Naming: `LambdaDescription.name` is the `amplify:friendly-name` tag (the `defineFunction` name) for app functions and
 * the logical id otherwise. Amplify's table-manager provider functions inherit the data construct's tag
 * (`amplifyData`), so deployment helpers are recognized by their CDK construct path and named by logical id.
 */
import {
  asString,
  flagUnsupported,
  isRecord,
  listProperty,
  numberProperty,
  recordProperty,
  resourcesOfType,
  stringProperty,
  tagsOf,
  type LoaderContext,
} from './resource-properties';
import { createRolePolicyReader, emptyRolePolicy } from './read-role-policies';
import type { StackResource } from './stack-tree';
import type { LambdaDescription } from './types';

const FRIENDLY_NAME_TAG = 'amplify:friendly-name';

/**
 * Construct paths of functions CDK / Amplify create for deploying, not for the app: custom-resource providers, the
 * Amplify table manager (+ its waiter), bucket deployments, log retention, auto-delete-objects, the branch linker.
 */
const DEPLOYMENT_HELPER_PATHS: RegExp[] = [
  /\/AmplifyTableManager\//,
  /CustomResourceProvider/,
  /\/Custom::/,
  /\/framework-(onEvent|isComplete|onTimeout)\//,
  /\/Provider\/framework/,
  /BucketDeployment/,
  /\/LogRetention[0-9a-f]{32}\//,
  /AwsCustomResource/,
  /BranchLinker/,
];

export function isDeploymentHelper(resource: StackResource): boolean {
  const path = resource.cdkPath ?? '';
  return DEPLOYMENT_HELPER_PATHS.some((pattern) => pattern.test(path));
}

/** Finds the LambdaDescription name for a function ARN or name (as Refs / GetAtts of the functions resolve). */
export interface LambdaIndex {
  nameFor(arnOrName: string): string | undefined;
}

export function readLambdas(context: LoaderContext): { lambdas: LambdaDescription[]; index: LambdaIndex } {
  const lambdas: LambdaDescription[] = [];
  const byPhysical = new Map<string, string>();
  const usedNames = new Set<string>();
  const rolePolicyOf = createRolePolicyReader(context);

  for (const resource of resourcesOfType(context, 'AWS::Lambda::Function')) {
    const friendlyName = tagsOf(resource)[FRIENDLY_NAME_TAG];
    const appFunction = friendlyName !== undefined && !isDeploymentHelper(resource);
    const codeDirectory = codeDirectoryOf(context, resource);
    if (codeDirectory === undefined) {
      // Deployment helpers with inline or container code are irrelevant offline; app functions are not.
      if (appFunction)
        flagUnsupported(
          context,
          resource,
          'function code is not a directory asset (inline ZipFile or container image)',
        );
      continue;
    }
    const preferred = appFunction ? friendlyName : resource.logicalId;
    const name = usedNames.has(preferred) ? `${resource.stack.stackName}/${resource.logicalId}` : preferred;
    usedNames.add(name);

    const physicalName = String(resource.stack.resourceRef(resource.logicalId));
    byPhysical.set(physicalName, name);
    byPhysical.set(String(resource.stack.resourceAttribute(resource.logicalId, 'Arn')), name);

    lambdas.push({
      name,
      logicalId: resource.logicalId,
      codeDirectory,
      handler: stringProperty(resource, 'Handler') ?? 'index.handler',
      runtime: stringProperty(resource, 'Runtime') ?? '',
      // CloudFormation / Lambda defaults: 3 s, 128 MB.
      timeoutSeconds: numberProperty(resource, 'Timeout') ?? 3,
      memoryMB: numberProperty(resource, 'MemorySize') ?? 128,
      environment: environmentOf(resource),
      schedules: [],
      appFunction,
      policy: appFunction ? rolePolicyOf(resource) : emptyRolePolicy(),
    });
  }

  const index: LambdaIndex = {
    nameFor: (arnOrName) => byPhysical.get(arnOrName) ?? byPhysical.get(unqualifiedFunctionArn(arnOrName)),
  };
  return { lambdas, index };
}

/**
 * Schedules targeting functions. `AWS::Scheduler::Schedule` has one `Target`; `AWS::Events::Rule` a list of `Targets`
 * and either a `ScheduleExpression` or an `EventPattern` (event-driven rules are not emulated → unsupported).
 * Disabled schedules are skipped.
 */
export function attachSchedules(context: LoaderContext, lambdas: LambdaDescription[], index: LambdaIndex): void {
  const byName = new Map(lambdas.map((lambda) => [lambda.name, lambda]));
  const attach = (resource: StackResource, expression: string | undefined, targetArn: unknown): void => {
    const arn = asString(targetArn, resource, ['Target', 'Arn']) ?? '';
    const lambda = byName.get(index.nameFor(arn) ?? '');
    if (!lambda) {
      flagUnsupported(context, resource, `schedule target ${arn} is not a Lambda function of this backend`);
    } else if (!expression) {
      flagUnsupported(
        context,
        resource,
        `rule targeting ${lambda.name} has no ScheduleExpression (event patterns are not emulated)`,
      );
    } else {
      lambda.schedules.push(expression);
    }
  };

  for (const resource of resourcesOfType(context, 'AWS::Scheduler::Schedule')) {
    if (stringProperty(resource, 'State') === 'DISABLED') continue;
    attach(resource, stringProperty(resource, 'ScheduleExpression'), recordProperty(resource, 'Target')?.['Arn']);
  }
  for (const resource of resourcesOfType(context, 'AWS::Events::Rule')) {
    if (stringProperty(resource, 'State') === 'DISABLED') continue;
    for (const target of listProperty(resource, 'Targets')) {
      attach(resource, stringProperty(resource, 'ScheduleExpression'), isRecord(target) ? target['Arn'] : undefined);
    }
  }
}

/** `Code.S3Bucket`/`S3Key` → the asset directory CDK would have zipped (`asset.<hash>/index.mjs`). */
function codeDirectoryOf(context: LoaderContext, resource: StackResource): string | undefined {
  const code = recordProperty(resource, 'Code');
  const key = asString(code?.['S3Key'], resource, ['Code', 'S3Key']);
  if (key === undefined) return undefined;
  const asset = context.assembly.assetByObjectKey(key);
  if (!asset)
    resource.stack.fail(
      ['Resources', resource.logicalId, 'Properties', 'Code', 'S3Key'],
      `${key} is not an asset of the cloud assembly`,
    );
  return asset.isDirectory ? asset.path : undefined;
}

function environmentOf(resource: StackResource): Record<string, string> {
  const variables = recordProperty(resource, 'Environment')?.['Variables'];
  const environment: Record<string, string> = {};
  if (isRecord(variables)) {
    for (const [key, value] of Object.entries(variables)) {
      environment[key] = asString(value, resource, ['Environment', 'Variables', key]) ?? '';
    }
  }
  return environment;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<version|alias>]` → without the qualifier. */
function unqualifiedFunctionArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 && parts[5] === 'function' ? parts.slice(0, 7).join(':') : arn;
}

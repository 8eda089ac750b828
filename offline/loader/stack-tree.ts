/**
 * The root stack and its nested stacks, loaded from a cloud assembly, each able to evaluate intrinsics the way
 * CloudFormation would when deploying it.
 *
 * Nested stacks: an `AWS::CloudFormation::Stack` resource's `TemplateURL` is an S3 URL of an asset; the asset manifests
 * map it to the `*.nested.template.json` file. Its `Parameters` are evaluated in the parent stack (lazily, only when the
 * child actually `Ref`s them) and the child's template `Parameters` defaults apply to the rest. `Fn::GetAtt
 * [Stack, Outputs.X]` in the parent evaluates output `X` in the child.
 *
 * Everything is lazy and cached: only the properties the loader reads are evaluated, so an intrinsic we cannot model in
 * an irrelevant resource (an IAM policy, an alarm) never causes an error.
 */
import type { CloudAssembly, CfnResource, CfnTemplate } from './cloud-assembly';
import {
  IntrinsicError,
  NO_VALUE,
  evaluateCondition,
  resolveIntrinsics,
  type IntrinsicScope,
  type PseudoParameters,
} from './intrinsics';
import { FAKE_ACCOUNT_ID, FAKE_PARTITION, FAKE_REGION, FAKE_URL_SUFFIX } from './physical-ids';
import { resourceAttribute, resourceRef, stackArn, type ResourceHandle } from './resource-identity';

/** A resource of some stack in the tree (only resources whose `Condition`, if any, is true). */
export interface StackResource {
  stack: LoadedStack;
  logicalId: string;
  type: string;
  /** `Metadata["aws:cdk:path"]`, e.g. `amplify-app-sandbox-x/data/presence-lambda/Resource`. */
  cdkPath: string | undefined;
}

interface ParentLink {
  stack: LoadedStack;
  logicalId: string;
}

const IN_PROGRESS = Symbol('in progress');

export class LoadedStack implements IntrinsicScope {
  readonly stackName: string;
  readonly templateFile: string;
  readonly pseudo: PseudoParameters;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  readonly parent: ParentLink | undefined;
  /** Nested stacks by the logical id of their `AWS::CloudFormation::Stack` resource. */
  readonly children = new Map<string, LoadedStack>();

  private readonly template: CfnTemplate;
  private readonly assembly: CloudAssembly;
  private readonly cache = new Map<string, unknown>();
  private resourceList: StackResource[] | undefined;

  private constructor(
    assembly: CloudAssembly,
    stackName: string,
    templateFile: string,
    parent: ParentLink | undefined,
  ) {
    this.assembly = assembly;
    this.stackName = stackName;
    this.templateFile = templateFile;
    this.parent = parent;
    this.template = assembly.readTemplate(templateFile);
    this.conditions = this.template.Conditions ?? {};
    this.mappings = this.template.Mappings ?? {};
    this.pseudo = {
      region: FAKE_REGION,
      accountId: FAKE_ACCOUNT_ID,
      partition: FAKE_PARTITION,
      urlSuffix: FAKE_URL_SUFFIX,
      stackName,
      stackId: stackArn(FAKE_REGION, FAKE_ACCOUNT_ID, stackName),
    };
    for (const { logicalId, type } of this.resources()) {
      if (type === 'AWS::CloudFormation::Stack') this.children.set(logicalId, this.loadNestedStack(logicalId));
    }
  }

  /** Load the assembly's root stack and, recursively, all nested stacks. */
  static loadRoot(assembly: CloudAssembly): LoadedStack {
    return new LoadedStack(assembly, assembly.rootStack.stackName, assembly.rootStack.templateFile, undefined);
  }

  /** This stack and all stacks nested in it, depth first, in template order. */
  allStacks(): LoadedStack[] {
    return [this, ...[...this.children.values()].flatMap((child) => child.allStacks())];
  }

  /** Resources of this stack whose `Condition` (if any) holds, in template order. */
  resources(): StackResource[] {
    this.resourceList ??= Object.entries(this.template.Resources ?? {})
      .filter(([logicalId, resource]) =>
        resource.Condition === undefined
          ? true
          : evaluateCondition(resource.Condition, this, ['Resources', logicalId, 'Condition']),
      )
      .map(([logicalId, resource]) => ({
        stack: this,
        logicalId,
        type: resource.Type,
        cdkPath:
          typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? resource.Metadata['aws:cdk:path'] : undefined,
      }));
    return this.resourceList;
  }

  /** A top-level resource property after intrinsic evaluation; `undefined` when absent or `AWS::NoValue`. */
  property(logicalId: string, propertyName: string): unknown {
    return this.cached(`property\u0000${logicalId}\u0000${propertyName}`, () => {
      const raw = this.rawResource(logicalId).Properties?.[propertyName];
      const value = resolveIntrinsics(raw, this, ['Resources', logicalId, 'Properties', propertyName]);
      return value === NO_VALUE ? undefined : value;
    });
  }

  /** A top-level resource property as written in the template (intrinsics not evaluated). */
  rawProperty(logicalId: string, propertyName: string): unknown {
    return this.rawResource(logicalId).Properties?.[propertyName];
  }

  /** A nested stack output's value, evaluated in this stack. */
  output(outputName: string): unknown {
    return this.cached(`output\u0000${outputName}`, () => {
      const output = this.template.Outputs?.[outputName];
      if (!output)
        throw new IntrinsicError(this.stackName, ['Outputs', outputName], `stack has no output ${outputName}`);
      const value = resolveIntrinsics(output.Value, this, ['Outputs', outputName, 'Value']);
      return value === NO_VALUE ? undefined : value;
    });
  }

  /** Throws an {@link IntrinsicError} naming this stack and the path (for problems found by the loader itself). */
  fail(path: readonly string[], reason: string): never {
    throw new IntrinsicError(this.stackName, path, reason);
  }

  // IntrinsicScope -------------------------------------------------------------------------------------------------

  parameter(name: string): { value: unknown } | undefined {
    const declaration = this.template.Parameters?.[name];
    if (!declaration) return undefined;
    return { value: this.cached(`parameter\u0000${name}`, () => this.parameterValue(name, declaration)) };
  }

  hasResource(logicalId: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.template.Resources ?? {}, logicalId);
  }

  resourceRef(logicalId: string): unknown {
    return this.cached(`ref\u0000${logicalId}`, () => resourceRef(this.handle(logicalId)));
  }

  resourceAttribute(logicalId: string, attribute: string): unknown {
    return this.cached(`attribute\u0000${logicalId}\u0000${attribute}`, () =>
      resourceAttribute(this.handle(logicalId), attribute),
    );
  }

  // internals ------------------------------------------------------------------------------------------------------

  private rawResource(logicalId: string): CfnResource {
    const resource = this.template.Resources?.[logicalId];
    if (!resource) throw new IntrinsicError(this.stackName, ['Resources', logicalId], `no resource ${logicalId}`);
    return resource;
  }

  private handle(logicalId: string): ResourceHandle {
    return {
      stackName: this.stackName,
      logicalId,
      type: this.rawResource(logicalId).Type,
      region: this.pseudo.region,
      accountId: this.pseudo.accountId,
      property: (name) => this.property(logicalId, name),
      nestedStackOutput: (name) => this.nestedStack(logicalId).output(name),
      nestedStackName: () => nestedStackName(this.stackName, logicalId),
    };
  }

  private nestedStack(logicalId: string): LoadedStack {
    const child = this.children.get(logicalId);
    if (!child)
      throw new IntrinsicError(this.stackName, ['Resources', logicalId], `${logicalId} is not a nested stack`);
    return child;
  }

  private loadNestedStack(logicalId: string): LoadedStack {
    const url = this.property(logicalId, 'TemplateURL');
    const asset = typeof url === 'string' ? this.assembly.assetByUrl(url) : undefined;
    if (!asset) {
      this.fail(
        ['Resources', logicalId, 'Properties', 'TemplateURL'],
        `nested stack template ${String(url)} is not in any *.assets.json manifest of ${this.assembly.directory}`,
      );
    }
    return new LoadedStack(this.assembly, nestedStackName(this.stackName, logicalId), asset.path, {
      stack: this,
      logicalId,
    });
  }

  private parameterValue(name: string, declaration: { Type?: string; Default?: unknown }): unknown {
    let value: unknown;
    const passed = this.parent
      ? this.parent.stack.rawResource(this.parent.logicalId).Properties?.['Parameters']
      : undefined;
    if (this.parent && isRecord(passed) && Object.prototype.hasOwnProperty.call(passed, name)) {
      const { stack, logicalId } = this.parent;
      value = resolveIntrinsics(passed[name], stack, ['Resources', logicalId, 'Properties', 'Parameters', name]);
    } else if (declaration.Default !== undefined) {
      if (declaration.Type?.startsWith('AWS::SSM::Parameter::Value')) {
        this.fail(
          ['Parameters', name],
          `parameter ${name} is read from SSM at deploy time (${String(declaration.Default)})`,
        );
      }
      value = declaration.Default;
    } else {
      this.fail(['Parameters', name], `parameter ${name} has no default and no value passed by a parent stack`);
    }
    // List-typed parameters are comma-separated strings that Ref returns as lists.
    const type = declaration.Type ?? 'String';
    if (typeof value === 'string' && (type === 'CommaDelimitedList' || type.startsWith('List<'))) {
      return value.split(',').map((item) => item.trim());
    }
    return value;
  }

  /** Memoize `compute`, detecting cycles (a resource property that needs itself). */
  private cached<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) {
      const value = this.cache.get(key);
      if (value === IN_PROGRESS) {
        const [kind, ...rest] = key.split('\u0000');
        this.fail(
          kind === 'property' ? ['Resources', ...rest] : rest,
          `circular reference while evaluating ${kind} ${rest.join('.')}`,
        );
      }
      return value as T;
    }
    this.cache.set(key, IN_PROGRESS);
    try {
      const value = compute();
      this.cache.set(key, value);
      return value;
    } catch (error) {
      this.cache.delete(key);
      throw error;
    }
  }
}

/** CloudFormation names nested stacks `<parent>-<logicalId>-<random>`; offline the suffix is omitted. */
export function nestedStackName(parentStackName: string, logicalId: string): string {
  return `${parentStackName}-${logicalId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

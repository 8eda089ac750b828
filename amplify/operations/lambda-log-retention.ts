import { CfnResource, RemovalPolicy, Stack, type IAspect } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * Gives every Lambda function of the app — ours and the ones Amplify and CDK add for deployment
 * (table manager, log retention, bucket deployment, branch linker…) — a log group with a retention,
 * instead of the never-expiring `/aws/lambda/<name>` group Lambda creates on first run.
 *
 * Functions that already name a log group (ours, through defineFunction `logging`) are left alone.
 * The others get a CloudFormation-managed group wired through `LoggingConfig.LogGroup`, so the group
 * exists before the function first runs and is deleted with the stack.
 */
export class RetainLambdaLogs implements IAspect {
  constructor(private readonly retentionDays: number) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    if (node instanceof lambda.CfnFunction) {
      const config = Stack.of(node).resolve(node.loggingConfig) as lambda.CfnFunction.LoggingConfigProperty | undefined;
      if (config?.logGroup) return;
    }
    const scope = node.node.scope;
    if (!scope) return;
    const id = `${node.node.id}RetainedLogs`;
    if (scope.node.tryFindChild(id)) return;
    const group = new logs.CfnLogGroup(scope, id, { retentionInDays: this.retentionDays });
    // Logs of deployment-time helpers: they go with the stack.
    group.applyRemovalPolicy(RemovalPolicy.DESTROY);
    node.addPropertyOverride('LoggingConfig.LogGroup', group.ref);
  }
}

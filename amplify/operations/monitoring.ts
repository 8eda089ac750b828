import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';

/**
 * CloudWatch alarms and a dashboard for the chat backend, plus an optional SNS topic with an
 * e-mail subscription for alarm notifications.
 */

export interface MonitoringProps {
  /** `<prefix>-<environment>-<backend name>`: starts every alarm and dashboard name. */
  namePrefix: string;
  apiId: string;
  tables: Record<string, dynamodb.ITable>;
  functions: Record<string, lambda.IFunction>;
  latencyP99ThresholdMs: number;
  alarmEmail: string | undefined;
}

/** DynamoDB operations the generated AppSync resolvers issue; each is one metric of the math expression. */
export const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
];

const FIVE_MINUTES = Duration.minutes(5);

/** `message-processor` → `MessageProcessor` (construct ids). */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

export class ChatMonitoring {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly topic: sns.Topic | undefined;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(stack: Stack, props: MonitoringProps) {
    const { namePrefix } = props;
    if (props.alarmEmail) {
      this.topic = new sns.Topic(stack, 'AlarmTopic', {
        topicName: `${namePrefix}-alarms`,
        displayName: `${namePrefix} chat alarms`,
        enforceSSL: true,
        masterKey: kms.Alias.fromAliasName(stack, 'AlarmTopicKey', 'alias/aws/sns'),
      });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    type AlarmOptions = Partial<cloudwatch.AlarmProps> & { name: string; description: string };
    const alarm = (id: string, metric: cloudwatch.IMetric, { name, description, ...options }: AlarmOptions) => {
      const created = new cloudwatch.Alarm(stack, id, {
        alarmName: `${namePrefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      if (this.topic) {
        created.addAlarmAction(new actions.SnsAction(this.topic));
        created.addOkAction(new actions.SnsAction(this.topic));
      }
      this.alarms.push(created);
      return created;
    };

    // The Amplify GraphQL API construct has no metric helpers: AppSync metrics by name.
    const apiMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/AppSync',
        metricName,
        dimensionsMap: { GraphQLAPIId: props.apiId },
        statistic,
        period: FIVE_MINUTES,
      });
    const api5xx = apiMetric('5XXError', cloudwatch.Stats.SUM);
    const api4xx = apiMetric('4XXError', cloudwatch.Stats.SUM);
    const apiRequests = apiMetric('Requests', cloudwatch.Stats.SUM);
    const apiLatency = apiMetric('Latency', cloudwatch.Stats.p(99));

    alarm('AppSync5xxErrors', api5xx, { name: 'appsync-5xx-errors', description: 'AppSync returned 5XX errors (server-side failures).' });
    alarm('AppSyncLatencyP99', apiLatency, {
      name: 'appsync-latency-p99',
      description: `AppSync p99 latency above ${props.latencyP99ThresholdMs} ms for 3 consecutive 5-minute periods.`,
      threshold: props.latencyP99ThresholdMs,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const tableWidgets: cloudwatch.IWidget[] = [];
    for (const [model, table] of Object.entries(props.tables)) {
      const throttled = table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES });
      const systemErrors = table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES });
      const slug = model.toLowerCase();
      alarm(`${model}TableThrottles`, throttled, { name: `${slug}-table-throttles`, description: `DynamoDB throttled requests on the ${model} table.` });
      alarm(`${model}TableSystemErrors`, systemErrors, { name: `${slug}-table-system-errors`, description: `DynamoDB system errors on the ${model} table.` });
      // One graph per expression: both expand to per-operation metrics with the same ids.
      tableWidgets.push(
        new cloudwatch.GraphWidget({ title: `${model} table: throttled requests`, left: [throttled], width: 6 }),
        new cloudwatch.GraphWidget({ title: `${model} table: system errors`, left: [systemErrors], width: 6 }),
      );
    }

    const functionWidgets: cloudwatch.IWidget[] = [];
    for (const [name, fn] of Object.entries(props.functions)) {
      const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
      const throttles = fn.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
      alarm(`${pascal(name)}Errors`, errors, { name: `${name}-errors`, description: `The ${name} Lambda function failed.` });
      alarm(`${pascal(name)}Throttles`, throttles, { name: `${name}-throttles`, description: `The ${name} Lambda function was throttled.` });
      functionWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${name}: invocations, errors, throttles`,
          left: [fn.metricInvocations({ period: FIVE_MINUTES }), errors, throttles],
          right: [fn.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99) })],
          width: 12,
        }),
      );
    }

    this.dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', {
      dashboardName: namePrefix.replace(/[^A-Za-z0-9_-]/g, '-'),
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'AppSync requests and errors', left: [apiRequests], right: [api4xx, api5xx], width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'AppSync latency p99 (ms)',
        left: [apiLatency],
        leftAnnotations: [{ value: props.latencyP99ThresholdMs, label: 'alarm threshold' }],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(...tableWidgets);
    this.dashboard.addWidgets(...functionWidgets);
  }
}

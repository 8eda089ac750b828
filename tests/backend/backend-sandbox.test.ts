/**
 * A per-developer sandbox synthesized with non-default CHAT_APP_* settings: the configuration
 * reaches the password policy, log levels and retention, alarm thresholds and notifications.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthBackend } from '../helpers/synth-backend';

let auth: Template;
let data: Template;
let monitoring: Template;

beforeAll(async () => {
  const { backend, monitoring: chatMonitoring } = await synthBackend({
    backendType: 'sandbox',
    backendName: 'alice',
    env: {
      CHAT_APP_ENVIRONMENT: 'staging',
      CHAT_APP_PASSWORD_MIN_LENGTH: '12',
      CHAT_APP_PASSWORD_REQUIRE_SYMBOLS: 'true',
      CHAT_APP_LOG_RETENTION_DAYS: '7',
      CHAT_APP_LATENCY_P99_MS: '750',
      CHAT_APP_OWNER: 'Chat Team',
    },
  });
  auth = Template.fromStack(backend.auth.stack);
  data = Template.fromStack(backend.data.stack);
  monitoring = Template.fromStack(Stack.of(chatMonitoring.dashboard));
});

describe('sandbox with custom settings', () => {
  it('applies the configured password policy', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('logs every field in a sandbox and keeps logs for the configured days', () => {
    data.hasResourceProperties('AWS::AppSync::GraphQLApi', { LogConfig: Match.objectLike({ FieldLogLevel: 'ALL' }) });
    data.hasResourceProperties('Custom::LogRetention', { RetentionInDays: 7 });
    for (const group of Object.values(data.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(7);
    }
  });

  it('uses the configured latency threshold and names alarms after environment and sandbox', () => {
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'realtime-chat-staging-alice-appsync-latency-p99',
      Threshold: 750,
    });
  });

  it('creates no notification topic when no alarm e-mail is configured', () => {
    monitoring.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(monitoring.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  it('tags with the configured environment and owner', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({ Environment: 'staging', Owner: 'Chat Team' }),
    });
  });
});

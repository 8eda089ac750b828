/**
 * Canned AWS for the deploy/destroy tests: one account and region, the Amplify app/branch and the backend stack as
 * state flags of the stand-in (see stand-in.ts), so that creating something makes the next lookup find it.
 *
 * Flags: `app` (the Amplify app exists), `branch` (its branch exists), `stack` (the backend stack exists),
 * `alarm` (an alarm is in ALARM), `rollback` (the stack is UPDATE_ROLLBACK_COMPLETE).
 */
import { BackendIdentifierConversions } from '@aws-amplify/platform-core';
import { awsError, type CannedAnswer } from './stand-in';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const APP_ID = 'd1abc2def3gh45';
export const API_ID = 'xyzapi123';
export const USER_POOL_ID = `${REGION}_AbCdEf123`;
export const GRAPHQL_URL = `https://abcdefghij.appsync-api.${REGION}.amazonaws.com/graphql`;

/** The stack ampx deploys to, computed by Amplify's own code (the scripts compute it in bash). */
export function branchStack(branch: string, appId = APP_ID): string {
  return BackendIdentifierConversions.toStackName({ namespace: appId, name: branch, type: 'branch' });
}

export function sandboxStack(identifier: string): string {
  return BackendIdentifierConversions.toStackName({ namespace: 'realtime-chat', name: identifier, type: 'sandbox' });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rules for a backend named `name` (branch or sandbox identifier) in environment `environment`. */
export function awsWorld(options: { environment: string; name: string; stack: string; prefix?: string }): CannedAnswer[] {
  const prefix = options.prefix ?? 'realtime-chat';
  const alarmPrefix = `${prefix}-${options.environment}-${options.name}-`;
  const stack = escape(options.stack);
  return [
    { tool: 'aws', match: '^sts get-caller-identity', stdout: `${ACCOUNT}\n` },
    { tool: 'aws', match: '^ssm get-parameter --name /cdk-bootstrap/hnb659fds/version', stdout: '28\n' },
    { tool: 'aws', match: `^amplify list-apps --query apps\\[\\?name=='${prefix}'\\]\\.appId`, when: ['app'], stdout: `${APP_ID}\n` },
    { tool: 'aws', match: '^amplify list-apps', stdout: '\n' },
    { tool: 'aws', match: `^amplify get-app --app-id ${APP_ID} `, when: ['app'], stdout: `${APP_ID}\n` },
    { tool: 'aws', match: '^amplify get-app', ...awsError('NotFoundException', 'GetApp', 'App not found.') },
    { tool: 'aws', match: `^amplify create-app --name ${prefix} `, set: ['app'], stdout: `${APP_ID}\n` },
    { tool: 'aws', match: `^amplify get-branch --app-id ${APP_ID} --branch-name ${options.name} `, when: ['branch'], unless: ['branch-deleted'], stdout: `${options.name}\n` },
    { tool: 'aws', match: '^amplify get-branch', ...awsError('NotFoundException', 'GetBranch', 'Branch not found.') },
    { tool: 'aws', match: `^amplify create-branch --app-id ${APP_ID} --branch-name ${options.name} `, set: ['branch'], stdout: `${options.name}\n` },
    { tool: 'aws', match: '^amplify delete-branch', when: ['branch'], set: ['branch-deleted'], stdout: `${options.name}\n` },
    { tool: 'npx', match: '^ampx pipeline-deploy', set: ['stack'], stdout: 'Deployment completed\n' },
    { tool: 'npx', match: '^ampx sandbox --once', set: ['stack'], stdout: 'Deployment completed\n' },
    { tool: 'npx', match: '^ampx sandbox delete', when: ['stack'], set: ['stack-deleted'], stdout: 'Sandbox deleted\n' },
    {
      tool: 'aws',
      match: `^cloudformation describe-stacks --stack-name ${stack} --query Stacks\\[0\\]\\.StackStatus`,
      when: ['stack', 'rollback'],
      unless: ['stack-deleted'],
      stdout: 'UPDATE_ROLLBACK_COMPLETE\n',
    },
    {
      tool: 'aws',
      match: `^cloudformation describe-stacks --stack-name ${stack} --query Stacks\\[0\\]\\.StackStatus`,
      when: ['stack'],
      unless: ['stack-deleted'],
      stdout: 'UPDATE_COMPLETE\n',
    },
    {
      tool: 'aws',
      match: `^cloudformation describe-stacks --stack-name ${stack} --query Stacks\\[0\\]\\.Outputs\\[\\]`,
      when: ['stack'],
      unless: ['stack-deleted'],
      stdout: [
        `awsAppsyncApiEndpoint\t${GRAPHQL_URL}`,
        `awsAppsyncApiId\t${API_ID}`,
        `userPoolId\t${USER_POOL_ID}`,
        'webClientId\t1a2b3c4d5e6f7g8h9i0j',
        `region\t${REGION}`,
        '',
      ].join('\n'),
    },
    {
      tool: 'aws',
      match: `^cloudformation describe-stacks --stack-name ${stack} --query Stacks\\[0\\]\\.Outputs\\[\\?OutputKey=='awsAppsyncApiId'\\]`,
      when: ['stack'],
      unless: ['stack-deleted'],
      stdout: `${API_ID}\n`,
    },
    { tool: 'aws', match: '^cloudformation describe-stacks', ...awsError('ValidationError', 'DescribeStacks', `Stack with id ${options.stack} does not exist`) },
    { tool: 'aws', match: `^cloudformation delete-stack --stack-name ${stack} `, set: ['stack-deleted'] },
    { tool: 'aws', match: `^cloudformation wait stack-delete-complete --stack-name ${stack} ` },
    {
      tool: 'aws',
      match: `^cloudwatch describe-alarms --alarm-name-prefix ${escape(alarmPrefix)} `,
      when: ['alarm'],
      stdout: `OK\t${alarmPrefix}appsync-5xx-errors\nALARM\t${alarmPrefix}message-processor-errors\nINSUFFICIENT_DATA\t${alarmPrefix}presence-throttles\n`,
    },
    {
      tool: 'aws',
      match: `^cloudwatch describe-alarms --alarm-name-prefix ${escape(alarmPrefix)} `,
      stdout: `OK\t${alarmPrefix}appsync-5xx-errors\nOK\t${alarmPrefix}appsync-latency-p99\nOK\t${alarmPrefix}message-processor-errors\n`,
    },
  ];
}

/** The tool and the first two arguments of each call, e.g. "aws amplify create-app". */
export function commandsOf(calls: { tool: string; args: string[] }[]): string[] {
  return calls.map((call) => [call.tool, ...call.args.slice(0, 2)].join(' '));
}

/** The value following `option` in a call's arguments. */
export function optionOf(args: string[], option: string): string | undefined {
  const index = args.indexOf(option);
  return index >= 0 ? args[index + 1] : undefined;
}

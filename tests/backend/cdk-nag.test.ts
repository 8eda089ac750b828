import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { IAM5_WILDCARD_ACKNOWLEDGEMENTS } from '../../amplify/operations/nag-suppressions';
import { synthBackend } from '../helpers/synth-backend';

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}

interface Report {
  pluginReports: { pluginName: string; violations: Violation[] }[];
}

let violations: { rule: string; path: string }[];

beforeAll(async () => {
  const { app } = await synthBackend({
    env: { CHAT_APP_ALARM_EMAIL: 'alerts@example.com' },
    // Collect the report instead of failing synthesis on the first finding.
    context: { '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as Report;
  const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
  expect(nag, 'the AwsSolutions pack ran').toBeDefined();
  violations = nag!.violations.flatMap((v) =>
    v.violatingConstructs.map((c) => ({ rule: v.ruleName, path: c.constructPath.replace(/^[^/]+/, '') })),
  );
});

function acknowledgedWildcard({ rule, path }: { rule: string; path: string }): boolean {
  const match = /^AwsSolutions-IAM5\[(.*)\]$/s.exec(rule);
  if (!match) return false;
  const finding = match[1]!;
  return IAM5_WILDCARD_ACKNOWLEDGEMENTS.some((a) => a.path.test(path) && a.finding.test(finding));
}

describe('cdk-nag AwsSolutions on the synthesized backend', () => {
  it('reports findings before acknowledgements are applied (the pack really ran on our resources)', () => {
    // Amplify's generated IAM policies always contain wildcards; if none were reported the check would be vacuous.
    expect(violations.some((v) => v.rule.startsWith('AwsSolutions-IAM5['))).toBe(true);
  });

  it('leaves no finding that is neither fixed nor acknowledged with a reason', () => {
    const open = violations.filter((v) => !acknowledgedWildcard(v));
    expect(open.map((v) => `${v.rule} at ${v.path}`)).toEqual([]);
  });

  it('never acknowledges wildcards on our own functions\' execution roles', () => {
    const ownRolePaths = ['message-processor', 'presence', 'presence-sweeper', 'post-confirmation'].flatMap((fn) => [
      `/data/${fn}-lambda/ServiceRole/Resource`,
      `/data/${fn}-lambda/ServiceRole/DefaultPolicy/Resource`,
      `/auth/${fn}-lambda/ServiceRole/DefaultPolicy/Resource`,
    ]);
    for (const path of ownRolePaths) {
      expect(IAM5_WILDCARD_ACKNOWLEDGEMENTS.filter((a) => a.path.test(path)).map((a) => a.reason)).toEqual([]);
    }
  });
});

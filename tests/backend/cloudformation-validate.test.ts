/**
 * The CloudFormation export (the cloud assembly `npm run synth` writes, which `npm test` runs first) validated offline
 * with @aws/cloudformation-validate: resource schemas and cfn-lint rules for every root and nested template. What
 * fails and what is acknowledged, with reasons, is in scripts/lib/cfn-validate.mjs (also `npm run validate:cfn`).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACKNOWLEDGEMENTS, checkAssets, validateAssembly } from '../../scripts/lib/cfn-validate.mjs';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

let validation: ReturnType<typeof validateAssembly>;
const scratch = mkdtempSync(join(tmpdir(), 'cfn-validate-'));

beforeAll(() => {
  if (!existsSync(join(CDK_OUT, 'manifest.json'))) {
    throw new Error(`${CDK_OUT} is missing: run \`npm run synth\` first (npm test does)`);
  }
  validation = validateAssembly(CDK_OUT);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the synthesized templates', () => {
  it('are all validated: the root stack and every nested stack', () => {
    const nested = validation.templates.filter((f) => f.includes('.nested.'));
    expect(validation.templates.length - nested.length).toBe(1);
    for (const part of ['auth', 'data', 'monitoring', 'Conversation', 'Message', 'Reaction', 'ReadReceipt', 'UserPresence', 'UserProfile']) {
      expect(nested.some((f) => f.includes(part)), part).toBe(true);
    }
    expect(validation.reports.map((r) => r.status)).toEqual(validation.templates.map(() => 'OK'));
  });

  it('have no errors and no warnings other than the acknowledged ones', () => {
    expect(validation.failures).toEqual([]);
  });

  it('still need every acknowledgement (an unused one is removed, not kept "just in case")', () => {
    expect(validation.unusedAcknowledgements.map((ack) => `${ack.ruleId} ${ack.file}`)).toEqual([]);
  });

  it('acknowledge warnings only in generated code, never in the monitoring stack this project writes', () => {
    expect(validation.acknowledged.length).toBeGreaterThan(0);
    expect(validation.acknowledged.filter((f) => f.file.includes('monitoring'))).toEqual([]);
    for (const ack of ACKNOWLEDGEMENTS) expect(ack.reason.length, ack.ruleId).toBeGreaterThan(40);
  });

  it('reference only assets that the asset manifest publishes and the assembly contains', () => {
    const { referenced, missing } = checkAssets(CDK_OUT);
    // Nested templates (.json), Lambda bundles (.zip), resolver code (.vtl/.js) and the schema (.graphql).
    for (const extension of ['.json', '.zip', '.vtl', '.js', '.graphql']) {
      expect(referenced.some((key) => key.endsWith(extension)), extension).toBe(true);
    }
    expect(missing).toEqual([]);
  });
});

describe('the validator', () => {
  // Controls: the checks above mean something only if the validator flags a broken template and an unexplained
  // warning in this very setup.
  it('fails a template with a property of the wrong type or an unknown property', () => {
    const monitoring = readdirSync(CDK_OUT).find((f) => f.includes('monitoring') && f.endsWith('.template.json'))!;
    const template = JSON.parse(readFileSync(join(CDK_OUT, monitoring), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const alarm = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm')!;
    alarm.Properties['EvaluationPeriods'] = 'three';
    alarm.Properties['Severity'] = 'high';
    writeFileSync(join(scratch, 'broken.template.json'), JSON.stringify(template));
    const result = validateAssembly(scratch, { acknowledgements: [] });
    const failures = result.failures.join('\n');
    expect(failures).toMatch(/broken\.template\.json: \[(ERROR|FATAL)\] .*'three' is not of type 'integer'/);
    expect(failures).toMatch(/broken\.template\.json: \[(ERROR|FATAL)\] .*'Severity' was unexpected/);
    rmSync(join(scratch, 'broken.template.json'));
  });

  it('fails an acknowledged kind of warning when no acknowledgement covers it', () => {
    const model = readdirSync(CDK_OUT).find((f) => /dataamplifyDataMessage[0-9A-F]{8}\.nested\.template\.json$/.test(f))!;
    copyFileSync(join(CDK_OUT, model), join(scratch, model));
    const result = validateAssembly(scratch, { acknowledgements: [] });
    expect(result.failures.some((f) => f.includes('W2001') && f.includes('DynamoDBEnableServerSideEncryption'))).toBe(true);
    rmSync(join(scratch, model));
  });
});

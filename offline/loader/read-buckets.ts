/**
 * The app's S3 buckets (defineStorage): every `AWS::S3::Bucket` that is not only the destination of a CDK
 * `BucketDeployment` (the model introspection schema and codegen assets go to such deployment buckets). Each with its
 * CORS rules ([CorsRule](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-corsrule.html)),
 * the lifecycle rules the sandbox applies, and the access paths Amplify publishes for the client in the root stack's `buckets` output.
 */
import { isRecord, property, recordProperty, resourcesOfType, tagsOf, type LoaderContext } from './resource-properties';
import type { StackResource } from './stack-tree';
import type { BucketCorsRule, BucketDescription, BucketLifecycleRule } from './types';

const FRIENDLY_NAME_TAG = 'amplify:friendly-name';

/** Buckets that only receive CDK BucketDeployments (deployment assets, not app data). */
export function isDeploymentBucket(context: LoaderContext, bucket: StackResource): boolean {
  return resourcesOfType(context, 'Custom::CDKBucketDeployment').some(
    (deployment) => bucket.stack.resourceRef(bucket.logicalId) === property(deployment, 'DestinationBucketName'),
  );
}

export function readBuckets(context: LoaderContext): BucketDescription[] {
  const published = publishedPaths(context);
  return resourcesOfType(context, 'AWS::S3::Bucket')
    .filter((bucket) => !isDeploymentBucket(context, bucket))
    .map((bucket) => {
      const name = String(bucket.stack.resourceRef(bucket.logicalId));
      const paths = published.get(name);
      return {
        name,
        logicalId: bucket.logicalId,
        friendlyName: tagsOf(bucket)[FRIENDLY_NAME_TAG] ?? bucket.logicalId,
        arn: String(bucket.stack.resourceAttribute(bucket.logicalId, 'Arn')),
        cors: corsRules(bucket),
        ...lifecycleOf(bucket),
        ...(paths ? { paths } : {}),
      };
    });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function corsRules(bucket: StackResource): BucketCorsRule[] {
  const configuration = recordProperty(bucket, 'CorsConfiguration');
  const rules = configuration && Array.isArray(configuration['CorsRules']) ? (configuration['CorsRules'] as unknown[]) : [];
  return rules.filter(isRecord).map((rule) => ({
    allowedOrigins: strings(rule['AllowedOrigins']),
    allowedMethods: strings(rule['AllowedMethods']),
    allowedHeaders: strings(rule['AllowedHeaders']),
    exposedHeaders: strings(rule['ExposedHeaders']),
    ...(typeof rule['MaxAge'] === 'number' ? { maxAgeSeconds: rule['MaxAge'] } : {}),
  }));
}

/**
 * The enabled rules of `LifecycleConfiguration` ([Rule](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-rule.html))
 * the sandbox can apply: a prefix (`Prefix`, or `Filter.Prefix`) and `ExpirationInDays` and/or
 * `AbortIncompleteMultipartUpload.DaysAfterInitiation`. A rule with any other filter (tags, object sizes) or only other
 * actions (a date, transitions, noncurrent versions) is left out, so nothing is deleted that AWS might keep.
 */
function lifecycleOf(bucket: StackResource): { lifecycle?: BucketLifecycleRule[] } {
  const configuration = recordProperty(bucket, 'LifecycleConfiguration');
  const rules = configuration && Array.isArray(configuration['Rules']) ? (configuration['Rules'] as unknown[]) : [];
  const applied = rules.filter(isRecord).flatMap((rule): BucketLifecycleRule[] => {
    if (rule['Status'] !== 'Enabled') return [];
    const filter = isRecord(rule['Filter']) ? rule['Filter'] : undefined;
    if (filter && Object.keys(filter).some((key) => key !== 'Prefix')) return [];
    if (['TagFilters', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'].some((key) => rule[key] !== undefined)) return [];
    const prefix = typeof filter?.['Prefix'] === 'string' ? filter['Prefix'] : typeof rule['Prefix'] === 'string' ? rule['Prefix'] : '';
    const expirationDays = typeof rule['ExpirationInDays'] === 'number' ? rule['ExpirationInDays'] : undefined;
    const abort = isRecord(rule['AbortIncompleteMultipartUpload']) ? rule['AbortIncompleteMultipartUpload']['DaysAfterInitiation'] : undefined;
    const abortDays = typeof abort === 'number' ? abort : undefined;
    if (expirationDays === undefined && abortDays === undefined) return [];
    return [
      {
        ...(typeof rule['Id'] === 'string' ? { id: rule['Id'] } : {}),
        prefix,
        ...(expirationDays !== undefined ? { expirationDays } : {}),
        ...(abortDays !== undefined ? { abortIncompleteMultipartUploadDays: abortDays } : {}),
      },
    ];
  });
  return applied.length > 0 ? { lifecycle: applied } : {};
}

/** Bucket name → paths, from the root stack's `buckets` output (a JSON list of JSON strings), when present. */
function publishedPaths(context: LoaderContext): Map<string, Record<string, Record<string, string[]>>> {
  const byName = new Map<string, Record<string, Record<string, string[]>>>();
  let value: unknown;
  try {
    value = context.root.output('buckets');
  } catch {
    return byName;
  }
  let list: unknown;
  try {
    list = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    return byName;
  }
  for (const entry of Array.isArray(list) ? list : []) {
    let bucket: unknown;
    try {
      bucket = typeof entry === 'string' ? JSON.parse(entry) : entry;
    } catch {
      continue;
    }
    if (isRecord(bucket) && typeof bucket['bucketName'] === 'string' && isRecord(bucket['paths'])) {
      byName.set(bucket['bucketName'], bucket['paths'] as Record<string, Record<string, string[]>>);
    }
  }
  return byName;
}

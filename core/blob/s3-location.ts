/** Where a blob store lives in S3: `s3://bucket/prefix`, as MAILHIVE_BLOB_DIR names it. */
export interface S3Location {
  bucket: string;
  /** Key prefix without a trailing slash; '' for the bucket's root. */
  prefix: string;
}

// S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens (AWS "Bucket naming rules").
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Url(value: string): boolean {
  return value.startsWith('s3://');
}

/** Parses `s3://bucket/prefix`; throws with the reason on anything else. */
export function parseS3Url(value: string): S3Location {
  if (!isS3Url(value)) throw new Error(`expected s3://bucket/prefix, got ${JSON.stringify(value)}`);
  const rest = value.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (!BUCKET.test(bucket)) throw new Error(`invalid S3 bucket name ${JSON.stringify(bucket)}`);
  if (prefix.split('/').some((part) => part === '' || part === '.' || part === '..') && prefix !== '')
    throw new Error(`invalid S3 key prefix ${JSON.stringify(prefix)}`);
  return { bucket, prefix };
}

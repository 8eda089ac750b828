/** The backend's S3 buckets (defineStorage) on a local, SigV4-verified, IAM-evaluated endpoint. See README.md. */
export { storageService, type StorageApi, type StorageServiceOptions } from './service.js';
export { startStorageServer, MAX_REQUEST_BYTES, MIN_PART_BYTES, type StorageServer, type StorageServerOptions } from './server.js';
export { BucketStore, type ObjectMetadata } from './bucket-store.js';
export { verifyS3Request, type S3SignedRequest, type S3Verification } from './signature.js';
export { localBucketName, LOCAL_BUCKET_SUFFIX } from './bucket-names.js';

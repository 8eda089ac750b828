/** The local CA and server certificate, and installing the CA in this machine's trust stores. See README.md. */
export { tlsService } from './service.js';
export { CA_FILE, CA_KEY_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE, loadOrCreateCertificate, type CertificateOptions, type LocalCertificate } from './certificate.js';
export {
  browserTrustsCa,
  chromiumNssDirectory,
  currentHost,
  planTrust,
  readLocalCa,
  runTrustPlan,
  trustingBrowserHome,
  type LocalCa,
  type PlanOptions,
  type StepResult,
  type TrustHost,
  type TrustMode,
  type TrustPlan,
  type TrustStep,
} from './trust.js';

/** The sandbox's TLS service: the local CA and the server certificate it signs, kept in the data directory. */
import { nothingToReload, type ServiceDefinition } from '../sandbox/service.js';
import { loadOrCreateCertificate, type LocalCertificate } from './certificate.js';

export const tlsService: ServiceDefinition<'tls', LocalCertificate> = {
  name: 'tls',
  label: 'TLS certificate',
  dependsOn: [],
  async start(_deps, context) {
    const certificate = await loadOrCreateCertificate(context.data.root);
    return {
      api: certificate,
      urls: {},
      summary: `${certificate.outcome}, CA ${certificate.caPath}`,
      prepareReload: nothingToReload,
      close: () => undefined,
    };
  },
};

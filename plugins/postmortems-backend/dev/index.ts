import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// A minimal backend that runs only this plugin, with mocked auth so that the
// API can be called with curl without a token:
//   curl http://localhost:7007/api/postmortems/health
//   curl http://localhost:7007/api/postmortems/v1/post-mortem-templates
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(catalogServiceMock.factory({ entities: [] }));
backend.add(import('../src'));

backend.start();

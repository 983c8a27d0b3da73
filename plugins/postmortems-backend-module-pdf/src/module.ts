import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsExportsExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { renderPdf } from './pdfDocument';

/**
 * Lets post-mortems be downloaded as PDF files
 * (`GET /api/postmortems/v1/incidents/:id/postmortem/export?format=pdf`) and
 * listed as a file export target with `postmortems.exports.<id>.type: pdf`.
 *
 * @public
 */
export const postmortemsModulePdf = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'pdf',
  register(env) {
    env.registerInit({
      deps: { exports: postmortemsExportsExtensionPoint },
      async init({ exports }) {
        exports.addFileFormat({
          type: 'pdf',
          contentType: 'application/pdf',
          extension: 'pdf',
          render: document =>
            renderPdf({ ...document, author: 'Backstage post-mortems' }),
        });
      },
    });
  },
});

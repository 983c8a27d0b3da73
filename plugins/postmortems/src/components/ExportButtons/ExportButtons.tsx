import { Button, ButtonGroup } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { ExportFormat, postmortemsApiRef } from '../../api';

/** Offers a blob as a file download. */
function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const LABELS: Record<ExportFormat, string> = {
  markdown: 'Markdown',
  json: 'JSON',
  pdf: 'PDF',
};

/**
 * File downloads (Markdown and JSON unless told otherwise). They are fetched
 * through the fetch API (which carries the user's token) rather than linked,
 * since a plain link cannot.
 */
export const ExportButtons = ({
  incidentId,
  formats = ['markdown', 'json'],
}: {
  incidentId: string;
  formats?: ExportFormat[];
}) => {
  const api = useApi(postmortemsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState<ExportFormat>();

  const exportAs = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const file = await api.exportPostmortem(incidentId, format);
      download(file.blob, file.filename);
    } catch (e) {
      alertApi.post({
        message: `Export failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <ButtonGroup size="small" aria-label="Downloads">
      {formats.map(format => (
        <Button
          key={format}
          startIcon={<GetAppIcon />}
          onClick={() => exportAs(format)}
          disabled={busy !== undefined}
          aria-label={`Download as ${LABELS[format]}`}
        >
          {LABELS[format]}
        </Button>
      ))}
    </ButtonGroup>
  );
};
